"""System checks with stable IDs for misconfiguration (``wardkeeper check``)."""

from __future__ import annotations

from typing import Any

from cryptography.fernet import Fernet
from django.conf import settings
from django.core.checks import Error, Warning, register


@register()
def check_field_encryption_keys(app_configs: Any, **kwargs: Any) -> list[Error]:
    errors = []
    for index, key in enumerate(settings.FIELD_ENCRYPTION_KEYS):
        try:
            Fernet(key.encode())
        except ValueError:
            errors.append(
                Error(
                    f"Field-encryption key #{index + 1} is not a valid Fernet key.",
                    hint="Generate one with `wardkeeper genkey`.",
                    id="wardkeeper.E001",
                )
            )
    return errors


@register(deploy=True)
def check_data_dir_permissions(app_configs: Any, **kwargs: Any) -> list[Warning]:
    warnings = []
    for name in ("secret.key", "field-encryption.key"):
        path = settings.DATA_DIR / name
        if path.exists() and path.stat().st_mode & 0o077:
            warnings.append(
                Warning(
                    f"{path} can be read by other users of this machine.",
                    hint=f"chmod 600 {path}",
                    id="wardkeeper.W001",
                )
            )
    return warnings


@register()
def check_audit_retention(app_configs: Any, **kwargs: Any) -> list[Error]:
    # settings.py already refuses a lower value from the environment; this
    # catches a value set another way (a test, an edited settings module).
    from wardkeeper.core.auditing.prune import MIN_RETENTION_DAYS

    days = getattr(settings, "AUDIT_RETENTION_DAYS", MIN_RETENTION_DAYS)
    if days < MIN_RETENTION_DAYS:
        return [
            Error(
                f"AUDIT_RETENTION_DAYS is {days}; the audit trail must be kept "
                f"at least {MIN_RETENTION_DAYS} days.",
                hint=f"Set WARDKEEPER_AUDIT_RETENTION_DAYS to {MIN_RETENTION_DAYS} or more.",
                id="wardkeeper.E010",
            )
        ]
    return []
