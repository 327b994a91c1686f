"""What the traffic pages show: the busiest and most-erroring ports over a
period, one interface's series for its chart, and cables whose two ends
disagree on speed or duplex."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import (
    Avg,
    F,
    FloatField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from wardkeeper.inventory.models.locations import subtree_q
from wardkeeper.network.choices import CableSide
from wardkeeper.network.models import Cable, CableEnd, Interface, InterfaceSample

PERIODS = {
    "1h": (dt.timedelta(hours=1), _("Last hour")),
    "24h": (dt.timedelta(hours=24), _("Last 24 hours")),
    "7d": (dt.timedelta(days=7), _("Last 7 days")),
    "30d": (dt.timedelta(days=30), _("Last 30 days")),
}
DEFAULT_PERIOD = "24h"
TOP_N = 10


def human_bps(value: float | None) -> str:
    """``12.5 Mbit/s`` for 12_500_000."""
    if value is None:
        return "-"
    for unit, size in (("Gbit/s", 1e9), ("Mbit/s", 1e6), ("kbit/s", 1e3)):
        if value >= size:
            return f"{value / size:.1f} {unit}"
    return f"{value:.0f} bit/s"


@dataclass(frozen=True)
class PortFigure:
    interface: Interface
    average: float | None  # utilisation %, or errors counted
    peak: float | None  # utilisation %, or errors per second
    extra: float | None  # peak bit/s either way, or discards counted

    @property
    def peak_bps(self) -> str:
        return human_bps(self.extra)


def _samples(since: dt.datetime, site: Any) -> QuerySet[InterfaceSample]:
    rows = InterfaceSample.objects.filter(at__gte=since)
    if site is not None:
        rows = rows.filter(subtree_q(site.pk, "interface__device__location"))
    return rows


def _with_interfaces(
    rows: list[dict[str, Any]], keys: tuple[str, ...]
) -> list[PortFigure]:
    interfaces = Interface.objects.select_related("device").in_bulk(
        [row["interface"] for row in rows]
    )
    return [
        PortFigure(interfaces[row["interface"]], *(row[k] for k in keys))
        for row in rows
    ]


def busiest(
    since: dt.datetime, site: Any = None, limit: int = TOP_N
) -> list[PortFigure]:
    """Ports by average utilisation over the period, busiest first."""
    rows = (
        _samples(since, site)
        .filter(utilisation__isnull=False)
        .values("interface")
        .annotate(
            average=Avg("utilisation"),
            peak=Max("utilisation"),
            in_peak=Max("in_bps"),
            out_peak=Max("out_bps"),
        )
        .order_by("-average", "interface")[:limit]
    )
    figures = []
    for row in rows:
        row["extra"] = max(row.pop("in_peak") or 0.0, row.pop("out_peak") or 0.0)
        figures.append(row)
    return _with_interfaces(figures, ("average", "peak", "extra"))


def _count(*names: str) -> Any:
    """Sum over samples of rate x interval: how many events in the period."""
    total: Any = Value(0.0)
    for name in names:
        total = total + Coalesce(name, Value(0.0))
    return Sum(total * F("seconds"), output_field=FloatField())


def erroring(
    since: dt.datetime, site: Any = None, limit: int = TOP_N
) -> list[PortFigure]:
    """Ports by errors counted over the period (then discards), worst first."""
    rows = (
        _samples(since, site)
        .values("interface")
        .annotate(
            average=_count("in_errors", "out_errors"),
            peak=Max(
                Coalesce("in_errors", Value(0.0)) + Coalesce("out_errors", Value(0.0))
            ),
            extra=_count("in_discards", "out_discards"),
        )
        .filter(Q(average__gt=0.5) | Q(extra__gt=0.5))
        .order_by("-average", "-extra", "interface")[:limit]
    )
    return _with_interfaces(list(rows), ("average", "peak", "extra"))


def series(interface: Interface, since: dt.datetime) -> dict[str, list[Any]]:
    """The interface's samples since then, as chart series of [ms, value]."""
    rows = interface.samples.filter(at__gte=since).order_by("at")
    out: dict[str, list[Any]] = {"in": [], "out": [], "errors": [], "discards": []}
    for at, in_bps, out_bps, ie, oe, idis, odis in rows.values_list(
        "at",
        "in_bps",
        "out_bps",
        "in_errors",
        "out_errors",
        "in_discards",
        "out_discards",
    ):
        ms = int(at.timestamp() * 1000)
        out["in"].append([ms, in_bps])
        out["out"].append([ms, out_bps])
        out["errors"].append([ms, (ie or 0) + (oe or 0)])
        out["discards"].append([ms, (idis or 0) + (odis or 0)])
    return out


def _end(side: str, field: str) -> Subquery:
    return Subquery(
        CableEnd.objects.filter(cable=OuterRef("pk"), side=side).values(
            f"interface__{field}"
        )[:1]
    )


def mismatched_cables() -> QuerySet[Cable]:
    """Cables joining two interfaces that disagree on speed or on duplex
    (each known at both ends): a 100 Mbit/s half-duplex end on a gigabit
    port is slow and drops frames."""
    rows = Cable.objects.annotate(
        a_speed=_end(CableSide.A, "speed_mbps"),
        b_speed=_end(CableSide.B, "speed_mbps"),
        a_duplex=_end(CableSide.A, "duplex"),
        b_duplex=_end(CableSide.B, "duplex"),
    )
    speed = Q(a_speed__isnull=False, b_speed__isnull=False) & ~Q(a_speed=F("b_speed"))
    duplex = (
        Q(a_duplex__isnull=False, b_duplex__isnull=False)
        & ~Q(a_duplex="")
        & ~Q(b_duplex="")
        & ~Q(a_duplex=F("b_duplex"))
    )
    return (
        rows.filter(speed | duplex)
        .prefetch_related("ends__interface__device")
        .order_by("label", "pk")
    )
