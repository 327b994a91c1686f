"""Keeping the daily roll-ups (models/figures.py) true to the tickets.

A day is the local date (settings.TIME_ZONE) a ticket was reported. Saving a
ticket marks its day stale; ``refresh_stale`` recounts stale days from the
tickets (the dashboard calls it before reading, the worker every minute);
``rebuild`` recounts every day, after a bulk load or a time-zone change.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import Count, Min, Q, Sum
from django.utils import timezone

from wardkeeper.servicedesk.choices import OPEN_STATES, MaintenanceKind
from wardkeeper.servicedesk.models import DayFault, DayTally, StaleDay, Ticket

TALLY = {
    "reported": Count("id"),
    "responded": Count("response_seconds"),
    "response_total": Sum("response_seconds"),
    "resolved": Count("restore_seconds"),
    "restore_total": Sum("restore_seconds"),
    "sla_known": Count("sla_met"),
    "sla_met": Count("id", filter=Q(sla_met=True)),
    "closed": Count("first_time_fix"),
    "fixed_first_time": Count("id", filter=Q(first_time_fix=True)),
    "still_open": Count("id", filter=Q(state__in=OPEN_STATES)),
}


def local_day(moment: dt.datetime) -> dt.date:
    return timezone.localtime(moment).date()


def day_bounds(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """The instants a local day starts and the next one starts (DST-safe)."""
    start = timezone.make_aware(dt.datetime.combine(day, dt.time()))
    end = timezone.make_aware(
        dt.datetime.combine(day + dt.timedelta(days=1), dt.time())
    )
    return start, end


def mark_stale(moments: Iterable[dt.datetime | None]) -> None:
    days = {local_day(moment) for moment in moments if moment is not None}
    StaleDay.objects.bulk_create(
        [StaleDay(day=day) for day in days], ignore_conflicts=True
    )


def refresh_stale(limit: int = 400) -> int:
    """Recount the stale days (at most ``limit`` of them); how many were done.

    The mark is removed before counting, so a ticket saved meanwhile marks
    its day again and is counted next time."""
    days = list(StaleDay.objects.order_by("day").values_list("day", flat=True)[:limit])
    if days:
        StaleDay.objects.filter(day__in=days).delete()
        recount(days)
    return len(days)


def rebuild() -> int:
    """Recount every day that has tickets; how many days."""
    first = Ticket.objects.aggregate(first=Min("created_at"))["first"]
    with transaction.atomic():
        DayTally.objects.all().delete()
        DayFault.objects.all().delete()
        StaleDay.objects.all().delete()
    if first is None:
        return 0
    day, last = local_day(first), timezone.localdate()
    days = []
    while day <= last:
        days.append(day)
        day += dt.timedelta(days=1)
    for start in range(0, len(days), 31):
        recount(days[start : start + 31])
    return len(days)


@transaction.atomic
def recount(days: Iterable[dt.date]) -> None:
    """Replace the roll-ups of these days with fresh counts of their tickets."""
    days = list(days)
    DayTally.objects.filter(day__in=days).delete()
    DayFault.objects.filter(day__in=days).delete()
    tallies: list[DayTally] = []
    faults: list[DayFault] = []
    for day in days:
        start, end = day_bounds(day)
        tickets = Ticket.objects.filter(created_at__gte=start, created_at__lt=end)
        rows = (
            tickets.order_by()
            .values("team_id", "department_id", "category", "priority")
            .annotate(**TALLY)
        )
        tallies += [DayTally(day=day, **_zeroed(row)) for row in rows]
        corrective = tickets.filter(kind=MaintenanceKind.CORRECTIVE).order_by()
        for kind, path in (
            (DayFault.MODEL, "asset__model"),
            (DayFault.LOCATION, "location"),
        ):
            counted = (
                corrective.exclude(**{f"{path}__isnull": True})
                .values(path)
                .annotate(n=Count("id"))
            )
            faults += [
                DayFault(day=day, kind=kind, key=row[path], faults=row["n"])
                for row in counted
            ]
    DayTally.objects.bulk_create(tallies, batch_size=2000)
    DayFault.objects.bulk_create(faults, batch_size=2000)


def _zeroed(row: dict[str, Any]) -> dict[str, Any]:
    return {key: 0 if value is None else value for key, value in row.items()}
