"""An engineer swaps a spare in from the ticket page, on a desktop and a phone."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import ARTIFACTS, shot, sign_in
from tests.factories.servicedesk_restore import ward
from wardkeeper.inventory.choices import AssetStatus
from wardkeeper.inventory.models import Asset


@pytest.mark.django_db(transaction=True)
def test_swap_with_a_spare_from_the_ticket(page, hardware_engineer):
    w = ward()
    w.pool(w.near, name="Floor pool", minimum_level=1)
    w.spare(w.near, tag="PC-SPARE", name="Spare PC")
    sign_in(page, hardware_engineer)
    page.goto(w.ticket.get_absolute_url())
    panel = page.get_by_role("region", name="Restore service")
    expect(panel).to_contain_text("Spare available: PC-SPARE from Floor pool")
    shot(page, "desk-restore-ticket")

    panel.get_by_role("button", name="Swap with a spare").click()
    dialog = page.get_by_role("dialog", name="Swap with a spare?")
    expect(dialog).to_be_visible()
    expect(dialog.get_by_test_id("swap-spare")).to_have_text("PC-SPARE")
    expect(dialog).to_have_class(re.compile(r"\bshow\b"))
    page.wait_for_timeout(400)  # the fade-in ends
    # The dialog sits in the viewport: a full-page shot would misplace it.
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"desk-restore-confirm-{page.size_name}.png"))
    dialog.get_by_role("button", name="Confirm the swap").click()

    expect(page.get_by_text("now stands in for")).to_be_visible()
    expect(page.get_by_role("region", name="Restore service")).to_contain_text(
        "PC-FAULTY swapped with PC-SPARE from Floor pool"
    )
    shot(page, "desk-restore-done")
    assert Asset.objects.get(tag="PC-FAULTY").status == AssetStatus.IN_REPAIR
    spare = Asset.objects.get(tag="PC-SPARE")
    assert (spare.status, spare.location) == (AssetStatus.IN_USE, w.room)


@pytest.mark.django_db(transaction=True)
def test_rma_and_problem_pages(page, hardware_engineer):
    import datetime as dt

    from django.contrib.auth.models import Permission
    from django.utils import timezone

    from tests.factories.servicedesk import TicketFactory
    from tests.factories.servicedesk_restore import covering_contract

    hardware_engineer.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_rma", "add_rma", "change_rma"])
    )
    w = ward()
    contract = covering_contract(w.faulty)
    for _ in range(2):
        TicketFactory(asset=w.faulty, created_at=timezone.now() - dt.timedelta(days=3))
    sign_in(page, hardware_engineer)

    page.goto(w.ticket.get_absolute_url())
    page.get_by_role("link", name="Send to vendor").click()
    expect(page.get_by_test_id("coverage")).to_contain_text("covers this asset today")
    shot(page, "desk-rma-new")
    page.get_by_label("RMA number").fill("RMA-5521")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("covers it", exact=True)).to_be_visible()
    page.get_by_label("Move to").select_option(label="shipped")
    page.get_by_role("button", name="Save the step").click()
    expect(page.get_by_text("The RMA is shipped.")).to_be_visible()
    shot(page, "desk-rma-detail")
    assert Asset.objects.get(tag="PC-FAULTY").status == AssetStatus.AT_VENDOR
    assert contract.rmas.get().number == "RMA-5521"

    page.goto("/desk/problems/candidates/")
    expect(page.get_by_role("table")).to_contain_text("PC-FAULTY")
    shot(page, "desk-problem-candidates")
    page.get_by_role("button", name="Create a problem").click()
    expect(page.get_by_text("Problem recorded with 3 tickets.")).to_be_visible()
    shot(page, "desk-problem-detail")
