"""TOTP second factor (django-otp): who must use it, enrolment and checking.

Administrators (the three duties), the IT director and superusers must use a
second factor; anyone else may enrol one, and once enrolled is asked for it at
every sign-in too.
"""

from __future__ import annotations

import enum
from base64 import b32encode
from typing import Any
from urllib.parse import quote, urlencode

import segno
from django.conf import settings
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from wardkeeper.core import audit
from wardkeeper.core.models.audit import AuditAction
from wardkeeper.core.roles import MFA_ROLES


class Check(enum.Enum):
    """The outcome of checking a code."""

    ACCEPTED = "accepted"
    WRONG = "wrong"
    THROTTLED = "throttled"  # too many wrong codes lately: wait, then retry


def is_required(user: Any) -> bool:
    """True when the user's roles oblige them to use a second factor."""
    return bool(user.is_superuser or user.groups.filter(name__in=MFA_ROLES).exists())


def needs_second_factor(user: Any) -> bool:
    """True when signing in takes a code after the password."""
    return is_required(user) or confirmed_device(user) is not None


def is_verified(user: Any) -> bool:
    """True when this session's user passed a second factor (django-otp's
    middleware adds ``is_verified`` to the request's user)."""
    check = getattr(user, "is_verified", None)
    return bool(check()) if callable(check) else False


def must_enrol(request: Any) -> bool:
    """True when the signed-in user must still enrol or verify a second factor.

    The answer is kept on the request (for that user): the middleware and the
    API's permission check both ask, and each asking costs a query."""
    user = request.user
    cached = getattr(request, "_wk_must_enrol", None)
    if cached is not None and cached[0] == user.pk:
        return bool(cached[1])
    answer = is_required(user) and not is_verified(user)
    request._wk_must_enrol = (user.pk, answer)
    return answer


def confirmed_device(user: Any) -> TOTPDevice | None:
    """The user's working authenticator, if any."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def pending_device(user: Any, *, fresh: bool = False) -> TOTPDevice:
    """The unconfirmed device being enrolled, made on first call (or anew when
    ``fresh``, so a replacement never reuses a secret that was shown before)."""
    pending = TOTPDevice.objects.filter(user=user, confirmed=False)
    if fresh:
        pending.delete()
    device = pending.first()
    if device is None:
        device = TOTPDevice.objects.create(
            user=user, name="authenticator", confirmed=False
        )
    return device


def secret_text(device: TOTPDevice) -> str:
    """The secret in base32, in groups of four, for typing into an app."""
    secret = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def provisioning_uri(device: TOTPDevice) -> str:
    """The otpauth:// URI an authenticator app reads, naming this site."""
    issuer = settings.MFA_ISSUER.replace(":", "")
    label = quote(f"{issuer}:{device.user.get_username()}")
    params = urlencode(
        {
            "secret": b32encode(device.bin_key).decode().rstrip("="),
            "algorithm": "SHA1",
            "digits": device.digits,
            "period": device.step,
        }
    )
    return f"otpauth://totp/{label}?{params}&issuer={quote(issuer)}"


def provisioning_svg(device: TOTPDevice) -> str:
    """The provisioning URI as an inline SVG QR code."""
    return str(segno.make(provisioning_uri(device), error="m").svg_inline(scale=5))


def check(device: TOTPDevice, code: str) -> Check:
    """Check a code against a device; wrong codes slow further tries down."""
    code = "".join(code.split())
    with transaction.atomic():
        # Lock the row so two simultaneous tries cannot both use one code.
        device = TOTPDevice.objects.select_for_update().get(pk=device.pk)
        allowed, _info = device.verify_is_allowed()
        if not allowed:
            return Check.THROTTLED
        if code.isdigit() and device.verify_token(code):
            return Check.ACCEPTED
    return Check.WRONG


def confirm_enrolment(device: TOTPDevice, *, actor: Any) -> TOTPDevice:
    """Make a checked pending device the user's one authenticator."""
    with transaction.atomic():
        replaced = TOTPDevice.objects.filter(user=device.user, confirmed=True)
        message = (
            "second factor replaced" if replaced.exists() else "second factor enrolled"
        )
        replaced.exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        with audit.audit_context(actor=actor):
            audit.record(AuditAction.SECURITY, device.user, message=message)
    return device


def reset(user: Any, *, actor: Any) -> int:
    """Remove every device of ``user`` (a lost phone); returns how many."""
    with transaction.atomic():
        count, _detail = TOTPDevice.objects.filter(user=user).delete()
        with audit.audit_context(actor=actor):
            audit.record(AuditAction.SECURITY, user, message="second factor reset")
    return int(count)
