"""Monitoring's working pages at desktop and phone size: the alert list
(acknowledge, silence), the availability report and its CSV, planning a
maintenance window, and a check template applied to every asset of a type."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.conftest import shot, sign_in
from tests.factories.inventory import AssetFactory, asset_type
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


def test_an_engineer_acknowledges_one_alert_and_silences_another(
    page, network_engineer
):
    pacs = alert_on("PACS archive port")
    alert_on("Lab printer queue")
    sign_in(page, network_engineer)
    page.goto("/monitoring/alerts/")
    shot(page, "monitoring-alerts-open")

    row = page.locator("tr, .card", has_text="PACS archive port").last
    row.get_by_role("button", name="Acknowledge").click()
    expect(page.get_by_text("Acknowledged: PACS archive port")).to_be_visible()
    pacs.refresh_from_db()
    assert (pacs.state, pacs.acknowledged_by) == (
        AlertState.ACKNOWLEDGED,
        network_engineer,
    )

    until = timezone.localtime() + dt.timedelta(hours=2)
    row = page.locator("tr, .card", has_text="Lab printer queue").last
    row.get_by_label("Silence until").fill(until.strftime("%Y-%m-%dT%H:%M"))
    row.get_by_role("button", name="Silence").click()
    expect(page.get_by_text("Silenced: Lab printer queue")).to_be_visible()
    row = page.locator("tr, .card", has_text="Lab printer queue").last
    expect(row.get_by_role("button", name="End silence")).to_be_visible()
    shot(page, "monitoring-alerts-worked")
    states = dict(Alert.objects.values_list("source__name", "state"))
    assert states == {
        "PACS archive port": AlertState.ACKNOWLEDGED,
        "Lab printer queue": AlertState.SILENCED,
    }


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
    sign_in(page, network_engineer)
    page.goto("/monitoring/maintenance/add/")
    page.get_by_label("Name").fill("Core switch firmware")
    page.get_by_label("Starts").fill("2026-12-06T02:00")
    page.get_by_label("Duration (minutes)").fill("120")
    page.get_by_role("combobox", name="Repeats").select_option("weekly")
    page.get_by_label("Assets (tags)").fill("DC-CSW01")
    page.get_by_label("Reason").fill("Monthly firmware and config backup")
    shot(page, "monitoring-window-form")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", name="Core switch firmware")).to_be_visible()
    expect(page.locator(".wk-facts")).to_contain_text("every week")
    shot(page, "monitoring-window-detail")
    window = MaintenanceWindow.objects.get()
    assert list(window.assets.all()) == [switch]
    assert (window.duration, window.recurrence) == (120, "weekly")
    assert window.is_active(
        timezone.make_aware(dt.datetime(2026, 12, 13, 3, 0))
    )  # a Sunday a week later, 03:00


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
