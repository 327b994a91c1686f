"""The service desk's API (owned by the API work)."""

from __future__ import annotations

from rest_framework.routers import BaseRouter


def register(router: BaseRouter) -> None:
    """Add the service desk's viewsets to the one API router."""
