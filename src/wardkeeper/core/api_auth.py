from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions

from wardkeeper.core.models.tokens import ApiToken, hash_token


class BearerTokenAuthentication(authentication.BaseAuthentication):
    """``Authorization: Bearer wk_…``: a hashed, expiring, revocable API token."""

    keyword = "Bearer"

    def authenticate(self, request: Any) -> tuple[Any, ApiToken] | None:
        header = authentication.get_authorization_header(request).decode("latin-1")
        scheme, _sep, raw = header.partition(" ")
        if scheme.lower() not in ("bearer", "token") or not raw:
            return None
        token = (
            ApiToken.objects.usable()
            .select_related("user")
            .filter(digest=hash_token(raw.strip()))
            .first()
        )
        if token is None or not token.user.is_active:
            raise exceptions.AuthenticationFailed(
                _("Invalid, expired or revoked token.")
            )
        # Writing last-used on every call would serialise API reads; once a
        # minute is enough to show whether a token is still in use.
        now = timezone.now()
        if (
            token.last_used_at is None
            or (now - token.last_used_at).total_seconds() > 60
        ):
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return token.user, token

    def authenticate_header(self, request: Any) -> str:
        return self.keyword
