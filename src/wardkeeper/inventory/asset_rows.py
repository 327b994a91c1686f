"""What a row of an asset list shows, read without joining tables.

Each relation of a page of assets comes in one small query by id, with only
the columns a row shows. Joining them instead made PostgreSQL spend longer
planning each page than running it (100,000 assets: ~35 ms to plan the
asset table joined to itself, ~14 ms for the five other joins; execution took
1 ms), and when a filter's estimate was off it joined and sorted every
matching row before taking the page. A related row that many assets share is
also read and built only once. The API list and the list page both use it.
"""

from __future__ import annotations

from django.db.models import Prefetch

from wardkeeper.inventory.models import (
    Asset,
    AssetModel,
    AssetType,
    Department,
    Location,
    Vendor,
)
from wardkeeper.inventory.models.assets import AssetQuerySet


def with_row_relations(assets: AssetQuerySet) -> AssetQuerySet:
    """``assets`` fetching, per page, what each row shows of its relations:
    the name of each (``str()``), a room's criticality and a type's years."""
    models = AssetModel.objects.only("name", "manufacturer__name")
    return assets.prefetch_related(
        Prefetch("model", models.select_related("manufacturer")),
        Prefetch(
            "asset_type",
            AssetType.objects.only("name", "is_builtin", "depreciation_years"),
        ),
        Prefetch("location", Location.objects.only("name", "full_name", "criticality")),
        Prefetch("department", Department.objects.only("name")),
        Prefetch("vendor", Vendor.objects.only("name")),
        Prefetch("parent", Asset.objects.only("tag", "name")),
    )
