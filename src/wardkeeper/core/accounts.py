"""Account services: create, edit, disable and enable accounts, grant roles,
set and reset passwords, issue and revoke API tokens, and keep the sealed
break-glass account. The pages, the API and ``wardkeeper createadmin`` all call
these functions; each runs in one transaction under its ``actor`` and raises
``AccountError`` (changing nothing) when a rule refuses.

Every saved account field is recorded by the audit signals (core/signals.py);
these functions add a "security" entry for what a field diff says poorly:
roles by name, password resets, tokens, second factors, break-glass use.
"""

from __future__ import annotations

import secrets
import string
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

from axes.utils import reset as reset_lockouts
from django.conf import settings
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from wardkeeper.core import audit, mfa, roles
from wardkeeper.core.errors import DomainError
from wardkeeper.core.models import ApiToken, User
from wardkeeper.core.models.audit import AuditAction

# The fields of an account an administrator or its owner may edit.
DETAIL_FIELDS = (
    "email",
    "display_name",
    "first_name",
    "last_name",
    "phone",
    "language",
)
TOKEN_MAX_DAYS = 365
_PASSWORD_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789"


class AccountError(DomainError):
    """An account operation was refused; nothing was changed."""


def generate_password() -> str:
    """A random password meeting the policy: five groups of five characters
    (about 140 bits), easy to read out and to type."""
    while True:
        groups = [
            "".join(secrets.choice(_PASSWORD_ALPHABET) for _i in range(5))
            for _g in range(5)
        ]
        password = "-".join(groups)
        classes = (string.ascii_lowercase, string.ascii_uppercase, string.digits)
        if all(any(ch in chars for ch in password) for chars in classes):
            return password


def check_password_policy(password: str, user: User | None = None) -> None:
    """Raise ``AccountError`` on the ``password`` field if the policy refuses it."""
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise AccountError(" ".join(exc.messages), field="password") from exc


@contextmanager
def _acting(actor: User | None) -> Iterator[None]:
    """Entries recorded inside (ours, and those the audit signals write for
    every saved account) name ``actor``; without one the caller's context
    (the request, the command line) stands."""
    if actor is None:
        yield
        return
    with audit.audit_context(actor=actor):
        yield


def _record(action: str, obj: Any, *, actor: User | None, **kwargs: Any) -> None:
    with _acting(actor):
        audit.record(action, obj, **kwargs)


def _check_username(username: str) -> str:
    username = User.normalize_username(username.strip())
    if not username:
        raise AccountError(_("Give the account a username."), field="username")
    try:
        User.username_validator(username)
    except ValidationError as exc:
        raise AccountError(" ".join(exc.messages), field="username") from exc
    if User.objects.filter(username__iexact=username).exists():
        raise AccountError(
            _("An account named “%(name)s” already exists.") % {"name": username},
            field="username",
        )
    return username


def _check_details(changes: dict[str, Any]) -> None:
    unknown = set(changes) - set(DETAIL_FIELDS)
    if unknown:
        raise AccountError(
            _("These fields cannot be changed here: %(names)s.")
            % {"names": ", ".join(sorted(unknown))}
        )
    language = changes.get("language", "")
    if language and language not in dict(settings.LANGUAGES):
        raise AccountError(_("Unknown language."), field="language")


def check_roles(codes: Iterable[str]) -> list[str]:
    """The role codes, checked: known, and no two separated duties together."""
    wanted = sorted(set(codes))
    unknown = [code for code in wanted if code not in roles.BY_CODE]
    if unknown:
        raise AccountError(
            _("Unknown role: %(codes)s.") % {"codes": ", ".join(unknown)}, field="roles"
        )
    conflict = roles.duty_conflict(wanted)
    if conflict:
        first, second = (roles.label(code) for code in conflict)
        raise AccountError(
            _(
                "One account cannot be both %(first)s and %(second)s: the "
                "administrator duties are kept apart, and the audit administrator "
                "holds no other role."
            )
            % {"first": first, "second": second},
            field="roles",
        )
    return wanted


@transaction.atomic
def create_account(
    *,
    actor: User | None,
    username: str,
    password: str | None = None,
    roles_held: Iterable[str] = (),
    must_change_password: bool = False,
    is_break_glass: bool = False,
    **details: Any,
) -> tuple[User, str | None]:
    """Create an account; return it and the generated password (None when a
    password was given). Raises ``AccountError`` for a taken username, a
    refused password or roles that may not be held together."""
    username = _check_username(username)
    _check_details(details)
    codes = check_roles(roles_held)
    user = User(username=username, is_break_glass=is_break_glass, **details)
    generated = None if password is not None else generate_password()
    chosen = password if password is not None else generated
    assert chosen is not None
    check_password_policy(chosen, user)
    user.set_password(chosen)
    user.password_changed_at = timezone.now()
    user.must_change_password = must_change_password
    with _acting(actor):
        user.save()
        if codes:
            user.groups.set(Group.objects.filter(name__in=codes))
            _record_roles(user, [], codes)
    return user, generated


@transaction.atomic
def update_account(user: User, *, actor: User | None, **changes: Any) -> User:
    """Change an account's details (name, e-mail, phone, language)."""
    _check_details(changes)
    for name, value in changes.items():
        setattr(user, name, value)
    with _acting(actor):
        user.save(update_fields=list(changes))
    return user


@transaction.atomic
def set_roles(user: User, codes: Iterable[str], *, actor: User | None) -> User:
    """Make ``user`` hold exactly these roles. Refused for one's own account and
    for two separated administrator duties (the message names both roles)."""
    if actor is not None and actor.pk == user.pk:
        raise AccountError(_("You cannot change your own roles."), field="roles")
    wanted = check_roles(codes)
    before = sorted(user.role_codes())
    if before == wanted:
        return user
    with _acting(actor):
        user.groups.set(Group.objects.filter(name__in=wanted))
        _record_roles(user, before, wanted)
    return user


def _record_roles(user: User, before: list[str], after: list[str]) -> None:
    # The signals record the group ids; this names the roles for a reader.
    audit.record(
        AuditAction.SECURITY,
        user,
        changes={"roles": [before, after]},
        message="roles changed",
    )


@transaction.atomic
def set_active(user: User, active: bool, *, actor: User | None) -> User:
    """Enable or disable an account. A disabled account cannot sign in, its
    sessions end and its API tokens stop working. Nobody disables themselves."""
    if not active and actor is not None and actor.pk == user.pk:
        raise AccountError(_("You cannot disable your own account."))
    if user.is_active == active:
        return user
    user.is_active = active
    with _acting(actor):
        user.save(update_fields=["is_active"])
    return user


def _store_password(user: User, password: str, *, must_change: bool) -> None:
    user.set_password(password)
    user.password_changed_at = timezone.now()
    user.must_change_password = must_change
    user.save(update_fields=["password", "password_changed_at", "must_change_password"])


@transaction.atomic
def reset_password(user: User, *, actor: User | None) -> str:
    """Give ``user`` a generated password (returned, to be shown once) that
    they must change at the next sign-in; lifts any sign-in lockout."""
    password = generate_password()
    with _acting(actor):
        _store_password(user, password, must_change=True)
        audit.record(AuditAction.SECURITY, user, message="password reset")
    reset_lockouts(username=user.get_username())
    return password


@transaction.atomic
def change_password(user: User, password: str, *, actor: User | None) -> User:
    """Set the password a person chose for their own account."""
    check_password_policy(password, user)
    with _acting(actor):
        _store_password(user, password, must_change=False)
        audit.record(AuditAction.SECURITY, user, message="password changed")
    return user


@transaction.atomic
def issue_token(
    user: User, *, actor: User | None, name: str, days: int | None = None
) -> tuple[ApiToken, str]:
    """Make an API token for ``user``; return it and its secret (shown once)."""
    days = settings.API_TOKEN_DEFAULT_DAYS if days is None else days
    if not 1 <= days <= TOKEN_MAX_DAYS:
        raise AccountError(
            _("A token lasts from 1 to %(max)s days.") % {"max": TOKEN_MAX_DAYS},
            field="days",
        )
    name = name.strip()
    if not name:
        raise AccountError(_("Name the token after its use."), field="name")
    token, raw = ApiToken.issue(user, name, timezone.now() + timedelta(days=days))
    _record(
        AuditAction.SECURITY,
        token,
        actor=actor,
        changes={"expires_at": [None, audit.jsonable(token.expires_at)]},
        message="API token issued",
    )
    return token, raw


@transaction.atomic
def revoke_token(token: ApiToken, *, actor: User | None) -> ApiToken:
    """Revoke a token at once; revoking it again is refused."""
    if token.revoked_at is not None:
        raise AccountError(_("This token was already revoked."))
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    _record(AuditAction.SECURITY, token, actor=actor, message="API token revoked")
    return token


def _new_sealed_device(user: User) -> str:
    TOTPDevice.objects.filter(user=user).delete()
    device = TOTPDevice.objects.create(user=user, name="break-glass", confirmed=True)
    return mfa.secret_text(device)


@transaction.atomic
def create_break_glass(
    *, actor: User | None, username: str, email: str = ""
) -> tuple[User, str, str]:
    """Create the sealed emergency account (system administrator); return it,
    its password and its authenticator secret, for two separate envelopes."""
    user, password = create_account(
        actor=actor,
        username=username,
        email=email,
        roles_held=["system_admin"],
        is_break_glass=True,
    )
    assert password is not None
    secret = _new_sealed_device(user)
    _record(
        AuditAction.SECURITY,
        user,
        actor=actor,
        message="break-glass account created and sealed",
        flagged=True,
    )
    return user, password, secret


@transaction.atomic
def seal_break_glass(user: User, *, actor: User | None) -> tuple[str, str]:
    """Reseal the emergency account after use: new password and authenticator
    secret (returned for new envelopes); its sessions and tokens end."""
    if not user.is_break_glass:
        raise AccountError(
            _("%(name)s is not a break-glass account.") % {"name": user.username},
            field="username",
        )
    password = generate_password()
    with _acting(actor):
        # A new password changes the session hash, which ends open sessions.
        _store_password(user, password, must_change=False)
        secret = _new_sealed_device(user)
        ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
        audit.record(
            AuditAction.SECURITY,
            user,
            message="break-glass account resealed",
            flagged=True,
        )
    return password, secret
