"""Maintenance windows: is a check (through itself, its asset, the place the
asset stands in, or its clinical service) inside planned work at a time?

Recurring windows repeat in the configured local time zone (a daily window
at 02:00 stays at 02:00 local), so a window's occurrences are worked out on
local wall-clock dates. A monthly window on the 31st falls on the last day
of shorter months.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils import timezone

from wardkeeper.inventory.models import Location
from wardkeeper.inventory.models.locations import subtree_q
from wardkeeper.monitoring.choices import Recurrence
from wardkeeper.monitoring.models import Check, MaintenanceWindow

# A recurring window is looked for this many periods back: one that lasts
# longer than its period (a 26-hour daily window) still covers the overlap.
LOOK_BACK = 2


def _shift(start: dt.datetime, recurrence: str, steps: int) -> dt.datetime:
    """The ``steps``-th occurrence after local ``start`` (wall-clock time)."""
    if recurrence == Recurrence.DAILY:
        return start + dt.timedelta(days=steps)
    if recurrence == Recurrence.WEEKLY:
        return start + dt.timedelta(weeks=steps)
    months = start.year * 12 + start.month - 1 + steps
    year, month = divmod(months, 12)
    day = min(start.day, calendar.monthrange(year, month + 1)[1])
    return start.replace(year=year, month=month + 1, day=day)


def _periods_since(start: dt.datetime, at: dt.datetime, recurrence: str) -> int:
    if recurrence == Recurrence.DAILY:
        return (at.date() - start.date()).days
    if recurrence == Recurrence.WEEKLY:
        return (at.date() - start.date()).days // 7
    return (at.year - start.year) * 12 + at.month - start.month


def covers(window: MaintenanceWindow, at: dt.datetime) -> bool:
    """Whether one of the window's occurrences is under way at ``at``."""
    length = dt.timedelta(minutes=window.duration)
    if at < window.starts_at:
        return False
    if window.recurrence == Recurrence.ONCE:
        return at < window.starts_at + length
    zone = timezone.get_current_timezone()
    start = timezone.localtime(window.starts_at, zone).replace(tzinfo=None)
    local = timezone.localtime(at, zone).replace(tzinfo=None)
    latest = _periods_since(start, local, window.recurrence)
    for steps in range(latest, max(-1, latest - LOOK_BACK - 1), -1):
        begins = _shift(start, window.recurrence, steps)
        if window.until is not None and begins.date() > window.until:
            continue
        if begins <= local < begins + length:
            return True
    return False


def active_windows(at: dt.datetime) -> list[MaintenanceWindow]:
    """Windows under way at ``at``, with what they cover (4 queries)."""
    candidates = (
        MaintenanceWindow.objects.filter(starts_at__lte=at)
        .filter(
            Q(recurrence=Recurrence.ONCE, starts_at__gte=at - dt.timedelta(days=31))
            | (
                ~Q(recurrence=Recurrence.ONCE)
                & (
                    Q(until__isnull=True)
                    | Q(until__gte=(at - dt.timedelta(days=31)).date())
                )
            )
        )
        .prefetch_related("assets", "locations", "checks")
    )
    return [window for window in candidates if covers(window, at)]


@dataclass
class Coverage:
    """What the windows under way at one moment cover, as id sets, so a batch
    of results is matched without a query per result."""

    windows: list[MaintenanceWindow] = field(default_factory=list)
    check_ids: set[int] = field(default_factory=set)
    asset_ids: set[int] = field(default_factory=set)
    location_ids: set[int] = field(default_factory=set)
    services: set[str] = field(default_factory=set)

    def covers(self, check: Check) -> bool:
        if not self.windows:
            return False
        asset = check.asset if check.asset_id else None
        return (
            check.pk in self.check_ids
            or (check.service != "" and check.service in self.services)
            or (asset is not None and asset.pk in self.asset_ids)
            or (asset is not None and asset.location_id in self.location_ids)
        )


def coverage_at(at: dt.datetime) -> Coverage:
    """The coverage of every window under way at ``at``; a place covers every
    place inside it (the tree is four levels deep)."""
    windows = active_windows(at)
    result = Coverage(windows=windows)
    roots: set[int] = set()
    for window in windows:
        result.check_ids.update(check.pk for check in window.checks.all())
        result.asset_ids.update(asset.pk for asset in window.assets.all())
        roots.update(place.pk for place in window.locations.all())
        result.services.update(name for name in window.services if name)
    if roots:
        query = Q(pk__in=[])
        for pk in roots:
            query |= subtree_q(pk)
        result.location_ids = set(
            Location.objects.filter(query).values_list("pk", flat=True)
        )
    return result


def in_maintenance(check: Check, at: dt.datetime | None = None) -> bool:
    """Whether ``check`` is inside a maintenance window at ``at`` (now)."""
    return coverage_at(at or timezone.now()).covers(check)


def windows_for(checks: Iterable[Check], at: dt.datetime) -> dict[int, bool]:
    """For each check, whether it is in maintenance at ``at``."""
    coverage = coverage_at(at)
    return {check.pk: coverage.covers(check) for check in checks}
