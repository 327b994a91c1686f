"""The calendar and SLA policy pages, and the SLA panel of a ticket."""

import datetime as dt

import pytest
from django.urls import reverse

from tests.factories.servicedesk import SlaPolicyFactory
from tests.factories.servicedesk_sla import holiday, office_calendar
from wardkeeper.servicedesk.choices import Category, Priority, Urgency
from wardkeeper.servicedesk.models import HolidayKind, SlaPolicy, WorkingCalendar
from wardkeeper.servicedesk.services import tickets

pytestmark = pytest.mark.django_db


def calendar_form(**changes):
    data = {
        "name": "Clinic hours",
        "time_zone": "Asia/Shanghai",
        **{f"day_{d}": "08:00-12:00, 13:30-17:30" for d in range(5)},
        "closed_days": "2025-10-01 National Day\n2025-10-02",
        "extra_days": "2025-09-28 调休",
    }
    return {**data, **changes}


def test_the_it_director_creates_a_calendar_with_holidays(login, make_user):
    director = make_user("dora", "it_director")
    response = login(director).post(
        reverse("servicedesk:workingcalendar-add"), calendar_form()
    )
    calendar = WorkingCalendar.objects.get(name="Clinic hours")
    assert response.status_code == 302
    assert calendar.hours["0"] == [["08:00", "12:00"], ["13:30", "17:30"]]
    assert "5" not in calendar.hours
    assert {(h.date.isoformat(), h.kind, h.name) for h in calendar.holidays.all()} == {
        ("2025-10-01", HolidayKind.CLOSED, "National Day"),
        ("2025-10-02", HolidayKind.CLOSED, ""),
        ("2025-09-28", HolidayKind.WORKING, "调休"),
    }
    page = login(director).get(calendar.get_absolute_url())
    assert "National Day" in page.content.decode()


def test_editing_the_holidays_replaces_them(login, make_user):
    calendar = office_calendar()
    holiday(calendar, dt.date(2025, 5, 1), "Labour Day")
    client = login(make_user("dora", "it_director"))
    url = reverse("servicedesk:workingcalendar-edit", args=[calendar.pk])
    assert "2025-05-01 Labour Day" in client.get(url).content.decode()
    client.post(
        url,
        calendar_form(name="Office", closed_days="2025-05-02 Bridge", extra_days=""),
    )
    assert [str(h) for h in calendar.holidays.all()] == ["2025-05-02 Bridge"]


@pytest.mark.parametrize(
    ("changes", "field_error"),
    [
        ({"day_0": "17:00-08:00"}, "is not a time span"),
        ({"day_1": "08:00-12:00, 11:00-14:00"}, "overlap"),
        ({"closed_days": "1 October"}, "is not a date"),
        ({"time_zone": "Mars/Olympus"}, "not a known time zone"),
        ({f"day_{d}": "" for d in range(7)}, "at least one day"),
    ],
)
def test_a_wrong_calendar_is_refused_saying_why(login, make_user, changes, field_error):
    client = login(make_user("dora", "it_director"))
    response = client.post(
        reverse("servicedesk:workingcalendar-add"), calendar_form(**changes)
    )
    assert response.status_code == 200
    assert field_error in response.content.decode()
    assert not WorkingCalendar.objects.exists()


def test_policies_are_listed_and_created(
    login, make_user, django_assert_max_num_queries
):
    director = make_user("dora", "it_director")
    calendar = office_calendar()
    for n in range(5):
        SlaPolicyFactory(name=f"P{n}", calendar=calendar)
    client = login(director)
    with django_assert_max_num_queries(14):
        listing = client.get(reverse("servicedesk:slapolicy-list"))
    assert "8 h" in listing.content.decode()
    response = client.post(
        reverse("servicedesk:slapolicy-add"),
        {
            "name": "P1 theatres",
            "priority": 1,
            "calendar": calendar.pk,
            "response_minutes": 15,
            "restore_minutes": 240,
            "warn_at_percent": 75,
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    assert SlaPolicy.objects.get(name="P1 theatres").restore_minutes == 240


def test_a_response_longer_than_the_restore_target_is_refused(login, make_user):
    client = login(make_user("dora", "it_director"))
    response = client.post(
        reverse("servicedesk:slapolicy-add"),
        {
            "name": "Odd",
            "priority": 3,
            "calendar": office_calendar().pk,
            "response_minutes": 600,
            "restore_minutes": 60,
            "warn_at_percent": 75,
        },
    )
    assert "cannot be longer than the restore target" in response.content.decode()


def test_an_engineer_reads_but_cannot_change_policies(login, hardware_engineer, nurse):
    policy = SlaPolicyFactory()
    client = login(hardware_engineer)
    assert (
        client.get(
            reverse("servicedesk:slapolicy-detail", args=[policy.pk])
        ).status_code
        == 200
    )
    assert (
        client.get(reverse("servicedesk:slapolicy-edit", args=[policy.pk])).status_code
        == 403
    )
    assert login(nurse).get(reverse("servicedesk:slapolicy-list")).status_code == 403


def test_the_ticket_page_shows_the_targets_and_time_left(
    login, hardware_engineer, nurse
):
    SlaPolicyFactory(
        name="P3 standard",
        priority=Priority.P3,
        response_minutes=60,
        restore_minutes=480,
    )
    ticket = tickets.open_ticket(
        tickets.Report(
            title="Label printer",
            category=Category.HARDWARE,
            reporter=nurse,
            urgency=Urgency.HIGH,
        )
    )
    page = login(hardware_engineer).get(ticket.get_absolute_url()).content.decode()
    assert "P3 standard" in page
    assert "left" in page
    assert 'data-sla-state="running"' in page
    # The reporter sees the ticket, not the desk's SLA workings.
    own = login(nurse).get(ticket.get_absolute_url()).content.decode()
    assert "P3 standard" not in own


@pytest.fixture
def make_user():
    from tests.conftest import make_persona

    return make_persona
