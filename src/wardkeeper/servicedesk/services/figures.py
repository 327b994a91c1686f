"""Service-desk figures over a period: MTTA, MTTR, SLA compliance, first-time
fix, volumes, backlog by age, top failing models and places, broken down by
team, department, category and priority. Definitions: docs/servicedesk-figures.md.

The period selects tickets by the day they were reported. Figures are read
from daily roll-ups (services/rollups.py), never from the tickets row by row:
one grouped query over (team, department, category, priority) gives the
totals and every breakdown as sums of its rows, so a year of a million
tickets costs a few thousand roll-up rows.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, F, Q, QuerySet, Sum
from django.utils.translation import gettext_lazy as _

from wardkeeper.inventory.models import AssetModel, Department, Location
from wardkeeper.servicedesk.choices import (
    OPEN_STATES,
    Category,
    MaintenanceKind,
    Priority,
)
from wardkeeper.servicedesk.models import DayFault, DayTally, Team, Ticket
from wardkeeper.servicedesk.services import rollups

DIMENSIONS = ("team", "department", "category", "priority")
DIMENSION_LABELS = {
    "team": _("Team"),
    "department": _("Department"),
    "category": _("Category"),
    "priority": _("Priority"),
}
# Backlog ages: (label, lower bound, upper bound) in days.
AGE_BUCKETS = (
    (_("under 1 day"), 0, 1),
    (_("1 to 3 days"), 1, 3),
    (_("3 to 7 days"), 3, 7),
    (_("1 to 4 weeks"), 7, 30),
    (_("over 30 days"), 30, None),
)


@dataclass
class Tally:
    """Sums that figures are made from; adding tallies adds their tickets."""

    reported: int = 0
    responded: int = 0
    response_total: int = 0
    resolved: int = 0
    restore_total: int = 0
    sla_known: int = 0
    sla_met: int = 0
    closed: int = 0
    fixed_first_time: int = 0
    still_open: int = 0

    def add(self, other: Tally) -> None:
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))

    @property
    def mtta_seconds(self) -> float | None:
        return self.response_total / self.responded if self.responded else None

    @property
    def mttr_seconds(self) -> float | None:
        return self.restore_total / self.resolved if self.resolved else None

    @property
    def sla_percent(self) -> float | None:
        return _percent(self.sla_met, self.sla_known)

    @property
    def first_time_fix_percent(self) -> float | None:
        return _percent(self.fixed_first_time, self.closed)


@dataclass
class Row:
    key: Any
    label: str
    tally: Tally


@dataclass
class Figures:
    start: dt.date
    end: dt.date
    total: Tally
    breakdowns: dict[str, list[Row]]
    series: list[tuple[dt.date, int, int]]  # day or month, reported, resolved
    series_by_month: bool
    backlog: list[tuple[str, int]]
    top_models: list[tuple[str, int]]
    top_locations: list[tuple[str, int]]
    notes: list[str] = field(default_factory=list)


def _percent(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def compute(
    start: dt.date,
    end: dt.date,
    *,
    now: dt.datetime,
    filters: dict[str, Any] | None = None,
    top: int = 10,
) -> Figures:
    """The figures of the tickets reported on the days [start, end), narrowed
    by ``filters`` (team, department, category, priority)."""
    filters = {key: value for key, value in (filters or {}).items() if value}
    rollups.refresh_stale()
    days = DayTally.objects.filter(day__gte=start, day__lt=end, **_ids(filters))
    total = Tally()
    parts: dict[str, dict[Any, Tally]] = {
        name: defaultdict(Tally) for name in DIMENSIONS
    }
    sums = {name: Sum(name) for name in Tally.__dataclass_fields__}
    grouped = days.values("team_id", "department_id", "category", "priority").annotate(
        **sums
    )
    for row in grouped.order_by():
        tally = Tally(**{name: row[name] or 0 for name in sums})
        total.add(tally)
        for name in DIMENSIONS:
            parts[name][row[_column(name)]].add(tally)
    by_month = (end - start).days > 62
    tickets = Ticket.objects.filter(**filters)
    return Figures(
        start=start,
        end=end,
        total=total,
        breakdowns={name: _rows(name, parts[name]) for name in DIMENSIONS},
        series=_series(days, by_month),
        series_by_month=by_month,
        backlog=backlog(tickets, now),
        top_models=_top(start, end, filters, DayFault.MODEL, top),
        top_locations=_top(start, end, filters, DayFault.LOCATION, top),
    )


def _column(name: str) -> str:
    return f"{name}_id" if name in ("team", "department") else name


def _ids(filters: dict[str, Any]) -> dict[str, Any]:
    """Filters on the roll-ups, which hold plain ids."""
    return {
        _column(name): getattr(value, "pk", value) for name, value in filters.items()
    }


def _rows(name: str, tallies: dict[Any, Tally]) -> list[Row]:
    labels = _labels(name, [key for key in tallies if key is not None])
    rows = [
        Row(key, labels.get(key, str(_("(none)"))), tally)
        for key, tally in tallies.items()
    ]
    if name == "priority":
        return sorted(rows, key=lambda row: row.key)
    return sorted(rows, key=lambda row: (-row.tally.reported, row.label))


def _labels(name: str, keys: Iterable[Any]) -> dict[Any, str]:
    if name == "team":
        return {t.pk: t.name for t in Team.objects.filter(pk__in=keys)}
    if name == "department":
        return {d.pk: d.name for d in Department.objects.filter(pk__in=keys)}
    if name == "category":
        return {key: str(Category(key).label) for key in keys}
    return {key: str(Priority(key).label) for key in keys}


def _series(days: QuerySet[DayTally], by_month: bool) -> list[tuple[dt.date, int, int]]:
    """Reported per day (or month), and how many of those are resolved."""
    buckets: dict[dt.date, list[int]] = {}
    rows = days.values("day").annotate(n=Sum("reported"), r=Sum("resolved"))
    for row in rows.order_by("day"):
        key = row["day"].replace(day=1) if by_month else row["day"]
        bucket = buckets.setdefault(key, [0, 0])
        bucket[0] += row["n"]
        bucket[1] += row["r"]
    return [(key, n, r) for key, (n, r) in buckets.items()]


def backlog(tickets: QuerySet[Ticket], now: dt.datetime) -> list[tuple[str, int]]:
    """Open tickets now, by how long ago they were reported (one query)."""
    counts: dict[str, Any] = {}
    for index, (_label, low, high) in enumerate(AGE_BUCKETS):
        condition = Q(created_at__lte=now - dt.timedelta(days=low))
        if high is not None:
            condition &= Q(created_at__gt=now - dt.timedelta(days=high))
        counts[f"b{index}"] = Count("id", filter=condition)
    row = tickets.filter(state__in=OPEN_STATES).order_by().aggregate(**counts)
    return [
        (str(label), row[f"b{index}"] or 0)
        for index, (label, _low, _high) in enumerate(AGE_BUCKETS)
    ]


def _top(
    start: dt.date, end: dt.date, filters: dict[str, Any], kind: str, top: int
) -> list[tuple[str, int]]:
    """Where faults (corrective tickets) cluster: the models or places with
    the most, most first. From the roll-ups; with filters, from the tickets."""
    rows: QuerySet[Any, dict[str, Any]]
    if filters:
        path = "asset__model" if kind == DayFault.MODEL else "location"
        first, _last = rollups.day_bounds(start)
        after, _next = rollups.day_bounds(end)
        rows = (
            Ticket.objects.filter(
                created_at__gte=first,
                created_at__lt=after,
                kind=MaintenanceKind.CORRECTIVE,
                **filters,
            )
            .exclude(**{f"{path}__isnull": True})
            .order_by()
            .values(key=F(path))
            .annotate(faults=Count("id"))
        )
    else:
        rows = (
            DayFault.objects.filter(kind=kind, day__gte=start, day__lt=end)
            .values("key")
            .annotate(faults=Sum("faults"))
        )
    ranked = [
        (row["key"], row["faults"]) for row in rows.order_by("-faults", "key")[:top]
    ]
    model = AssetModel if kind == DayFault.MODEL else Location
    names = {
        obj.pk: str(obj) for obj in model.objects.filter(pk__in=[k for k, _n in ranked])
    }
    return [(names.get(key, "?"), faults) for key, faults in ranked]
