"""Typed readers for ``WARDKEEPER_*`` environment variables.

Every reader rejects a malformed value with an ``ImproperlyConfigured`` that
names the variable, and accepts ``<NAME>_FILE`` (a path whose content is the
value) so secrets can come from files mounted by the service manager.
"""

from __future__ import annotations

import os
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

PREFIX = "WARDKEEPER_"
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def raw(name: str) -> str | None:
    """Return the variable's text, from ``NAME`` or the file named by ``NAME_FILE``."""
    key = PREFIX + name
    if key in os.environ:
        return os.environ[key]
    path = os.environ.get(key + "_FILE")
    if path:
        try:
            return Path(path).read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise ImproperlyConfigured(
                f"{key}_FILE: cannot read {path}: {exc}"
            ) from exc
    return None


def string(name: str, default: str) -> str:
    value = raw(name)
    return default if value is None else value


def boolean(name: str, default: bool) -> bool:
    value = raw(name)
    if value is None:
        return default
    lowered = value.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ImproperlyConfigured(f"{PREFIX}{name}: expected true or false, got {value!r}")


def integer(name: str, default: int, *, minimum: int | None = None) -> int:
    value = raw(name)
    if value is None:
        return default
    try:
        number = int(value)
    except ValueError:
        raise ImproperlyConfigured(
            f"{PREFIX}{name}: expected a whole number, got {value!r}"
        ) from None
    if minimum is not None and number < minimum:
        raise ImproperlyConfigured(f"{PREFIX}{name}: must be at least {minimum}")
    return number


def number(name: str, default: float, *, minimum: float | None = None) -> float:
    value = raw(name)
    if value is None:
        return default
    try:
        result = float(value)
    except ValueError:
        raise ImproperlyConfigured(
            f"{PREFIX}{name}: expected a number, got {value!r}"
        ) from None
    if minimum is not None and result < minimum:
        raise ImproperlyConfigured(f"{PREFIX}{name}: must be at least {minimum}")
    return result


def string_list(name: str, default: list[str]) -> list[str]:
    value = raw(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]
