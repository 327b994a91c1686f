"""What the traffic pages show: the busiest and most-erroring ports over a
period, one interface's series for its chart, and links (a cable, or
cables through patch panels) whose two interfaces disagree on speed or
duplex."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Avg, F, FloatField, Max, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from wardkeeper.inventory.models.locations import subtree_q
from wardkeeper.network.models import Cable, CableEnd, Interface, InterfaceSample
from wardkeeper.network.services.topology import CHUNK, IGNORED_CABLES
from wardkeeper.network.services.trace import interface_pairs

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


@dataclass(frozen=True)
class Mismatch:
    """Two interfaces joined by a cable, or by cables through patch panels,
    that disagree on speed or duplex (each known at both ends)."""

    a: Interface
    b: Interface
    cables: list[Cable]

    @property
    def speed(self) -> bool:
        return _differ(self.a.speed_mbps, self.b.speed_mbps)

    @property
    def duplex(self) -> bool:
        return _differ(self.a.duplex, self.b.duplex)


def _differ(a: Any, b: Any) -> bool:
    return a not in (None, "") and b not in (None, "") and a != b


def mismatch_of(a: Interface, b: Interface) -> list[str]:
    """What ``a`` and ``b`` disagree on, as a person reads it ([] if nothing
    or not known): a 100 Mbit/s half-duplex end on a gigabit port is slow
    and drops frames."""
    found = []
    if _differ(a.speed_mbps, b.speed_mbps):
        found.append(
            _("speed %(a)s Mbit/s here, %(b)s Mbit/s at the far end")
            % {"a": a.speed_mbps, "b": b.speed_mbps}
        )
    if _differ(a.duplex, b.duplex):
        found.append(
            _("%(a)s duplex here, %(b)s duplex at the far end")
            % {"a": a.get_duplex_display(), "b": b.get_duplex_display()}
        )
    return found


def mismatched_links() -> list[Mismatch]:
    """Pairs of interfaces, joined by a cable or a chain of cables through
    patch panels, that disagree on speed or duplex; by device and name.

    One query reads the ends of the cables in use that could be on such a
    chain (a cable with an outlet end ends a path) with their interface's
    speed and duplex; the walk through the panels is trace's, in memory."""
    rows = (
        CableEnd.objects.exclude(cable__status__in=IGNORED_CABLES)
        .exclude(cable__ends__outlet__isnull=False)
        .values_list(
            "cable_id",
            "interface_id",
            "port_id",
            "face",
            "interface__speed_mbps",
            "interface__duplex",
        )
    )
    known: dict[int, tuple[Any, Any]] = {}
    walk = []
    for cable, interface, port, face, speed, duplex in rows:
        walk.append((cable, interface, port, face))
        if interface is not None:
            known[interface] = (speed, duplex)
    found = [
        (a, b, cables)
        for a, b, cables in interface_pairs(walk)
        if any(_differ(x, y) for x, y in zip(known[a], known[b], strict=True))
    ]
    return _loaded(found)


def _loaded(found: list[tuple[int, int, list[int]]]) -> list[Mismatch]:
    """The mismatches found (ids) with their interfaces and cables read."""
    interfaces: dict[int, Interface] = {}
    cables: dict[int, Cable] = {}
    wanted = sorted({pk for a, b, _c in found for pk in (a, b)})
    cable_ids = sorted({pk for _a, _b, chain in found for pk in chain})
    for start in range(0, len(wanted), CHUNK):
        interfaces.update(
            Interface.objects.select_related("device").in_bulk(
                wanted[start : start + CHUNK]
            )
        )
    for start in range(0, len(cable_ids), CHUNK):
        cables.update(Cable.objects.in_bulk(cable_ids[start : start + CHUNK]))
    links = [
        Mismatch(interfaces[a], interfaces[b], [cables[pk] for pk in chain])
        for a, b, chain in found
    ]
    return sorted(links, key=lambda m: (str(m.a.device), m.a.name, m.a.pk))
