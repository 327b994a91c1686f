"""Helpers for account tests: authenticator devices and the codes they show."""

from __future__ import annotations

import time

from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice


def totp_device(user, *, confirmed: bool = True) -> TOTPDevice:
    """An authenticator app set up for ``user``."""
    return TOTPDevice.objects.create(user=user, name="phone", confirmed=confirmed)


def code_for(device: TOTPDevice, *, steps_ahead: int = 0) -> str:
    """The six digits the person's app would show now (or a later step)."""
    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():0{device.digits}d}"


def wrong_code(device: TOTPDevice) -> str:
    """Six digits the app does not show now."""
    right = int(code_for(device))
    return f"{(right + 500_000) % 1_000_000:06d}"
