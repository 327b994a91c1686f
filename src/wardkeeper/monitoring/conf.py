"""Monitoring's settings (settings.py reads the WARDKEEPER_MONITOR_*
variables and gives the defaults; .env.example explains each)."""

from __future__ import annotations

from typing import Any

from django.conf import settings


def get(name: str) -> Any:
    return getattr(settings, name)
