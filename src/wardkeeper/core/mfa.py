"""TOTP second factor (django-otp): who must use it, and enrolment helpers."""

from __future__ import annotations

from typing import Any

import segno
from django.conf import settings
from django_otp.plugins.otp_totp.models import TOTPDevice

from wardkeeper.core.roles import MFA_ROLES


def is_required(user: Any) -> bool:
    return bool(user.is_superuser or user.groups.filter(name__in=MFA_ROLES).exists())


def must_enrol(request: Any) -> bool:
    """True when the user must still enrol or verify a second factor."""
    user = request.user
    if not is_required(user):
        return False
    return not user.is_verified()


def confirmed_device(user: Any) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def pending_device(user: Any) -> TOTPDevice:
    """The unconfirmed device being enrolled, made on first call."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(
            user=user, name="authenticator", confirmed=False
        )
    return device


def provisioning_svg(device: TOTPDevice) -> str:
    """The otpauth:// URI as an inline SVG QR code for an authenticator app."""
    uri = device.config_url.replace("issuer=Django", f"issuer={settings.MFA_ISSUER}")
    return segno.make(uri, error="m").svg_inline(scale=5)
