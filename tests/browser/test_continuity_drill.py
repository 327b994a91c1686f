"""A drill run step by step from a phone and a laptop: start it, work the
steps in order, raise a ticket for an issue, finish it, open the report."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import shot, sign_in

# Shared with the audit test until conftest offers it (a director needs MFA).
from tests.browser.test_audit import sign_in_verified
from tests.factories import continuity_plans as people
from tests.factories.continuity import ProtectedSystemFactory
from tests.factories.continuity_plans import approved_runbook, pdf_text, planned_drill
from wardkeeper.continuity.models import DrillStep
from wardkeeper.inventory.choices import Criticality

# A started step's line, not its "not started" badge.
STARTED = re.compile(r"started \d{2}:\d{2} by")


def card(page, title: str):
    return page.get_by_test_id("ready-step").filter(has_text=title)


@pytest.mark.django_db(transaction=True)
def test_a_drill_is_run_step_by_step_and_reported(page):
    system = ProtectedSystemFactory(
        name="PACS", criticality=Criticality.CRITICAL, rto_minutes=240
    )
    drill = planned_drill(approved_runbook(system=system), title="PACS spring drill")
    sign_in(page, people.drill_hand())

    page.goto(f"/continuity/drills/{drill.pk}/")
    page.get_by_role("button", name="Start the drill").click()
    expect(page.get_by_test_id("ready-step")).to_have_count(2)
    expect(page.get_by_test_id("progress")).to_contain_text("0 of 3")

    database = card(page, "Restore the database")
    database.get_by_role("button", name="Start", exact=True).click()
    expect(card(page, "Restore the database")).to_contain_text(STARTED)
    shot(page, "continuity-drill-running")
    card(page, "Restore the database").get_by_role("button", name="Done").click()

    files = card(page, "Restore the file store")
    files.get_by_text("Raise a ticket for an issue").click()
    files.get_by_label("Issue").fill("File store restore runs at 40 MB/s")
    files.get_by_role("button", name="Open the ticket").click()
    expect(page.get_by_role("alert").first).to_contain_text("Opened ticket")
    files = card(page, "Restore the file store")
    files.get_by_label("Notes").fill("Took twice as long as planned")
    files.get_by_role("button", name="Problem").click()

    expect(page.get_by_test_id("ready-step")).to_have_count(1)
    card(page, "Start the application servers").get_by_role(
        "button", name="Done"
    ).click()
    expect(page.get_by_test_id("progress")).to_contain_text("3 of 3")
    shot(page, "continuity-drill-steps-done")

    page.get_by_role("link", name="Finish the drill").click()
    page.get_by_label("Data lost (minutes)").fill("5")
    page.get_by_label("Lessons learned").fill("Move the file store to faster disks.")
    page.get_by_role("button", name="Finish the drill").click()
    expect(page.get_by_test_id("rpo")).to_contain_text("5 min of data lost")
    expect(page.locator(".wk-text", has_text="faster disks")).to_be_visible()
    shot(page, "continuity-drill-finished")

    step = DrillStep.objects.get(drill=drill, position=2)
    assert step.ticket is not None
    assert step.outcome == "problem"
    report = page.request.get(f"/continuity/drills/{drill.pk}/report.pdf")
    assert report.headers["content-type"] == "application/pdf"
    text = pdf_text(report.body())
    assert "Took twice as long as planned" in text
    assert step.ticket.reference in text
    assert "Move the file store to faster disks." in text


@pytest.mark.django_db(transaction=True)
def test_a_draft_runbook_is_approved_and_coverage_shown(page):
    from wardkeeper.continuity.services import runbooks

    system = ProtectedSystemFactory(
        name="HIS", criticality=Criticality.CRITICAL, rto_minutes=100
    )
    draft = runbooks.new_version(
        approved_runbook(system=system), actor=people.planner()
    )
    sign_in_verified(page, people.director())
    page.goto(f"/continuity/runbooks/{draft.pk}/")
    expect(page.get_by_role("alert").first).to_contain_text("in parallel")
    shot(page, "continuity-runbook-draft")
    review = page.locator("#review")
    review.get_by_label("Comment").fill("Name who calls the HIS vendor at night.")
    review.get_by_role("button", name="Ask for changes").click()
    expect(page.locator("#changes-asked")).to_contain_text("Name who calls")
    expect(review.get_by_text("changes asked")).to_be_visible()
    shot(page, "continuity-runbook-review")
    review.get_by_label("Comment").fill("Agreed on the phone; fine.")
    review.get_by_role("button", name="Approve").click()
    expect(page.get_by_role("alert").first).to_contain_text("Approved")
    expect(review.get_by_text("Agreed on the phone; fine.")).to_be_visible()
    page.goto("/continuity/drills/coverage/")
    expect(page.get_by_role("cell", name="HIS")).to_be_visible()
    expect(page.get_by_text("No drill in 12 months").last).to_be_visible()
    shot(page, "continuity-coverage")


@pytest.mark.django_db(transaction=True)
def test_the_run_page_follows_what_others_do(page):
    from wardkeeper.continuity.services import drills

    drill = planned_drill(title="HIS night drill")
    hand = people.drill_hand()
    drills.start_drill(drill, actor=hand)
    sign_in(page, hand)
    page.goto(f"/continuity/drills/{drill.pk}/run/")
    expect(page.get_by_test_id("ready-step")).to_have_count(2)

    # A colleague on another phone starts a step: this page shows it by itself.
    other = page.context.new_page()
    other.goto(f"/continuity/drills/{drill.pk}/run/")
    card(other, "Restore the database").get_by_role(
        "button", name="Start", exact=True
    ).click()
    expect(card(page, "Restore the database")).to_contain_text(STARTED, timeout=12_000)

    # Someone writing notes here is not interrupted: the page says so instead.
    card(page, "Restore the file store").get_by_label("Notes").fill("Half done")
    card(other, "Restore the database").get_by_role("button", name="Done").click()
    moved = page.locator("#drill-moved")
    expect(moved).to_be_visible(timeout=12_000)
    expect(moved).to_contain_text("Someone else moved the drill on.")
    expect(card(page, "Restore the file store").get_by_label("Notes")).to_have_value(
        "Half done"
    )
    shot(page, "continuity-drill-moved")
    moved.get_by_role("link", name="Show it").click()
    expect(page.get_by_test_id("progress")).to_contain_text("1 of 3")
    other.close()
