"""Signal receivers: the audit of sign-ins, and role seeding after migrate.

Domain side effects never live here (STYLE.md §3); these are cross-cutting
records that no caller should have to remember.
"""

from __future__ import annotations

from typing import Any

from axes.signals import user_locked_out
from django.contrib.auth.signals import (
    user_logged_in,
    user_logged_out,
    user_login_failed,
)
from django.db.models.signals import post_migrate
from django.dispatch import receiver

from wardkeeper.core import audit
from wardkeeper.core.models.audit import AuditAction


def _client_ip(request: Any) -> str | None:
    return request.META.get("REMOTE_ADDR") if request is not None else None


@receiver(user_logged_in)
def audit_login(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    with audit.audit_context(actor=user, client_ip=_client_ip(request)):
        flagged = bool(getattr(user, "is_break_glass", False))
        message = "break-glass account used" if flagged else ""
        audit.record(AuditAction.LOGIN, user, message=message, flagged=flagged)


@receiver(user_logged_out)
def audit_logout(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is not None:
        with audit.audit_context(actor=user, client_ip=_client_ip(request)):
            audit.record(AuditAction.LOGOUT, user)


@receiver(user_login_failed)
def audit_login_failed(
    sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any
) -> None:
    with audit.audit_context(actor=None, client_ip=_client_ip(request)):
        audit.record(
            AuditAction.LOGIN_FAILED,
            message=f"username={credentials.get('username', '')}",
        )


@receiver(user_locked_out)
def audit_lockout(
    sender: Any,
    request: Any = None,
    username: str = "",
    ip_address: str = "",
    **kwargs: Any,
) -> None:
    with audit.audit_context(actor=None, client_ip=ip_address or _client_ip(request)):
        audit.record(AuditAction.LOCKOUT, message=f"username={username}", flagged=True)


@receiver(post_migrate)
def seed_roles(sender: Any, app_config: Any = None, **kwargs: Any) -> None:
    # Run once, for the last installed app, when every app's permissions exist.
    from django.apps import apps

    if app_config is not None and app_config is list(apps.get_app_configs())[-1]:
        from wardkeeper.core.roles import sync_roles

        sync_roles()
