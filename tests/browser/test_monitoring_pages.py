"""Monitoring's working pages at desktop and phone size: the alert list
(acknowledge, silence, the state chips), the availability report and its CSV,
planning a maintenance window, a check's notes, and a check template applied
to every asset of a type. At 360 px nothing may scroll sideways."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.conftest import shot, sign_in
from tests.factories.inventory import AssetFactory, BuildingFactory, asset_type
from tests.factories.monitoring import CheckFactory
from tests.factories.monitoring_views import hours
from wardkeeper.inventory.choices import AssetStatus
from wardkeeper.monitoring.choices import AlertState, CheckStatus, Severity
from wardkeeper.monitoring.models import Alert, Check, MaintenanceWindow, Outage

pytestmark = pytest.mark.django_db(transaction=True)


def alert_on(name: str, **fields) -> Alert:
    check = CheckFactory(name=name, status=CheckStatus.DOWN)
    return Alert.objects.create(
        source=check,
        severity=Severity.MAJOR,
        message=f"{name} is down: connect: refused",
        **fields,
    )


def nothing_scrolls_sideways(page) -> None:
    """Neither the page nor a table's box is wider than the screen."""
    wide = page.evaluate(
        """() => [document.documentElement,
                  ...document.querySelectorAll('.table-responsive')]
            .filter((box) => box.scrollWidth > box.clientWidth + 1)
            .map((box) => box.className || box.tagName)"""
    )
    assert wide == []


def on_one_line(locator) -> bool:
    return locator.evaluate("(el) => el.getClientRects().length === 1")


def labels_shown(row) -> list[str]:
    """The column names a row shows (on a phone, those its card shows)."""
    return row.evaluate(
        """(tr) => [...tr.cells]
            .filter((td) => getComputedStyle(td).display !== 'none')
            .map((td) => td.dataset.label)"""
    )


def test_an_engineer_acknowledges_one_alert_and_silences_another(
    page, network_engineer
):
    pacs = alert_on("PACS archive port")
    alert_on("Lab printer queue")
    alert_on(
        "HIS web front end",
        state=AlertState.RESOLVED,
        resolved_at=timezone.now(),
    )
    sign_in(page, network_engineer)
    page.goto("/monitoring/alerts/")
    shot(page, "monitoring-alerts-open")
    nothing_scrolls_sideways(page)
    # The check's name keeps its line, its message under it, on a phone too.
    row = page.locator("tr", has_text="PACS archive port")
    assert on_one_line(row.get_by_role("link", name="PACS archive port"))
    # Nothing to do with a resolved alert: no empty Actions (or Ticket) beside it.
    resolved = page.locator("tr", has_text="HIS web front end")
    expect(resolved.get_by_role("button")).to_have_count(0)
    everything = ["Check", "State", "Severity", "Opened", "Affected"]
    extra = [] if page.size_name == "phone" else ["Ticket", "Actions"]
    assert labels_shown(resolved) == everything + extra

    row.get_by_role("button", name="Acknowledge").click()
    expect(page.get_by_text("Acknowledged: PACS archive port")).to_be_visible()
    pacs.refresh_from_db()
    assert (pacs.state, pacs.acknowledged_by) == (
        AlertState.ACKNOWLEDGED,
        network_engineer,
    )
    row = page.locator("tr", has_text="PACS archive port")
    expect(row).to_contain_text("acknowledged by")

    until = timezone.localtime() + dt.timedelta(hours=2)
    row = page.locator("tr", has_text="Lab printer queue")
    row.get_by_label("Silence until").fill(until.strftime("%Y-%m-%dT%H:%M"))
    row.get_by_role("button", name="Silence", exact=True).click()
    expect(page.get_by_text("Silenced: Lab printer queue")).to_be_visible()
    row = page.locator("tr", has_text="Lab printer queue")
    expect(row.get_by_role("button", name="End silence")).to_be_visible()
    expect(row).to_contain_text("until")
    nothing_scrolls_sideways(page)
    shot(page, "monitoring-alerts-worked")
    states = dict(Alert.objects.values_list("source__name", "state"))
    assert states == {
        "PACS archive port": AlertState.ACKNOWLEDGED,
        "Lab printer queue": AlertState.SILENCED,
        "HIS web front end": AlertState.RESOLVED,
    }


def test_alerts_are_narrowed_by_state_with_chips(page, network_engineer):
    alert_on("PACS archive port")
    alert_on("Old outage", state=AlertState.RESOLVED, resolved_at=timezone.now())
    sign_in(page, network_engineer)
    page.goto("/monitoring/alerts/")
    # A chip per state, not a tall box to scroll in.
    expect(page.get_by_role("listbox")).to_have_count(0)
    chips = page.locator("fieldset", has_text="State")
    assert chips.bounding_box()["height"] < 80
    chips.get_by_text("resolved", exact=True).click()
    if page.size_name == "phone":
        page.get_by_role("button", name="Filters").click()
    page.get_by_role("button", name="Filter", exact=True).click()
    expect(page.locator("tbody tr")).to_have_count(1)
    expect(page.locator("tbody")).to_contain_text("Old outage")
    expect(page.get_by_label("resolved", exact=True)).to_be_checked()
    shot(page, "monitoring-alerts-resolved")


def test_the_availability_report_shows_the_outage_and_downloads_as_csv(
    page, network_engineer
):
    today = timezone.localdate()
    start = timezone.make_aware(
        dt.datetime.combine(today - dt.timedelta(days=3), dt.time(8))
    )
    core = CheckFactory(name="Core switch ping", service="Network")
    his = CheckFactory(name="HIS web", service="HIS")
    hours(core, start, 24, up=58, down=2)
    hours(his, start, 24, up=60)
    Outage.objects.create(
        source=core,
        started_at=start + dt.timedelta(hours=2),
        ended_at=start + dt.timedelta(hours=2, minutes=48),
        status=CheckStatus.DOWN,
    )
    sign_in(page, network_engineer)
    page.goto("/monitoring/availability/?period=7d&by=check")
    table = page.locator("#availability-table")
    core_row = table.locator("tbody tr", has_text="Core switch ping")
    expect(core_row).to_contain_text("96.667 %")
    expect(core_row).to_contain_text("48 min")
    expect(table.locator("tbody tr", has_text="HIS web")).to_contain_text("100.000 %")
    # Every figure whole on its line, the "All" row too, nothing cut off.
    total = table.locator("tfoot tr")
    expect(total).to_contain_text("98.333 %")
    figures = table.locator(".wk-figure")
    assert figures.count() == 15
    for n in range(figures.count()):
        assert on_one_line(figures.nth(n)), figures.nth(n).inner_text()
    nothing_scrolls_sideways(page)
    right = page.evaluate("document.documentElement.clientWidth")
    for n in range(5):
        box = total.locator(".wk-figure").nth(n).bounding_box()
        assert box["x"] + box["width"] <= right
    shot(page, "monitoring-availability")

    with page.expect_download() as download:
        page.get_by_role("link", name="CSV").click()
    text = download.value.path().read_text(encoding="utf-8-sig")
    rows = {row[0]: row for row in csv.reader(io.StringIO(text))}
    assert float(rows["Core switch ping"][1]) == pytest.approx(96.667)
    assert float(rows["HIS web"][1]) == 100.0
    assert float(rows["Core switch ping"][7]) == 48.0


def test_planned_work_is_entered_as_a_weekly_maintenance_window(page, network_engineer):
    switch = AssetFactory(tag="DC-CSW01", name="Core switch 1")
    imaging = BuildingFactory(code="IMG", name="Imaging Centre")
    theatres = BuildingFactory(code="OPS", name="Theatres")
    BuildingFactory.create_batch(40)  # a hospital's worth of places
    CheckFactory(service="PACS")
    CheckFactory(service="HIS")
    sign_in(page, network_engineer)
    page.goto("/monitoring/maintenance/add/")
    page.get_by_label("Name").fill("Core switch firmware")
    page.get_by_label("Starts").fill("2026-12-06T02:00")
    page.get_by_label("Duration (minutes)").fill("120")
    page.get_by_role("combobox", name="Repeats").select_option("weekly")
    page.get_by_label("Assets (tags)").first.fill("DC-CSW01")
    # Places: typed and suggested (the inventory's lookup), never a list of
    # every place in the hospital.
    expect(page.get_by_role("listbox")).to_have_count(0)
    places = page.get_by_label("Places (codes)")
    places.first.press_sequentially("Imag")
    suggestion = page.locator("#id_locations_0-options option[value=IMG]")
    expect(suggestion).to_have_text(re.compile("Imaging Centre"))
    places.first.fill("IMG")
    page.get_by_role("button", name="Add another").last.click()
    expect(places).to_have_count(2)
    places.last.fill("OPS")
    # The services checks name, to tick.
    page.get_by_label("PACS", exact=True).check()
    expect(page.get_by_label("HIS", exact=True)).not_to_be_checked()
    reason = page.get_by_label("Reason")
    reason.fill("Monthly firmware and config backup")
    line = reason.evaluate("(box) => parseFloat(getComputedStyle(box).lineHeight)")
    assert reason.bounding_box()["height"] < 5 * line  # a few lines, not a page
    page.evaluate("window.scrollTo(0, 0)")  # the sticky bar at the top of the shot
    shot(page, "monitoring-window-form")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", name="Core switch firmware")).to_be_visible()
    facts = page.locator(".wk-facts")
    expect(facts).to_contain_text("every week")
    expect(facts).to_contain_text("Imaging Centre")
    expect(facts).to_contain_text("PACS")
    shot(page, "monitoring-window-detail")
    window = MaintenanceWindow.objects.get()
    assert list(window.assets.all()) == [switch]
    assert set(window.locations.all()) == {imaging, theatres}
    assert window.services == ["PACS"]
    assert (window.duration, window.recurrence) == (120, "weekly")
    assert window.is_active(
        timezone.make_aware(dt.datetime(2026, 12, 13, 3, 0))
    )  # a Sunday a week later, 03:00

    # Editing shows each place in a box of its own, and one more.
    page.get_by_role("link", name="Edit").click()
    expect(places).to_have_count(3)
    expect(places.nth(0)).to_have_value("IMG")
    expect(places.nth(1)).to_have_value("OPS")
    expect(page.get_by_label("PACS", exact=True)).to_be_checked()
    nothing_scrolls_sideways(page)


def test_a_checks_notes_are_written_in_its_form_and_read_on_its_page(
    page, network_engineer
):
    check = CheckFactory(name="PACS archive port", asset__tag="PACS-01")
    sign_in(page, network_engineer)
    page.goto(f"/monitoring/checks/{check.pk}/edit/")
    notes = (
        "Call Imaging IT on 4455.\nRunbook: https://wiki.example/pacs\n<b>not bold</b>"
    )
    page.get_by_label("Notes").fill(notes)
    shot(page, "monitoring-check-form")
    page.get_by_role("button", name="Save").click()
    shown = page.locator("#check-notes")
    expect(shown).to_contain_text("Call Imaging IT on 4455.")
    # Line breaks kept; what was typed is shown as typed, never as markup.
    assert shown.locator("br").count() == 2
    expect(shown).to_contain_text("<b>not bold</b>")
    expect(shown.locator("b")).to_have_count(0)
    expect(shown.get_by_role("link", name="https://wiki.example/pacs")).to_be_visible()
    shot(page, "monitoring-check-notes")
    check.refresh_from_db()
    assert check.notes.splitlines() == notes.splitlines()


def test_a_check_template_is_made_and_applied_to_every_switch(page, network_engineer):
    switch = asset_type("switch")
    for n in range(3):
        AssetFactory(
            name=f"Floor switch {n}",
            model__asset_type=switch,
            ip_address=f"127.0.0.{n + 1}",
            status=AssetStatus.IN_USE,
        )
    AssetFactory(name="Switch in the store", model__asset_type=switch)  # no address
    sign_in(page, network_engineer)
    page.goto("/monitoring/templates/add/")
    page.get_by_label("Name").fill("Switch ping")
    page.get_by_label("Asset type").select_option(label=str(switch))
    page.get_by_label("Kind").select_option("icmp")
    page.get_by_label("Parameters").fill('{"count": 3}')
    page.get_by_label("Interval (seconds)").fill("60")
    shot(page, "monitoring-template-form")
    page.get_by_role("button", name="Save").click()
    apply = page.get_by_role("button", name="Apply to every")
    expect(apply).to_be_visible()
    apply.click()
    expect(page.get_by_text("3 checks added from Switch ping")).to_be_visible()
    shot(page, "monitoring-template-applied")
    made = Check.objects.filter(template__name="Switch ping")
    assert sorted(made.values_list("host", flat=True)) == [
        "127.0.0.1",
        "127.0.0.2",
        "127.0.0.3",
    ]
    assert {c.kind for c in made} == {"icmp"}
    # Applying again adds nothing twice.
    page.get_by_role("button", name="Apply to every").click()
    expect(page.get_by_text("0 checks added from Switch ping")).to_be_visible()
    assert made.count() == 3
