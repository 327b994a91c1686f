"""Inventory figures: counts for the home page and the equipment integrity rate."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q

from wardkeeper.inventory.choices import AssetStatus, Condition
from wardkeeper.inventory.models import Asset, Contract, SparePool
from wardkeeper.inventory.models.assets import AssetQuerySet
from wardkeeper.inventory.models.spares import available_counts


@dataclass(frozen=True)
class IntegrityRate:
    """In-use assets in working order over all in-use assets."""

    label: str
    working: int
    in_use: int

    @property
    def percent(self) -> float | None:
        return (
            None if self.in_use == 0 else round(100.0 * self.working / self.in_use, 1)
        )


def integrity_rate(assets: AssetQuerySet | None = None) -> IntegrityRate:
    """The equipment integrity rate over ``assets`` (default: all)."""
    row = (
        (assets if assets is not None else Asset.objects.all())
        .in_use()
        .aggregate(
            in_use=Count("id"),
            working=Count("id", filter=Q(condition=Condition.WORKING)),
        )
    )
    return IntegrityRate("", row["working"], row["in_use"])


def integrity_by_department(
    assets: AssetQuerySet | None = None,
) -> list[IntegrityRate]:
    """The integrity rate of each department holding in-use assets, worst first."""
    rows = (
        (assets if assets is not None else Asset.objects.all())
        .in_use()
        .values("department__name")
        .annotate(
            in_use=Count("id"),
            working=Count("id", filter=Q(condition=Condition.WORKING)),
        )
    )
    rates = [
        IntegrityRate(row["department__name"] or "—", row["working"], row["in_use"])
        for row in rows
    ]
    return sorted(rates, key=lambda rate: (rate.percent or 0.0, rate.label))


def pools_below_minimum() -> list[tuple[SparePool, int]]:
    """Spare pools holding fewer spares than their minimum, with the count held."""
    pools = list(
        SparePool.objects.select_related(
            "campus", "asset_model__manufacturer", "asset_type"
        )
    )
    counts = available_counts(pools)
    return [
        (pool, counts[pool.pk])
        for pool in pools
        if counts[pool.pk] < pool.minimum_level
    ]


def inventory_summary() -> dict[str, Any]:
    by_status = dict(
        Asset.objects.values_list("status").annotate(n=Count("id")).order_by()
    )
    return {
        "total": sum(by_status.values()),
        "by_status": [
            (AssetStatus(s), by_status.get(s, 0)) for s in AssetStatus.values
        ],
        "integrity": integrity_rate(),
        "expiring_contracts": Contract.objects.expiring_within(60).count(),
        "pools_below_minimum": len(pools_below_minimum()),
    }
