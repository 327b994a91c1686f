"""A nurse scans a label and reports a fault; an engineer opens the ticket."""

import pytest

from tests.browser.conftest import shot, sign_in
from tests.factories.inventory import AssetFactory, DepartmentFactory, RoomFactory
from tests.factories.servicedesk_tickets import reported
from wardkeeper.inventory.choices import Criticality
from wardkeeper.servicedesk.choices import Priority
from wardkeeper.servicedesk.models import Ticket
from wardkeeper.servicedesk.services import tickets


def theatre_workstation():
    theatre = RoomFactory(name="Operating theatre 3", criticality=Criticality.CRITICAL)
    return AssetFactory(
        tag="WK-OR3-01",
        name="Anaesthesia workstation",
        location=theatre,
        department=DepartmentFactory(name="Surgery"),
    )


@pytest.mark.django_db(transaction=True)
def test_a_nurse_scans_a_label_and_reports_a_fault(page, nurse):
    theatre_workstation()
    sign_in(page, nurse)

    page.goto("/a/WK-OR3-01/")

    assert page.get_by_label("Asset tag").input_value() == "WK-OR3-01"
    assert "Operating theatre 3" in page.locator("#report-place").inner_text()
    assert page.locator("#report-department").inner_text() == "Surgery"
    page.get_by_label("What's wrong?").fill("Screen froze during surgery")
    page.get_by_text("Network", exact=True).click()
    page.get_by_text("work has stopped").click()
    page.get_by_label("Call-back number").fill("6021")
    shot(page, "desk-report-form")
    page.get_by_role("button", name="Send the report").click()

    reference = page.locator("#ticket-reference").inner_text()
    ticket = Ticket.objects.get()
    assert reference == ticket.reference
    assert "P1" in page.locator("#ticket-priority").inner_text()
    assert ticket.category == "network"
    shot(page, "desk-report-done")


@pytest.mark.django_db(transaction=True)
def test_a_second_report_on_the_device_is_offered_to_join(page, nurse, outsider):
    device = theatre_workstation()
    reported(outsider, asset=device, title="Screen froze")
    sign_in(page, nurse)

    page.goto(f"/a/{device.tag}/")
    shot(page, "desk-report-duplicate")
    page.get_by_role("button", name="Join this ticket").click()

    assert page.locator("#ticket-state").is_visible()
    assert list(Ticket.objects.get().watchers.all()) == [nurse]
    page.goto("/desk/mine/")
    assert device.tag in page.locator("main").inner_text()
    shot(page, "desk-my-reports")


@pytest.mark.django_db(transaction=True)
def test_an_engineer_opens_the_ticket_and_resolves_it(page, nurse, hardware_engineer):
    ticket = reported(
        nurse, asset=theatre_workstation(), title="Screen froze", reporter_phone="6021"
    )
    tickets.log_work(ticket, author=nurse, note="Rebooted once, no change", public=True)
    sign_in(page, hardware_engineer)

    page.goto(ticket.get_absolute_url())
    assert page.locator("#reporter-phone").get_attribute("href") == "tel:6021"
    page.get_by_role("button", name="Take it").click()
    assert (
        hardware_engineer.get_full_name()
        in page.locator("#ticket-assignee").inner_text()
    )
    page.get_by_role("button", name="Start work").click()
    page.locator("#action-resolve summary").click()
    page.get_by_label("Resolution").select_option("repaired")
    page.get_by_label("Cause").fill("Loose video cable")
    page.get_by_label("What was done").fill("Reseated the cable, tested with the nurse")
    shot(page, "desk-ticket-resolving")
    page.locator("#action-resolve").get_by_role("button", name="Resolve").click()

    assert "resolved" in page.locator("#ticket-state").inner_text()
    ticket.refresh_from_db()
    assert ticket.priority == Priority.P1
    assert ticket.state == "resolved"
    shot(page, "desk-ticket-detail")
    page.goto("/desk/tickets/?open=false")
    assert ticket.reference in page.locator("table").inner_text()
    shot(page, "desk-ticket-list")
