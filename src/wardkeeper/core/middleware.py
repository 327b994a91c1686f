from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

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
    """What a signed-in session must do before anything else.

    Holders of administrator roles and the IT director must have verified a
    TOTP code in this session (normally done at sign-in; this catches a role
    granted while signed in). Someone whose password an administrator set must
    choose their own first. Until then only sign-out, the second-factor step
    and the password page answer; session calls to the API get 403 (API
    tokens are unaffected: they are checked later, by the API itself)."""

    ALWAYS = ("/static/", "/i18n/", "/jsi18n/")

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            user is None
            or request.path.startswith(self.ALWAYS)
            or not user.is_authenticated
        ):
            return self.get_response(request)
        logout = reverse("core:logout")
        if must_enrol(request):
            return self._hold(request, reverse("core:mfa"), (logout,))
        if user.must_change_password:
            return self._hold(request, reverse("core:password-change"), (logout,))
        return self.get_response(request)

    def _hold(
        self, request: HttpRequest, target: str, also: tuple[str, ...]
    ) -> HttpResponse:
        if request.path == target or request.path in also:
            return self.get_response(request)
        if request.path.startswith("/api/"):
            message = _("Finish signing in (second factor or new password) first.")
            body = {
                "error": {
                    "code": "sign_in_incomplete",
                    "message": message,
                    "fields": [],
                }
            }
            return JsonResponse(body, status=403)
        return redirect(target)
