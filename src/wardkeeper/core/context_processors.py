from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from wardkeeper.core.navigation import menu_for


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    return {
        "nav_menu": menu_for(user)
        if user is not None and user.is_authenticated
        else [],
        "session_idle_minutes": settings.SESSION_IDLE_MINUTES,
    }
