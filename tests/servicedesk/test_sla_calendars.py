"""Business-time arithmetic: working hours, lunch, holidays, swapped working
days and daylight-saving changes."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from tests.factories.servicedesk import CalendarFactory
from tests.factories.servicedesk_sla import holiday, office_calendar
from wardkeeper.core.errors import DomainError
from wardkeeper.servicedesk.models import HolidayKind
from wardkeeper.servicedesk.services.calendars import add, between, subtract

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")
HOUR = 3600


def at(*args, zone=SHANGHAI):
    return dt.datetime(*args, tzinfo=zone)


def test_around_the_clock_counts_every_second():
    calendar = CalendarFactory()
    start = at(2025, 1, 4, 23, 0)  # a Saturday night
    assert add(calendar, start, 2 * HOUR) == at(2025, 1, 5, 1, 0)
    assert between(calendar, start, at(2025, 1, 5, 1, 0)) == 2 * HOUR


def test_the_lunch_break_does_not_count():
    calendar = office_calendar()
    # Monday 11:00 + 2 h: one hour before lunch, one after 13:30.
    assert add(calendar, at(2025, 3, 3, 11, 0), 2 * HOUR) == at(2025, 3, 3, 14, 30)
    assert between(calendar, at(2025, 3, 3, 11, 0), at(2025, 3, 3, 14, 30)) == 2 * HOUR


def test_a_report_at_night_starts_counting_next_morning():
    calendar = office_calendar()
    assert add(calendar, at(2025, 3, 3, 22, 0), HOUR) == at(2025, 3, 4, 9, 0)


def test_friday_afternoon_runs_on_into_monday():
    calendar = office_calendar()
    friday = at(2025, 3, 7, 16, 30)
    assert add(calendar, friday, 3 * HOUR) == at(2025, 3, 10, 10, 0)
    assert between(calendar, friday, at(2025, 3, 10, 10, 0)) == 3 * HOUR
    # Nothing counts over the weekend.
    assert between(calendar, at(2025, 3, 8, 9, 0), at(2025, 3, 9, 17, 0)) == 0


def test_a_target_ending_on_the_last_working_second_stays_that_day():
    calendar = office_calendar()
    assert add(calendar, at(2025, 3, 3, 16, 30), HOUR) == at(2025, 3, 3, 17, 30)


def test_a_public_holiday_is_skipped():
    calendar = office_calendar()
    holiday(calendar, dt.date(2025, 4, 4), "Qingming")  # a Friday
    thursday = at(2025, 4, 3, 17, 0)
    assert add(calendar, thursday, HOUR) == at(2025, 4, 7, 8, 30)
    assert between(calendar, thursday, at(2025, 4, 7, 8, 30)) == HOUR


def test_an_extra_working_saturday_counts_like_a_weekday():
    calendar = office_calendar()
    # 2025: Sunday 26 January is worked before the Spring Festival week.
    holiday(calendar, dt.date(2025, 1, 26), "调休", kind=HolidayKind.WORKING)
    saturday = at(2025, 1, 25, 12, 0)
    assert add(calendar, saturday, HOUR) == at(2025, 1, 26, 9, 0)
    assert between(calendar, saturday, at(2025, 1, 27, 8, 0)) == 8 * HOUR


def test_the_spring_festival_week_stops_the_clock():
    calendar = office_calendar()
    for day in range(28, 32):
        holiday(calendar, dt.date(2025, 1, day), "春节")
    for day in range(1, 5):
        holiday(calendar, dt.date(2025, 2, day), "春节")
    holiday(calendar, dt.date(2025, 2, 8), "调休", kind=HolidayKind.WORKING)
    monday = at(2025, 1, 27, 17, 0)
    assert add(calendar, monday, HOUR) == at(2025, 2, 5, 8, 30)
    assert subtract(calendar, at(2025, 2, 5, 8, 30), HOUR) == monday


def test_spring_forward_day_is_an_hour_shorter_around_the_clock_in_new_york():
    new_york = ZoneInfo("America/New_York")
    calendar = office_calendar(
        name="Night desk",
        zone="America/New_York",
        spans=[["00:00", "24:00"]],
        days=range(7),
    )
    saturday = at(2025, 3, 8, 12, 0, zone=new_york)
    sunday = at(2025, 3, 9, 12, 0, zone=new_york)  # clocks went forward at 02:00
    assert between(calendar, saturday, sunday) == 23 * HOUR
    assert add(calendar, saturday, 23 * HOUR) == sunday


def test_working_hours_keep_their_local_time_across_the_london_change():
    london = ZoneInfo("Europe/London")
    calendar = office_calendar(name="London", zone="Europe/London")
    # Friday 28 March 2025 is GMT, Monday 31 March is BST (UTC+1).
    friday = at(2025, 3, 28, 17, 0, zone=london)
    due = add(calendar, friday, HOUR)
    assert due == at(2025, 3, 31, 8, 30, zone=london)
    assert due.astimezone(dt.UTC).hour == 7
    assert between(calendar, friday, due) == HOUR


def test_autumn_change_in_new_york_keeps_a_long_night_out_of_the_count():
    new_york = ZoneInfo("America/New_York")
    calendar = office_calendar(name="NY", zone="America/New_York")
    # Sunday 2 November 2025 has 25 hours; none of them are working hours.
    friday = at(2025, 10, 31, 17, 0, zone=new_york)
    monday = at(2025, 11, 3, 9, 0, zone=new_york)
    assert between(calendar, friday, monday) == 1.5 * HOUR
    assert add(calendar, friday, 1.5 * HOUR) == monday


def test_a_long_target_spans_weeks_quickly():
    calendar = office_calendar()
    start = at(2025, 3, 3, 8, 0)
    # 30 working days of 8 h: six weeks later, the Friday's end.
    due = add(calendar, start, 30 * 8 * HOUR)
    assert due == at(2025, 4, 11, 17, 30)
    assert between(calendar, start, due) == 30 * 8 * HOUR


def test_a_calendar_without_hours_is_refused_rather_than_looping():
    calendar = office_calendar(name="Empty", days=[])
    with pytest.raises(DomainError):
        add(calendar, at(2025, 3, 3, 8, 0), HOUR)
