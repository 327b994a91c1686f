"""Hourly and daily roll-ups, and pruning old raw results.

An hour's roll-up is taken from its raw results: it counts the runs by
status (maintenance counted apart, so availability can be shown with and
without planned work) and takes the latency's median and 95th percentile,
in Python (the same on SQLite and PostgreSQL).

A day's roll-up is taken from its hours' roll-ups, never from raw results:
raw results are kept only ``MONITOR_RAW_DAYS`` days, and the demo's past
has hours and days but no raw results, so a day rebuilt from raw would lose
whatever is no longer (or never was) there. Its runs are the sums of its
hours'. Its latency, from the hours' percentiles (the raw values are not at
hand):

- median: the median of the hours' medians, each hour weighing as many as
  its runs that were not down (only an answer has a latency) — the first
  hour, in order of median, whose running weight passes half the total;
- 95th percentile: the highest of the hours' 95th percentiles. It never
  understates the day (no more than 5 % of any hour's values, so of the
  day's, lie above it) and names the worst hour's tail, which is what an
  engineer looks for in a day's latency.

An hour belongs to the day (the hospital's local day) in which it begins.
Rolling up again replaces only the rows of checks that have something to
roll up — raw results in the hour, hours in the day — so a rerun or a late
batch is harmless and a simulated hour or day is left as it is.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import Max, QuerySet
from django.utils import timezone

from wardkeeper.monitoring import conf
from wardkeeper.monitoring.models import Result, Rollup

HOUR = dt.timedelta(hours=1)
DAY = dt.timedelta(days=1)
PRUNE_CHUNK = 5000
COUNTS = ("runs", "up", "degraded", "down", "maintenance")


def percentile(values: list[float], fraction: float) -> float | None:
    """The nearest-rank percentile of ``values`` (sorted here)."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, int(-(-fraction * len(ordered) // 1)))  # ceil
    return ordered[min(rank, len(ordered)) - 1]


def weighted_median(pairs: Iterable[tuple[float, int]]) -> float | None:
    """The value whose running weight, in order of value, first passes half
    the total weight; None when nothing weighs anything."""
    ordered = sorted((value, weight) for value, weight in pairs if weight > 0)
    half = sum(weight for _value, weight in ordered) / 2
    running = 0
    for value, weight in ordered:
        running += weight
        if running > half:
            return value
    return None


def _hour(start: dt.datetime) -> list[Rollup]:
    """Each check's runs in the hour from ``start``, from its raw results."""
    buckets: dict[int, dict[str, Any]] = defaultdict(
        lambda: {name: 0 for name in COUNTS} | {"lat": []}
    )
    rows = Result.objects.filter(at__gte=start, at__lt=start + HOUR).values_list(
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
            period=Rollup.HOUR,
            start=start,
            **{name: b[name] for name in COUNTS},
            latency_p50=percentile(b["lat"], 0.5),
            latency_p95=percentile(b["lat"], 0.95),
        )
        for source, b in buckets.items()
    ]


def _hours_of(start: dt.datetime) -> QuerySet[Rollup]:
    return Rollup.objects.filter(
        period=Rollup.HOUR, start__gte=start, start__lt=day_end(start)
    )


def _day(start: dt.datetime) -> list[Rollup]:
    """Each check's day from ``start``, from its hours' roll-ups."""
    sums: dict[int, dict[str, int]] = defaultdict(lambda: dict.fromkeys(COUNTS, 0))
    medians: dict[int, list[tuple[float, int]]] = defaultdict(list)
    worst: dict[int, float] = {}
    rows = _hours_of(start).values_list(
        "source_id", *COUNTS, "latency_p50", "latency_p95"
    )
    for source, *counts, p50, p95 in rows.iterator(chunk_size=5000):
        total = sums[source]
        for name, n in zip(COUNTS, counts, strict=True):
            total[name] += n
        runs, down = counts[0], counts[3]
        if p50 is not None:
            medians[source].append((p50, runs - down))
        if p95 is not None:
            worst[source] = max(p95, worst.get(source, p95))
    return [
        Rollup(
            source_id=source,
            period=Rollup.DAY,
            start=start,
            **total,
            latency_p50=weighted_median(medians[source]),
            latency_p95=worst.get(source),
        )
        for source, total in sums.items()
    ]


@transaction.atomic
def roll_up(period: str, start: dt.datetime) -> int:
    """(Re)write the roll-ups of the hour (from raw results) or the day (from
    its hours) beginning at ``start``, for the checks that have any."""
    present: QuerySet[Any]
    if period == Rollup.HOUR:
        rows = _hour(start)
        present = Result.objects.filter(at__gte=start, at__lt=start + HOUR)
    else:
        rows = _day(start)
        present = _hours_of(start)
    # A subquery, not a list of ids: no limit on the number of checks.
    Rollup.objects.filter(
        period=period, start=start, source__in=present.values("source_id")
    ).delete()
    Rollup.objects.bulk_create(rows, batch_size=1000)
    return len(rows)


def hour_start(at: dt.datetime) -> dt.datetime:
    return at.astimezone(dt.UTC).replace(minute=0, second=0, microsecond=0)


def day_start(at: dt.datetime) -> dt.datetime:
    """Midnight in the configured zone, so a day is the hospital's day."""
    local = timezone.localtime(at).replace(hour=0, minute=0, second=0, microsecond=0)
    return local.astimezone(dt.UTC)


def day_end(start: dt.datetime) -> dt.datetime:
    """The next midnight after the day beginning at ``start`` (23 or 25
    hours on when the clocks change)."""
    return day_start(start + DAY + HOUR)


def _hours_due(now: dt.datetime, since: dt.datetime) -> list[dt.datetime]:
    """The current hour and the last finished one, and back to the last hour
    rolled up if the job has not run for a while (to ``since`` if it never
    has), but no hour before ``since`` nor one whose raw results may be
    partly pruned."""
    current = hour_start(now)
    rolled = Rollup.objects.filter(period=Rollup.HOUR, start__lte=current).aggregate(
        last=Max("start")
    )["last"]
    first = since if rolled is None else min(current - HOUR, rolled)
    kept = now - dt.timedelta(days=conf.get("MONITOR_RAW_DAYS"))
    whole = hour_start(kept) + (HOUR if hour_start(kept) < kept else dt.timedelta())
    first = max(first, hour_start(since), whole)
    return [first + n * HOUR for n in range(int((current - first) / HOUR) + 1)]


def roll_up_due(now: dt.datetime) -> dict[str, int]:
    """The hours not rolled up for good yet, from raw results, then this day
    and the last one from their hours (late results of the day are picked up
    on the next run)."""
    today = day_start(now)
    yesterday = day_start(today - HOUR)
    return {
        "hours": sum(roll_up(Rollup.HOUR, h) for h in _hours_due(now, yesterday)),
        "days": roll_up(Rollup.DAY, yesterday) + roll_up(Rollup.DAY, today),
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
