"""Who may call what in the API: the same Django permissions as the pages."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework.authentication import SessionAuthentication
from rest_framework.permissions import BasePermission, DjangoModelPermissions

from wardkeeper.core.mfa import must_enrol

SECOND_FACTOR_MESSAGE = _(
    "Verify your second factor in the web interface before using the API with "
    "this session, or use an API token."
)


def second_factor_missing(request: Any) -> bool:
    """True for a browser session whose holder must still verify a second factor.

    A password alone opens a session before the code is asked for; the pages
    refuse such a session, and so must the API that shares its cookie. Tokens
    are made only from a verified session, so they pass."""
    if not isinstance(request.successful_authenticator, SessionAuthentication):
        return False
    return must_enrol(request._request)


class ModelPermissions(DjangoModelPermissions):
    """Django model permissions, with ``view`` required to read."""

    perms_map = {
        **DjangoModelPermissions.perms_map,
        "GET": ["%(app_label)s.view_%(model_name)s"],
        "HEAD": ["%(app_label)s.view_%(model_name)s"],
        "OPTIONS": ["%(app_label)s.view_%(model_name)s"],
    }

    def has_permission(self, request: Any, view: Any) -> bool:
        if not hasattr(view, request.method.lower()):
            return True  # the view answers 405: the same for every caller
        if request.user.is_authenticated and second_factor_missing(request):
            self.message = SECOND_FACTOR_MESSAGE
            return False
        return super().has_permission(request, view)


def requires(*perms: str) -> type[BasePermission]:
    """A permission class granting access to holders of every one of ``perms``
    (for actions such as a lifecycle move that are not plain model writes)."""

    class Requires(BasePermission):
        def has_permission(self, request: Any, view: Any) -> bool:
            user = request.user
            if not (user and user.is_authenticated):
                return False
            if second_factor_missing(request):
                self.message = SECOND_FACTOR_MESSAGE
                return False
            return bool(user.has_perms(perms))

    Requires.__name__ = Requires.__qualname__ = "Requires_" + "_".join(
        perm.replace(".", "_") for perm in perms
    )
    return Requires
