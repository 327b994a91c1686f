"""The whole journey of a fault, as the issue tells it: a nurse on a phone
scans a label and reports; the engineer on call sees it at the top of the
queue, swaps in a spare and resolves; the nurse confirms; the dashboard's
figures change accordingly."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.conftest import SIZES, shot, sign_in
from tests.factories.servicedesk import SlaPolicyFactory, TeamFactory, TicketFactory
from tests.factories.servicedesk_restore import ward
from tests.factories.servicedesk_rota import weekly_rota
from wardkeeper.inventory.choices import AssetStatus
from wardkeeper.inventory.models import Asset
from wardkeeper.servicedesk.choices import Category, Priority, TicketState
from wardkeeper.servicedesk.models import Ticket


@pytest.fixture
def open_page(browser, live_server):
    """Pages of their own for several people at once, closed after the test
    (a page left open keeps requests running past the live server's end)."""
    contexts = []

    def open_for(size, user):
        context = browser.new_context(
            base_url=live_server.url, locale="en-GB", **SIZES[size]
        )
        contexts.append(context)
        context.set_default_timeout(10_000)
        page = context.new_page()
        page.size_name = size
        sign_in(page, user)
        return page

    yield open_for
    for context in contexts:
        context.close()


def figure(page, key):
    return page.locator(f'[data-figure="{key}"]').inner_text()


@pytest.mark.django_db(transaction=True)
def test_from_the_label_to_the_confirmed_fix(
    open_page, nurse, hardware_engineer, network_engineer
):
    w = ward()
    w.ticket.delete()  # the ward's own sample ticket: this journey starts clean
    w.pool(w.near, name="Floor pool", minimum_level=1)
    w.spare(w.near, tag="PC-SPARE", name="Spare PC")
    team = TeamFactory(
        code="hardware",
        name="Hardware",
        categories=[Category.HARDWARE],
        lead=network_engineer,
    )
    weekly_rota(
        team,
        [hardware_engineer],
        starts_on=timezone.localdate() - dt.timedelta(days=14),
    )
    for priority in Priority:
        SlaPolicyFactory(priority=priority, response_minutes=30, restore_minutes=240)
    # Work already on the engineer's plate, less urgent than what is coming.
    TicketFactory(
        title="Label printer smudges",
        assignee=hardware_engineer,
        team=team,
        state=TicketState.ASSIGNED,
        priority=Priority.P4,
        restore_due_at=timezone.now() + dt.timedelta(days=3),
    )

    engineer = open_page("desktop", hardware_engineer)
    engineer.goto("/desk/figures/")
    reported_before = int(figure(engineer, "reported"))

    # The nurse scans the PC's label with her phone.
    phone = open_page("phone", nurse)
    phone.goto(f"/a/{w.faulty.tag}/")
    assert phone.get_by_label("Asset tag").input_value() == "PC-FAULTY"
    phone.get_by_label("What's wrong?").fill("PC won't boot, orders can't be entered")
    phone.get_by_text("Hardware", exact=True).click()
    phone.get_by_text("work has stopped").click()
    phone.get_by_role("button", name="Send the report").click()
    reference = phone.locator("#ticket-reference").inner_text()
    shot(phone, "desk-journey-reported")
    ticket = Ticket.objects.get(title__startswith="PC won't boot")
    assert ticket.assignee == hardware_engineer  # on call this week

    # The engineer sees it at the top of the queue.
    engineer.goto("/desk/queue/")
    first = engineer.locator(".wk-queue-item").first
    expect(first).to_contain_text(reference)
    shot(engineer, "desk-journey-queue")
    first.get_by_role("link", name=reference).click()
    engineer.get_by_role("button", name="Start work").click()
    panel = engineer.get_by_role("region", name="Restore service")
    panel.get_by_role("button", name="Swap with a spare").click()
    dialog = engineer.get_by_role("dialog", name="Swap with a spare?")
    dialog.get_by_role("button", name="Confirm the swap").click()
    expect(engineer.get_by_text("now stands in for")).to_be_visible()
    engineer.locator("#action-resolve summary").click()
    engineer.get_by_label("Resolution").select_option("swapped")
    engineer.get_by_label("Cause").fill("Mainboard failed")
    engineer.get_by_label("What was done").fill("Swapped in the floor's spare PC")
    engineer.locator("#action-resolve").get_by_role("button", name="Resolve").click()
    expect(engineer.locator("#ticket-state")).to_contain_text("resolved")
    shot(engineer, "desk-journey-resolved")
    assert Asset.objects.get(tag="PC-FAULTY").status == AssetStatus.IN_REPAIR
    assert Asset.objects.get(tag="PC-SPARE").status == AssetStatus.IN_USE

    # The nurse confirms the fix from her reports.
    phone.goto("/desk/mine/")
    phone.locator(f"label[for='rating-{ticket.pk}-5']").click()
    phone.get_by_role("button", name="Yes, confirm the fix").click()
    shot(phone, "desk-journey-confirmed")
    ticket.refresh_from_db()
    assert (ticket.state, ticket.rating, ticket.first_time_fix) == ("closed", 5, True)
    assert ticket.sla_met is True

    # The dashboard counts it.
    engineer.goto("/desk/figures/")
    assert int(figure(engineer, "reported")) == reported_before + 1
    assert figure(engineer, "sla") == "100%"
    assert figure(engineer, "ftf") == "100%"
    shot(engineer, "desk-journey-figures")
