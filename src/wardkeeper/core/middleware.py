from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from wardkeeper.core import audit
from wardkeeper.core.mfa import must_enrol
from wardkeeper.core.models.audit import AuditSource

Handler = Callable[[HttpRequest], HttpResponse]


class AuditContextMiddleware:
    """Every write made while serving a request is recorded with its user and
    client address. The user is read late: API token authentication happens
    inside the view, after this middleware ran."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        source = AuditSource.API if request.path.startswith("/api/") else AuditSource.UI
        with audit.audit_context(
            source=source,
            actor=lambda: getattr(request, "user", None),
            client_ip=request.META.get("REMOTE_ADDR"),
        ):
            return self.get_response(request)


class MfaEnrolmentMiddleware:
    """Holders of administrator roles and the IT director must enrol a TOTP
    device and verify it before using any page but enrolment and sign-out."""

    ALLOWED = ("/static/", "/accounts/", "/i18n/", "/api/")

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not request.path.startswith(self.ALLOWED)
            and must_enrol(request)
        ):
            return redirect(reverse("core:mfa"))
        return self.get_response(request)
