"""The status board: what is down now, by site, department or service. The
page refreshes its own body every 15 seconds (htmx)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from wardkeeper.monitoring.services import board as boards


@login_required
@permission_required("monitoring.view_check", raise_exception=True)
def board(request: HttpRequest) -> HttpResponse:
    grouping = request.GET.get("by", "site")
    value = request.GET.get("in", "")
    context = {
        "board": boards.build(grouping, value),
        "groupings": [(key, label) for key, (_p, label) in boards.GROUPINGS.items()],
        "query": request.GET.urlencode(),
    }
    # htmx asks for the body only, every 15 seconds.
    if request.headers.get("HX-Request"):
        return render(request, "monitoring/includes/board_body.html", context)
    return render(request, "monitoring/board.html", context)
