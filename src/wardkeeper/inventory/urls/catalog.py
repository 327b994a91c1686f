"""URLs of the catalogue pages: ``<model>-list|detail|add|edit|delete`` each."""

from __future__ import annotations

from typing import Any

from django.urls import URLPattern, path

from wardkeeper.inventory.views.catalog import places, products, spares, suppliers


def crud(prefix: str, name: str, module: Any, view: str) -> list[URLPattern]:
    """The five pages of one model, from its ``<View>List`` … ``<View>Delete``."""
    return [
        path(
            f"{prefix}/", getattr(module, f"{view}List").as_view(), name=f"{name}-list"
        ),
        path(
            f"{prefix}/add/",
            getattr(module, f"{view}Create").as_view(),
            name=f"{name}-add",
        ),
        path(
            f"{prefix}/<int:pk>/",
            getattr(module, f"{view}Detail").as_view(),
            name=f"{name}-detail",
        ),
        path(
            f"{prefix}/<int:pk>/edit/",
            getattr(module, f"{view}Update").as_view(),
            name=f"{name}-edit",
        ),
        path(
            f"{prefix}/<int:pk>/delete/",
            getattr(module, f"{view}Delete").as_view(),
            name=f"{name}-delete",
        ),
    ]


urlpatterns = [
    path("locations/lookup/", places.location_lookup, name="location-lookup"),
    *crud("locations", "location", places, "Location"),
    *crud("departments", "department", places, "Department"),
    *crud("manufacturers", "manufacturer", products, "Manufacturer"),
    *crud("assettypes", "assettype", products, "AssetType"),
    *crud("assetmodels", "assetmodel", products, "AssetModel"),
    *crud("vendors", "vendor", suppliers, "Vendor"),
    *crud("contracts", "contract", suppliers, "Contract"),
    *crud("sparepools", "sparepool", spares, "SparePool"),
]
