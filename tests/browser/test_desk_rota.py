"""An engineer's queue and a team's page, at desktop and phone size."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.conftest import shot, sign_in
from tests.factories.hospital import hospital
from tests.factories.inventory import AssetFactory
from tests.factories.servicedesk import TeamFactory, TicketFactory
from tests.factories.servicedesk_rota import OverrideFactory, weekly_rota
from wardkeeper.servicedesk.choices import Priority, TicketState


def ward_faults(hana, team):
    rooms = hospital()["rooms"]
    now = timezone.now()
    asset = AssetFactory(location=rooms["or3"], tag="OR3-PC-09")
    TicketFactory(
        title="Anaesthesia record PC frozen",
        assignee=hana,
        state=TicketState.IN_PROGRESS,
        priority=Priority.P1,
        asset=asset,
        location=rooms["or3"],
        restore_due_at=now + dt.timedelta(minutes=50),
        team=team,
    )
    TicketFactory(
        title="Wristband printer prints blank labels",
        assignee=hana,
        state=TicketState.ASSIGNED,
        priority=Priority.P3,
        location=rooms["er"],
        restore_due_at=now - dt.timedelta(hours=2),
        team=team,
    )
    TicketFactory(
        title="Reading room PC slow",
        priority=Priority.P4,
        location=rooms["read"],
        restore_due_at=now + dt.timedelta(days=2),
        team=team,
    )


@pytest.mark.django_db(transaction=True)
def test_an_engineer_works_from_the_queue_and_checks_the_rota(
    page, hardware_engineer, network_engineer
):
    team = TeamFactory(name="Hardware", code="hardware", lead=hardware_engineer)
    # Hana's week began three days ago; nick's comes next, then hers again.
    began = timezone.localdate() - dt.timedelta(days=3)
    weekly_rota(
        team,
        [hardware_engineer, network_engineer],
        name="Weekly on call",
        starts_on=began,
        handover_weekday=began.weekday(),
    )
    now = timezone.now()
    OverrideFactory(
        team=team,
        engineer=network_engineer,
        covers_for=hardware_engineer,
        starts_at=now + dt.timedelta(days=12),
        ends_at=now + dt.timedelta(days=13),
        reason="Training course",
    )
    ward_faults(hardware_engineer, team)
    sign_in(page, hardware_engineer)

    page.goto("/desk/queue/")
    expect(page.get_by_role("heading", name="My queue")).to_be_visible()
    items = page.locator(".wk-queue-item")
    expect(items).to_have_count(3)
    # The breached one leads; the team's unassigned ticket comes last.
    expect(items.nth(0)).to_contain_text("Wristband printer")
    expect(items.nth(0)).to_contain_text("overdue by 2")
    expect(items.nth(1)).to_contain_text("49 minutes left")
    expect(page.get_by_role("heading", name="Unassigned in my teams")).to_be_visible()
    expect(items.nth(2)).to_contain_text("Reading room PC slow")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"]
    shot(page, "desk-queue")

    page.goto(f"/desk/teams/{team.pk}/")
    expect(page.locator(".wk-on-call")).to_contain_text(str(hardware_engineer))
    expect(page.locator(".wk-slot")).to_have_count(7)  # four weeks, cover cut in
    expect(page.get_by_text("covering")).to_be_visible()
    expect(page.get_by_text("Training course")).to_be_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"]
    shot(page, "desk-team")

    # The lead adds leave cover from the team page.
    page.get_by_role("link", name="Add override").click()
    page.get_by_label("Covers for").select_option(label=str(network_engineer))
    page.get_by_label("Covering engineer").select_option(label=str(hardware_engineer))
    start = timezone.localtime() + dt.timedelta(days=15)
    page.get_by_label("From").fill(start.strftime("%Y-%m-%dT09:00"))
    page.get_by_label("Until").fill(
        (start + dt.timedelta(days=1)).strftime("%Y-%m-%dT09:00")
    )
    page.get_by_label("Reason").fill("Sick leave")
    shot(page, "desk-override-form")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Sick leave")).to_be_visible()
