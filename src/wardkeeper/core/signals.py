"""Signal receivers: the audit of sign-ins, of many-to-many changes and of
user accounts, and role seeding after migrate.

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
from django.db.models.signals import (
    m2m_changed,
    post_migrate,
    post_save,
    pre_delete,
    pre_save,
)
from django.dispatch import receiver

from wardkeeper.core import audit
from wardkeeper.core.auditing import relations
from wardkeeper.core.models.audit import AuditAction
from wardkeeper.core.models.users import User


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


@receiver(m2m_changed)
def audit_m2m(
    sender: Any,
    instance: Any,
    action: str,
    reverse: bool,
    model: Any,
    pk_set: set[Any] | None,
    **kwargs: Any,
) -> None:
    # "pre_*" snapshots the links, "post_*" records what changed: a set()
    # arrives as a remove and an add, and is recorded as two entries.
    if action.startswith("pre_"):
        relations.m2m_before(
            instance, sender, reverse=reverse, model=model, pk_set=pk_set
        )
    else:
        relations.m2m_after(instance, sender, reverse=reverse)


@receiver(pre_save, sender=User)
def audit_user_before(
    sender: Any, instance: User, raw: bool = False, **kwargs: Any
) -> None:
    if not raw:  # fixtures load rows as they are, without a trail
        relations.user_before_save(instance, kwargs.get("update_fields"))


@receiver(post_save, sender=User)
def audit_user_after(
    sender: Any, instance: User, created: bool, raw: bool = False, **kwargs: Any
) -> None:
    if not raw:
        relations.user_after_save(instance, created)


@receiver(pre_delete, sender=User)
def audit_user_deleted(sender: Any, instance: User, **kwargs: Any) -> None:
    relations.user_deleted(instance)


@receiver(post_migrate)
def seed_roles(sender: Any, app_config: Any = None, **kwargs: Any) -> None:
    # Run once, for the last installed app, when every app's permissions exist.
    from django.apps import apps

    if app_config is not None and app_config is list(apps.get_app_configs())[-1]:
        from wardkeeper.core.audit import GENESIS
        from wardkeeper.core.models.audit import AuditChainHead
        from wardkeeper.core.roles import sync_roles

        sync_roles()
        # Also after a flush (tests), which empties what the migration seeded.
        AuditChainHead.objects.get_or_create(pk=1, defaults={"hash": GENESIS})
