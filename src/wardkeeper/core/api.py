"""Core API: the signed-in user, and (audit administrators) the audit trail."""

from __future__ import annotations

from rest_framework.routers import DefaultRouter


def register(router: DefaultRouter) -> None:
    """Add the core viewsets to the API router."""
