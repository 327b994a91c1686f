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
