"""The latency series of a check's page: the last 24 hours from raw results,
or the last 30 days from hourly roll-ups (median and 95th percentile)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from wardkeeper.monitoring.models import Check, Outage, Result, Rollup

RANGES = {"24h": dt.timedelta(hours=24), "30d": dt.timedelta(days=30)}
# A day of a 30-second check is 2,880 points; ECharts draws that easily.
MAX_POINTS = 5000


def _ms(at: dt.datetime) -> int:
    return int(at.timestamp() * 1000)


def latency(check: Check, span: str, now: dt.datetime | None = None) -> dict[str, Any]:
    """Series for the chart: ``[[epoch ms, ms], …]`` per line, and the
    outages in the window as shaded areas (maintenance ones apart)."""
    now = now or timezone.now()
    start = now - RANGES.get(span, RANGES["24h"])
    if span == "30d":
        rows = Rollup.objects.filter(
            source=check, period=Rollup.HOUR, start__gte=start
        ).order_by("start")
        hourly = rows.values_list("start", "latency_p50", "latency_p95")[:MAX_POINTS]
        series = {
            "p50": [[_ms(at), p50] for at, p50, _p95 in hourly],
            "p95": [[_ms(at), p95] for at, _p50, p95 in hourly],
        }
    else:
        results = Result.objects.filter(source=check, at__gte=start).order_by("at")
        raw = results.values_list("at", "latency_ms")[:MAX_POINTS]
        series = {"latency": [[_ms(at), ms] for at, ms in raw]}
    outages = Outage.objects.filter(source=check, started_at__lt=now).exclude(
        ended_at__lt=start
    )
    areas = [
        [_ms(max(o.started_at, start)), _ms(o.ended_at or now), o.in_maintenance]
        for o in outages
    ]
    return {"series": series, "outages": areas, "start": _ms(start), "end": _ms(now)}
