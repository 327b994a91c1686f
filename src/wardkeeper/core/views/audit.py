from __future__ import annotations

from django.contrib.auth.decorators import permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


@permission_required("core.view_auditentry", raise_exception=True)
def audit_list(request: HttpRequest) -> HttpResponse:
    return render(request, "core/audit_list.html", {})
