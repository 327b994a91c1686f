"""Working calendars with hours and holidays, for the SLA tests."""

import datetime as dt

from tests.factories.servicedesk import CalendarFactory
from wardkeeper.servicedesk.models import Holiday, HolidayKind

WEEKDAYS = range(5)
OFFICE = [["08:00", "12:00"], ["13:30", "17:30"]]


def office_calendar(name="Office", zone="Asia/Shanghai", spans=None, days=WEEKDAYS):
    """Monday to Friday 08:00-12:00 and 13:30-17:30 (8 hours) unless told."""
    spans = OFFICE if spans is None else spans
    return CalendarFactory(
        name=name,
        time_zone=zone,
        around_the_clock=False,
        hours={str(day): spans for day in days},
    )


def holiday(calendar, day: dt.date, name="", kind=HolidayKind.CLOSED) -> Holiday:
    entry = Holiday(calendar=calendar, date=day, name=name, kind=kind)
    entry.save()
    return entry
