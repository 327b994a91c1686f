"""Business-time arithmetic on working calendars.

``add`` moves forward by working seconds, ``subtract`` backward, ``between``
counts the working seconds of an interval. They walk whole working spans, a
day at a time, never minutes. Spans are laid out in the calendar's own time
zone and converted to UTC before any subtraction: two datetimes sharing a
zoneinfo tzinfo subtract by wall clock, which is an hour wrong across a
daylight-saving change.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils.translation import gettext as _

from wardkeeper.core.errors import DomainError
from wardkeeper.servicedesk.models import Holiday, HolidayKind, WorkingCalendar

UTC = dt.UTC
# A calendar with hours finds working time within a few weeks; a year of
# closed days means the calendar is wrong, and we say so instead of looping.
MAX_DAYS = 400
Span = tuple[dt.datetime, dt.datetime]


@dataclass
class Schedule:
    """A calendar read once (its holidays included), ready for arithmetic."""

    zone: ZoneInfo
    around_the_clock: bool
    week: dict[int, list[tuple[int, int]]]
    closed: set[dt.date] = field(default_factory=set)
    extra: set[dt.date] = field(default_factory=set)
    _days: dict[dt.date, list[Span]] = field(default_factory=dict, repr=False)

    @property
    def workday(self) -> list[tuple[int, int]]:
        """The hours of an extra working day: Monday's, or the first weekday
        that has any."""
        return next((self.week[d] for d in range(7) if self.week.get(d)), [])

    def spans(self, day: dt.date) -> list[Span]:
        """The working spans of a local date, in UTC."""
        if day not in self._days:
            if day in self.closed:
                minutes: list[tuple[int, int]] = []
            elif day in self.extra:
                minutes = self.workday
            else:
                minutes = self.week.get(day.weekday(), [])
            self._days[day] = [
                (self._at(day, start), self._at(day, end)) for start, end in minutes
            ]
        return self._days[day]

    def _at(self, day: dt.date, minutes: int) -> dt.datetime:
        day += dt.timedelta(days=minutes // 1440)
        hour, minute = divmod(minutes % 1440, 60)
        local = dt.datetime.combine(day, dt.time(hour, minute), tzinfo=self.zone)
        return local.astimezone(UTC)

    def local_date(self, moment: dt.datetime) -> dt.date:
        return moment.astimezone(self.zone).date()

    def days_from(self, moment: dt.datetime, step: int) -> Iterator[dt.date]:
        # The day before (or after) is included: a span can't cross midnight,
        # but the UTC moment's local date is what decides where to begin.
        day = self.local_date(moment) - dt.timedelta(days=step)
        for _n in range(MAX_DAYS):
            yield day
            day += dt.timedelta(days=step)
        raise DomainError(
            _("The working calendar has no working time within a year."),
            code="calendar_empty",
        )


def schedule_of(calendar: WorkingCalendar | Schedule) -> Schedule:
    """Read a calendar and its holidays (one query) into a ``Schedule``."""
    if isinstance(calendar, Schedule):
        return calendar
    closed: set[dt.date] = set()
    extra: set[dt.date] = set()
    if not calendar.around_the_clock and calendar.pk:
        for day, kind in calendar.holidays.values_list("date", "kind"):
            (extra if kind == HolidayKind.WORKING else closed).add(day)
    return Schedule(
        zone=ZoneInfo(calendar.time_zone),
        around_the_clock=calendar.around_the_clock,
        week={day: calendar.spans_of(day) for day in range(7)},
        closed=closed,
        extra=extra,
    )


def add(
    calendar: WorkingCalendar | Schedule, start: dt.datetime, seconds: float
) -> dt.datetime:
    """The earliest moment by which ``seconds`` of working time have passed
    since ``start``. Raises DomainError if the calendar has no working time."""
    if seconds < 0:
        return subtract(calendar, start, -seconds)
    if seconds == 0:
        return start
    schedule = schedule_of(calendar)
    if schedule.around_the_clock:
        return start + dt.timedelta(seconds=seconds)
    left = dt.timedelta(seconds=seconds)
    now = start.astimezone(UTC)
    for day in schedule.days_from(now, 1):
        for begin, end in schedule.spans(day):
            if end <= now:
                continue
            begin = max(begin, now)
            if left <= end - begin:
                return begin + left
            left -= end - begin
            now = end
    raise AssertionError("unreachable")  # days_from raises first


def subtract(
    calendar: WorkingCalendar | Schedule, end: dt.datetime, seconds: float
) -> dt.datetime:
    """The latest moment from which ``seconds`` of working time reach ``end``."""
    if seconds <= 0:
        return end if seconds == 0 else add(calendar, end, -seconds)
    schedule = schedule_of(calendar)
    if schedule.around_the_clock:
        return end - dt.timedelta(seconds=seconds)
    left = dt.timedelta(seconds=seconds)
    now = end.astimezone(UTC)
    for day in schedule.days_from(now, -1):
        for begin, finish in reversed(schedule.spans(day)):
            if begin >= now:
                continue
            finish = min(finish, now)
            if left <= finish - begin:
                return finish - left
            left -= finish - begin
            now = begin
    raise AssertionError("unreachable")


def between(
    calendar: WorkingCalendar | Schedule, start: dt.datetime, end: dt.datetime
) -> int:
    """Working seconds from ``start`` to ``end`` (0 if ``end`` is not later)."""
    if end <= start:
        return 0
    schedule = schedule_of(calendar)
    if schedule.around_the_clock:
        return int((end - start).total_seconds())
    start, end = start.astimezone(UTC), end.astimezone(UTC)
    total = dt.timedelta()
    last = schedule.local_date(end) + dt.timedelta(days=1)
    day = schedule.local_date(start) - dt.timedelta(days=1)
    while day <= last:
        for begin, finish in schedule.spans(day):
            overlap = min(finish, end) - max(begin, start)
            if overlap > dt.timedelta():
                total += overlap
        day += dt.timedelta(days=1)
    return int(total.total_seconds())


def total_between(
    calendar: WorkingCalendar | Schedule, intervals: Iterable[Span]
) -> int:
    """Working seconds of several intervals on one calendar."""
    schedule = schedule_of(calendar)
    return sum(between(schedule, start, end) for start, end in intervals)


@transaction.atomic
def replace_holidays(
    calendar: WorkingCalendar, wanted: dict[dt.date, tuple[str, str]]
) -> None:
    """Make the calendar's holidays exactly ``wanted`` ({date: (kind, name)}),
    each addition, change and removal through the audited save/delete."""
    wanted = dict(wanted)
    for holiday in calendar.holidays.all():
        if holiday.date not in wanted:
            holiday.delete()
            continue
        kind, name = wanted.pop(holiday.date)
        if (holiday.kind, holiday.name) != (kind, name):
            holiday.kind, holiday.name = kind, name
            holiday.save()
    for day, (kind, name) in sorted(wanted.items()):
        Holiday(calendar=calendar, date=day, kind=kind, name=name).save()
