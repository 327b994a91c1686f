"""Hourly and daily roll-ups of raw results, and pruning old raw results.

An hour's roll-up counts the runs by status (maintenance counted apart, so
availability can be shown with and without planned work) and takes the
latency's median and 95th percentile from the raw results, in Python (the
same on SQLite and PostgreSQL). A day is summed from its hours; its
percentiles are taken from the day's raw results too. Rolling up again
replaces the rows, so a late batch or a rerun is harmless.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from django.db import transaction
from django.utils import timezone

from wardkeeper.monitoring import conf
from wardkeeper.monitoring.models import Result, Rollup

HOUR = dt.timedelta(hours=1)
DAY = dt.timedelta(days=1)
PRUNE_CHUNK = 5000


def percentile(values: list[float], fraction: float) -> float | None:
    """The nearest-rank percentile of ``values`` (sorted here)."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, int(-(-fraction * len(ordered) // 1)))  # ceil
    return ordered[min(rank, len(ordered)) - 1]


def _summarise(period: str, start: dt.datetime, end: dt.datetime) -> list[Rollup]:
    buckets: dict[int, dict[str, Any]] = defaultdict(
        lambda: {
            "runs": 0,
            "up": 0,
            "degraded": 0,
            "down": 0,
            "maintenance": 0,
            "lat": [],
        }
    )
    rows = Result.objects.filter(at__gte=start, at__lt=end).values_list(
        "source_id", "status", "latency_ms", "in_maintenance"
    )
    for source, status, latency, in_window in rows.iterator(chunk_size=5000):
        bucket = buckets[source]
        bucket["runs"] += 1
        if in_window:
            bucket["maintenance"] += 1
        elif status in ("up", "degraded", "down"):
            bucket[status] += 1
        if latency is not None and status in ("up", "degraded"):
            bucket["lat"].append(latency)
    return [
        Rollup(
            source_id=source,
            period=period,
            start=start,
            runs=b["runs"],
            up=b["up"],
            degraded=b["degraded"],
            down=b["down"],
            maintenance=b["maintenance"],
            latency_p50=percentile(b["lat"], 0.5),
            latency_p95=percentile(b["lat"], 0.95),
        )
        for source, b in buckets.items()
    ]


@transaction.atomic
def roll_up(period: str, start: dt.datetime) -> int:
    """(Re)write the roll-ups of the hour or day beginning at ``start``."""
    end = start + (HOUR if period == Rollup.HOUR else DAY)
    rows = _summarise(period, start, end)
    Rollup.objects.filter(period=period, start=start).delete()
    Rollup.objects.bulk_create(rows, batch_size=1000)
    return len(rows)


def hour_start(at: dt.datetime) -> dt.datetime:
    return at.astimezone(dt.UTC).replace(minute=0, second=0, microsecond=0)


def day_start(at: dt.datetime) -> dt.datetime:
    """Midnight in the configured zone, so a day is the hospital's day."""
    local = timezone.localtime(at).replace(hour=0, minute=0, second=0, microsecond=0)
    return local.astimezone(dt.UTC)


def roll_up_due(now: dt.datetime) -> dict[str, int]:
    """The last finished hour, and this day and the last one (late results
    of the day are picked up on the next run)."""
    last_hour = hour_start(now) - HOUR
    today = day_start(now)
    return {
        "hours": roll_up(Rollup.HOUR, last_hour)
        + roll_up(Rollup.HOUR, last_hour + HOUR),
        "days": roll_up(Rollup.DAY, day_start(today - HOUR))
        + roll_up(Rollup.DAY, today),
    }


def prune(now: dt.datetime) -> int:
    """Delete raw results older than MONITOR_RAW_DAYS, in chunks (a long
    delete would hold SQLite's write lock from the monitor)."""
    cutoff = now - dt.timedelta(days=conf.get("MONITOR_RAW_DAYS"))
    removed = 0
    while True:
        ids = list(
            Result.objects.filter(at__lt=cutoff).values_list("pk", flat=True)[
                :PRUNE_CHUNK
            ]
        )
        if not ids:
            return removed
        removed += Result.objects.filter(pk__in=ids).delete()[0]
