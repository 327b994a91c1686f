"""Throughput paths: the throughput checks (monitoring's kind "throughput")
seen as paths of the network — where from (a poller in its zone, or the
server), where to (a sink or a URL), how much each run moves, and the Mbit/s
measured: the last, the medians of the last 24 hours and 7 days, and the
series of the page's chart. The figures come from the raw results (kept
``MONITOR_RAW_DAYS``, 30 by default)."""

from __future__ import annotations

import datetime as dt
import statistics
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wardkeeper.monitoring.choices import CheckKind
from wardkeeper.monitoring.engine.probes.throughput import (
    DEFAULT_PORT,
    DEFAULT_SIZE_MB,
)
from wardkeeper.monitoring.models import Check, Result

RANGES = {
    "24h": (dt.timedelta(hours=24), _("24 hours")),
    "7d": (dt.timedelta(days=7), _("7 days")),
    "30d": (dt.timedelta(days=30), _("30 days")),
}
DEFAULT_RANGE = "24h"
DAY, WEEK = dt.timedelta(hours=24), dt.timedelta(days=7)
# Longer ranges are drawn as hourly medians: 720 points a path for 30 days.
BUCKET = dt.timedelta(hours=1)

Point = tuple[dt.datetime, float]


@dataclass
class PathFigures:
    """What one throughput path measured (Mbit/s; None: nothing measured)."""

    last_mbps: float | None = None
    last_at: dt.datetime | None = None
    median_24h: float | None = None
    median_7d: float | None = None
    series: list[list[float]] = field(default_factory=list)  # [[epoch ms, Mbit/s]]


def paths() -> QuerySet[Check]:
    """Every throughput check, with what the page shows of its poller."""
    return Check.objects.filter(kind=CheckKind.THROUGHPUT).select_related(
        "poller__zone"
    )


def source_of(check: Check) -> str:
    """Where the path starts: "poller (zone)", or the server itself."""
    poller = check.poller
    if poller is None:
        return str(_("the server"))
    return f"{poller.name} ({poller.zone.name})" if poller.zone else poller.name


def target_of(check: Check) -> str:
    """Where the path ends: the URL downloaded, or the sink's host:port."""
    params = check.params or {}
    if params.get("mode") == "http":
        return str(params.get("url") or check.host)
    host = f"[{check.host}]" if ":" in check.host else check.host
    return f"{host}:{params.get('port') or DEFAULT_PORT}"


def size_mb(check: Check) -> float:
    return float((check.params or {}).get("size_mb") or DEFAULT_SIZE_MB)


def _measured(ids: Sequence[int], since: dt.datetime) -> dict[int, list[Point]]:
    """Each check's (time, Mbit/s) since ``since``, oldest first; runs that
    moved nothing (down) are left out. One query on the (source, at) index."""
    rows = (
        Result.objects.filter(source_id__in=ids, at__gte=since)
        .order_by("source_id", "at")
        .values_list("source_id", "at", "values__mbps")
    )
    found: dict[int, list[Point]] = defaultdict(list)
    for source_id, at, mbps in rows:
        if isinstance(mbps, int | float):
            found[source_id].append((at, float(mbps)))
    return found


def _median(points: Iterable[Point]) -> float | None:
    rates = [mbps for _at, mbps in points]
    return round(statistics.median(rates), 2) if rates else None


def _hourly(points: list[Point]) -> list[Point]:
    buckets: dict[dt.datetime, list[float]] = defaultdict(list)
    for at, mbps in points:
        buckets[at.replace(minute=0, second=0, microsecond=0)].append(mbps)
    return [(hour, statistics.median(rates)) for hour, rates in buckets.items()]


def figures(
    checks: Sequence[Check], span: str = DEFAULT_RANGE, now: dt.datetime | None = None
) -> dict[int, PathFigures]:
    """The figures of each check (by id), its chart series over ``span``
    (raw for 24 hours, hourly medians beyond)."""
    now = now or timezone.now()
    window = RANGES.get(span, RANGES[DEFAULT_RANGE])[0]
    measured = _measured([c.pk for c in checks], now - max(window, WEEK))
    answer = {}
    for check in checks:
        points = measured.get(check.pk, [])
        shown = [p for p in points if p[0] >= now - window]
        if window > DAY:
            shown = _hourly(shown)
        answer[check.pk] = PathFigures(
            last_mbps=points[-1][1] if points else None,
            last_at=points[-1][0] if points else None,
            median_24h=_median(p for p in points if p[0] >= now - DAY),
            median_7d=_median(points),
            series=[[at.timestamp() * 1000, round(v, 2)] for at, v in shown],
        )
    return answer


def chart(
    checks: Sequence[Check], found: dict[int, PathFigures], span: str, now: Any = None
) -> dict[str, Any]:
    """The page's chart: one line of Mbit/s per path, over ``span``."""
    now = now or timezone.now()
    window = RANGES.get(span, RANGES[DEFAULT_RANGE])[0]
    return {
        "start": int((now - window).timestamp() * 1000),
        "end": int(now.timestamp() * 1000),
        "series": [
            {"name": check.name, "points": found[check.pk].series}
            for check in checks
            if found[check.pk].series
        ],
    }
