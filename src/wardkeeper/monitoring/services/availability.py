"""Availability of checks, assets, departments and services over a period,
from the hourly or daily roll-ups, and outages with their downtime.

Definitions (docs/monitoring-reports.md):

* A run is *available* when its status was up or degraded (answering).
* Runs inside a maintenance window are counted in ``Rollup.maintenance`` only,
  not in up/degraded/down.
* ``percent`` (maintenance excluded, the usual SLA figure) =
  available / (available + down).
* ``percent_strict`` (maintenance counted as downtime) =
  available / (available + down + maintenance).
* A group (asset, department, service) adds up the runs of all its checks.
* Downtime is the time of the outages overlapping the period, clipped to it;
  ``downtime_planned`` is the part of it marked as in a maintenance window.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wardkeeper.monitoring.models import Check, Outage, Rollup

# Periods longer than this read daily roll-ups (one row a day per check)
# rather than hourly ones: a year of 20,000 checks is 7 million rows a day
# fewer to add up.
HOURLY_UP_TO = dt.timedelta(days=31)

# How each grouping reads a check's key and label, through the roll-up's check.
GROUPINGS: dict[str, tuple[Any, tuple[str, ...]]] = {
    "check": (_("Check"), ("source_id", "source__name")),
    "asset": (
        _("Asset"),
        ("source__asset_id", "source__asset__tag", "source__asset__name"),
    ),
    "department": (
        _("Department"),
        ("source__asset__department_id", "source__asset__department__name"),
    ),
    "service": (_("Service"), ("source__service",)),
}


@dataclass
class Availability:
    """The figures of one row of a report (one check, asset, department or
    service)."""

    key: Any
    label: str
    runs: int = 0
    available: int = 0
    down: int = 0
    maintenance: int = 0
    outages: int = 0
    downtime: dt.timedelta = field(default_factory=dt.timedelta)
    downtime_planned: dt.timedelta = field(default_factory=dt.timedelta)

    @property
    def percent(self) -> float | None:
        """Available share of runs, maintenance windows left out."""
        counted = self.available + self.down
        return round(100 * self.available / counted, 3) if counted else None

    @property
    def percent_strict(self) -> float | None:
        """Available share of runs, maintenance windows counted as down."""
        counted = self.available + self.down + self.maintenance
        return round(100 * self.available / counted, 3) if counted else None

    @property
    def downtime_unplanned(self) -> dt.timedelta:
        return self.downtime - self.downtime_planned


@dataclass
class Report:
    start: dt.datetime
    end: dt.datetime
    grouping: str
    period: str  # the roll-up period read: "hour" or "day"
    rows: list[Availability]
    total: Availability


def _row_key(grouping: str, values: dict[str, Any]) -> tuple[Any, str]:
    names = GROUPINGS[grouping][1]
    key = values[names[0]]
    if grouping == "asset":
        label = f"{values[names[1]]} {values[names[2]]}" if key else ""
    else:
        label = values[names[-1]] or ""
    return key, str(label) or str(_("(none)"))


def _rollups(checks: QuerySet[Check], start: dt.datetime, end: dt.datetime) -> Any:
    period = Rollup.HOUR if end - start <= HOURLY_UP_TO else Rollup.DAY
    rows = Rollup.objects.filter(
        period=period, start__gte=start, start__lt=end, source__in=checks
    )
    return period, rows


def _outages(
    checks: QuerySet[Check], start: dt.datetime, end: dt.datetime
) -> Iterable[Outage]:
    return (
        Outage.objects.filter(source__in=checks, started_at__lt=end)
        .filter(Q(ended_at=None) | Q(ended_at__gt=start))
        .select_related("source", "source__asset", "source__asset__department")
        .iterator(chunk_size=2000)
    )


def _outage_key(grouping: str, outage: Outage) -> Any:
    check = outage.source
    if grouping == "check":
        return check.pk
    if grouping == "service":
        return check.service
    if grouping == "asset":
        return check.asset_id
    return check.asset.department_id if check.asset else None


def compute(
    start: dt.datetime,
    end: dt.datetime,
    *,
    grouping: str = "check",
    checks: QuerySet[Check] | None = None,
    now: dt.datetime | None = None,
) -> Report:
    """Availability of each check, asset, department or service
    (``grouping``) between ``start`` and ``end``. Raises KeyError for an
    unknown grouping."""
    label_fields = GROUPINGS[grouping][1]
    checks = checks if checks is not None else Check.objects.all()
    now = now or timezone.now()
    period, rollups = _rollups(checks, start, end)
    rows: dict[Any, Availability] = {}
    sums = rollups.values(*label_fields).annotate(
        runs=Sum("runs"),
        up=Sum("up"),
        degraded=Sum("degraded"),
        down=Sum("down"),
        maintenance=Sum("maintenance"),
    )
    for values in sums:
        key, label = _row_key(grouping, values)
        rows[key] = Availability(
            key=key,
            label=label,
            runs=values["runs"] or 0,
            available=(values["up"] or 0) + (values["degraded"] or 0),
            down=values["down"] or 0,
            maintenance=values["maintenance"] or 0,
        )
    _add_outages(rows, grouping, checks, start, end, now)
    ordered = sorted(rows.values(), key=_worst_first)
    return Report(start, end, grouping, period, ordered, _total(ordered))


def _add_outages(
    rows: dict[Any, Availability],
    grouping: str,
    checks: QuerySet[Check],
    start: dt.datetime,
    end: dt.datetime,
    now: dt.datetime,
) -> None:
    for outage in _outages(checks, start, end):
        key = _outage_key(grouping, outage)
        row = rows.get(key)
        if row is None:
            # Down all period long before any roll-up was written: still a row.
            row = rows[key] = Availability(
                key=key, label=_outage_label(grouping, outage)
            )
        stop = min(outage.ended_at or now, end, now)
        length = max(stop - max(outage.started_at, start), dt.timedelta())
        row.outages += 1
        row.downtime += length
        if outage.in_maintenance:
            row.downtime_planned += length


def _outage_label(grouping: str, outage: Outage) -> str:
    check = outage.source
    if grouping == "check":
        return check.name
    if grouping == "service":
        return check.service or str(_("(none)"))
    if grouping == "asset":
        return str(check.asset) if check.asset else str(_("(none)"))
    department = check.asset.department if check.asset else None
    return str(department) if department else str(_("(none)"))


def _worst_first(row: Availability) -> tuple[float, str]:
    percent = row.percent
    return (101.0 if percent is None else percent, row.label)


def _total(rows: list[Availability]) -> Availability:
    total = Availability(key=None, label=str(_("All")))
    for row in rows:
        total.runs += row.runs
        total.available += row.available
        total.down += row.down
        total.maintenance += row.maintenance
        total.outages += row.outages
        total.downtime += row.downtime
        total.downtime_planned += row.downtime_planned
    return total


def table(report: Report) -> tuple[list[str], list[list[Any]]]:
    """The report as a header and rows, for CSV, XLSX and PDF."""
    header = [
        str(GROUPINGS[report.grouping][0]),
        str(_("Availability % (maintenance excluded)")),
        str(_("Availability % (maintenance counted)")),
        str(_("Runs")),
        str(_("Down runs")),
        str(_("Runs in maintenance")),
        str(_("Outages")),
        str(_("Downtime (minutes)")),
        str(_("Planned downtime (minutes)")),
    ]
    rows = [_cells(row) for row in [*report.rows, report.total]]
    return header, rows


def _cells(row: Availability) -> list[Any]:
    return [
        row.label,
        row.percent,
        row.percent_strict,
        row.runs,
        row.down,
        row.maintenance,
        row.outages,
        round(row.downtime.total_seconds() / 60, 1),
        round(row.downtime_planned.total_seconds() / 60, 1),
    ]
