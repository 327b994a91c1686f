"""Inventory API: serializers and viewsets for every inventory model."""

from __future__ import annotations

from rest_framework.routers import DefaultRouter


def register(router: DefaultRouter) -> None:
    """Add the inventory viewsets to the API router."""
