"""The SLA pages on a desktop and a phone: an IT director sets up a working
calendar with holidays and a policy; an engineer sees the clock on a ticket."""

import pytest
from django.contrib.auth.models import Permission
from playwright.sync_api import expect

from tests.browser.conftest import shot, sign_in
from tests.conftest import make_persona
from tests.factories.servicedesk import SlaPolicyFactory
from wardkeeper.servicedesk.choices import Category, Priority, Urgency
from wardkeeper.servicedesk.models import SlaPolicy, WorkingCalendar
from wardkeeper.servicedesk.services import tickets


def configurer():
    user = make_persona("hana", "hardware_engineer")
    user.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="servicedesk",
            codename__in=[
                "add_workingcalendar",
                "change_workingcalendar",
                "add_slapolicy",
                "change_slapolicy",
            ],
        )
    )
    return user


@pytest.mark.django_db(transaction=True)
def test_a_director_sets_up_a_calendar_and_a_policy(page):
    # The IT director's role needs a second factor; an engineer given the
    # director's SLA permissions signs in without one.
    sign_in(page, configurer())
    page.goto("/desk/sla/calendars/add/")
    page.get_by_label("Name").fill("Clinic hours")
    for day in ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday"):
        page.get_by_label(day).fill("08:00-12:00, 13:30-17:30")
    page.get_by_label("Public holidays (closed)").fill(
        "2025-10-01 National Day\n2025-10-02 National Day"
    )
    page.get_by_label("Extra working days").fill("2025-09-28 调休")
    shot(page, "sla-calendar-form")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", name="Clinic hours")).to_be_visible()
    expect(page.get_by_text("extra working day", exact=True)).to_be_visible()
    shot(page, "sla-calendar-detail")
    assert WorkingCalendar.objects.get().holidays.count() == 3

    page.goto("/desk/sla/policies/add/")
    page.get_by_label("Name").fill("P1 theatres")
    page.get_by_label("Priority").select_option(label="P1 critical")
    page.get_by_label("Calendar").select_option(label="Clinic hours")
    page.get_by_label("Respond within (minutes)").fill("15")
    page.get_by_label("Restore within (minutes)").fill("240")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("4 h", exact=True)).to_be_visible()
    page.goto("/desk/sla/policies/")
    expect(page.get_by_role("link", name="P1 theatres")).to_be_visible()
    shot(page, "sla-policy-list")
    assert SlaPolicy.objects.get().response_minutes == 15


@pytest.mark.django_db(transaction=True)
def test_an_engineer_sees_the_clock_on_a_ticket(page):
    engineer = make_persona("hana", "hardware_engineer")
    nurse = make_persona("nora", "clinical_reporter")
    SlaPolicyFactory(name="P3 standard", priority=Priority.P3)
    ticket = tickets.open_ticket(
        tickets.Report(
            title="Label printer offline",
            category=Category.HARDWARE,
            urgency=Urgency.HIGH,
            reporter=nurse,
        )
    )
    sign_in(page, engineer)
    page.goto(ticket.get_absolute_url())
    panel = page.locator("#ticket-sla")
    expect(panel).to_contain_text("P3 standard")
    expect(panel).to_contain_text("left")
    panel.scroll_into_view_if_needed()
    shot(page, "sla-ticket-panel")
