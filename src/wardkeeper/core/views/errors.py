"""Error pages: the API answers in its JSON error body, pages in HTML."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.views.defaults import page_not_found


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if request.path.startswith("/api/"):
        body: dict[str, Any] = {
            "error": {"code": "not_found", "message": _("Not found."), "fields": []}
        }
        return JsonResponse(body, status=404)
    return page_not_found(request, exception or Exception())
