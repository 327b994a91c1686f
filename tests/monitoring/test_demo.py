"""The demo hospital's monitoring: templates per type, its equipment's checks
disabled (their addresses do not exist here) with a month of history, live
checks that work on any machine, rules and the weekly window. One build,
several checks: a build takes seconds."""

import datetime as dt
import ipaddress

import pytest
from django.db import connection
from django.utils import timezone

from wardkeeper.inventory.demo import build_demo
from wardkeeper.inventory.models import Asset
from wardkeeper.monitoring.choices import CheckKind, CheckStatus, Recurrence
from wardkeeper.monitoring.models import (
    Alert,
    AlertRule,
    Check,
    CheckTemplate,
    MaintenanceWindow,
    Outage,
    Rollup,
)
from wardkeeper.monitoring.services import availability, board

pytestmark = pytest.mark.django_db


def is_loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def test_the_demo_watches_its_equipment_on_paper_and_itself_for_real():
    result = build_demo(scale=0.05, accounts=False)
    assert result.counts["checks"] == Check.objects.count()

    kinds = {(t.asset_type.code, t.kind) for t in CheckTemplate.objects.all()}
    assert {
        ("switch", "icmp"),
        ("switch", "snmp"),
        ("server", "tcp"),
        ("ups", "snmp"),
        ("ct", "dicom_echo"),
    } <= kinds
    echo = CheckTemplate.objects.filter(kind=CheckKind.DICOM_ECHO).first()
    assert echo.params["calling_ae"]
    assert echo.params["called_ae"]

    demo_checks = Check.objects.filter(enabled=False)
    assert demo_checks.filter(template__isnull=False).count() > 20
    # The website's page and certificate (a small build may have no web server).
    has_web = Asset.objects.filter(hostname__startswith="web-").exists()
    assert demo_checks.filter(kind=CheckKind.TLS).exists() == has_web
    assert all(c.host.startswith("10.") for c in demo_checks if c.asset_id)
    assert all("Demo" in c.last_message for c in demo_checks)
    live = Check.objects.filter(enabled=True)
    assert all(is_loopback(c.host) for c in live)
    expected = {"Wardkeeper sign-in page"}
    if connection.vendor == "postgresql":
        expected.add("Wardkeeper database")
    assert set(live.values_list("name", flat=True)) == expected

    # The board counts what really runs: nothing down, nothing made up.
    shown = board.build()
    assert shown.total == len(expected)
    assert not shown.down
    assert not shown.orphans

    window = MaintenanceWindow.objects.get()
    starts = timezone.localtime(window.starts_at)
    assert window.recurrence == Recurrence.WEEKLY
    assert (starts.weekday(), starts.hour, window.duration) == (6, 2, 120)
    assert window.locations.exists()
    assert AlertRule.objects.filter(open_ticket=True).exists()


def test_the_month_report_shows_the_switch_outage_and_what_it_took_down():
    build_demo(scale=0.05, accounts=False)
    root = Outage.objects.filter(source__kind=CheckKind.ICMP, in_maintenance=False)
    root = root.exclude(root_cause=None).filter(status=CheckStatus.DOWN).first()
    switch = root.source
    assert switch.asset.asset_type.code == "switch"
    children = Outage.objects.filter(status=CheckStatus.UNREACHABLE)
    assert children.count() >= 2
    assert set(children.values_list("root_cause", flat=True)) == {switch.pk}
    alert = Alert.objects.get(source=switch)
    assert alert.affected == children.count()
    assert Outage.objects.filter(in_maintenance=True).exists()

    now = timezone.now()
    report = availability.compute(now - dt.timedelta(days=30), now, grouping="check")
    rows = {row.key: row for row in report.rows}
    assert 99 < rows[switch.pk].percent < 100
    assert rows[switch.pk].outages == 1
    assert 40 <= rows[switch.pk].downtime.total_seconds() / 60 <= 50
    assert report.total.maintenance > 0  # the data centre's Sundays
    assert report.total.percent_strict < report.total.percent
    assert Rollup.objects.filter(period=Rollup.DAY, source=switch).count() >= 30
