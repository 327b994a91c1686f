"""An engineer on a phone does the daily server-room round; a temperature
out of limits opens a ticket."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.conftest import shot, sign_in
from tests.factories.inventory import RoomFactory
from tests.factories.servicedesk_maintenance import (
    DO_PERMS,
    MANAGE_PERMS,
    grant,
    server_room_round,
)
from wardkeeper.servicedesk.choices import Source
from wardkeeper.servicedesk.models import Ticket, WorkOrderState
from wardkeeper.servicedesk.services import maintenance


@pytest.mark.django_db(transaction=True)
def test_the_daily_server_room_round_with_a_hot_room_opens_a_ticket(
    page, hardware_engineer
):
    room = RoomFactory(name="Server room A")
    plan = server_room_round(room)
    maintenance.generate(timezone.localdate())
    order = plan.work_orders.get()
    order.assignee = hardware_engineer
    order.save()
    sign_in(page, grant(hardware_engineer, *DO_PERMS))

    page.goto("/desk/work-orders/mine/")
    shot(page, "rounds-mine")
    page.get_by_role("link", name=order.reference).click()
    expect(page.get_by_role("heading", name="Daily server-room round")).to_be_visible()

    temperature = page.get_by_label("Temperature")
    expect(temperature).to_have_attribute("inputmode", "decimal")
    temperature.fill("31.5")
    page.get_by_label("Humidity").fill("45")
    for check in (
        "UPS on mains, no alarm",
        "RAID and disk lights green",
        "Cooling units running",
        "Door access log reviewed",
    ):
        page.locator("li[data-item]", has_text=check).get_by_text("Pass").click()
    page.get_by_label("Remarks").fill("CRAC 2 filter dusty")
    shot(page, "rounds-checklist")
    page.get_by_role("button", name="Complete").click()

    expect(page.locator("#workorder-ticket")).to_be_visible()
    expect(page.locator("#answers")).to_contain_text("31.5 °C")
    shot(page, "rounds-done")
    ticket = Ticket.objects.get()
    assert ticket.source == Source.MAINTENANCE
    assert ticket.location == room
    assert "Temperature: 31.5 °C" in ticket.description
    order.refresh_from_db()
    assert order.state == WorkOrderState.DONE
    assert order.ticket == ticket
    assert order.completed_by == hardware_engineer


@pytest.mark.django_db(transaction=True)
def test_a_hardware_engineer_sets_up_a_checklist_and_a_round(page, hardware_engineer):
    room = RoomFactory(name="Server room B")
    sign_in(page, grant(hardware_engineer, *MANAGE_PERMS))

    page.goto("/desk/checklists/add/")
    page.get_by_label("Name").fill("UPS room round")
    page.get_by_role("button", name="Save").click()
    page.get_by_role("link", name="Add item").click()
    page.get_by_label("Item").fill("Battery temperature")
    page.get_by_label("Kind").select_option("measurement")
    page.get_by_label("Unit").fill("°C")
    page.get_by_label("Lowest acceptable").fill("15")
    page.get_by_label("Highest acceptable").fill("25")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#checklist-items")).to_contain_text("15\u201325 °C")
    shot(page, "rounds-checklist-page")

    page.goto("/desk/maintenance/plans/add/?kind=round")
    page.get_by_label("Name").fill("Weekly UPS room round")
    page.get_by_label("Checklist").select_option(label="UPS room round")
    page.get_by_label("Every").fill("1")
    page.get_by_label("Frequency").select_option("weeks")
    page.get_by_label("Places").select_option(label=str(room))
    shot(page, "rounds-plan-form")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#next-due li")).to_have_count(6)
    shot(page, "rounds-plan-page")
    assert str(room) in page.content()
