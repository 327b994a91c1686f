"""My queue: the signed-in engineer's open tickets, most urgent first."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from wardkeeper.servicedesk.services.queue import queue_for, time_left

PER_PAGE = 25


@login_required
@permission_required("servicedesk.work_ticket", raise_exception=True)
def my_queue(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    page = Paginator(queue_for(request.user, now), PER_PAGE).get_page(
        request.GET.get("page")
    )
    for ticket in page:
        ticket.time_left = time_left(ticket, now)  # type: ignore[attr-defined]
    return render(request, "servicedesk/queue.html", {"page_obj": page, "now": now})
