"""Availability from roll-ups, with and without maintenance windows, and
outages with their downtime; the report page and its exports."""

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tests.factories.inventory import AssetFactory, DepartmentFactory
from tests.factories.monitoring import CheckFactory
from tests.factories.monitoring_views import WATCH, hours, person
from wardkeeper.core.models.audit import AuditEntry
from wardkeeper.monitoring.choices import CheckStatus
from wardkeeper.monitoring.models import Outage
from wardkeeper.monitoring.services import availability

START = dt.datetime(2026, 3, 1, tzinfo=dt.UTC)
END = START + dt.timedelta(days=7)


@pytest.fixture
def pacs(db):
    """A week of the PACS: 100 runs an hour; 10 hours with 30 down; 2 hours of
    planned work, all in maintenance; and one outage of 90 minutes of which
    the first 30 fall before the report starts."""
    check = CheckFactory(name="PACS echo", service="PACS")
    hours(check, START, 156, up=100)
    hours(check, START + dt.timedelta(hours=156), 10, up=70, down=30)
    hours(check, START + dt.timedelta(hours=166), 2, maintenance=100)
    Outage.objects.create(
        source=check,
        started_at=START - dt.timedelta(minutes=30),
        ended_at=START + dt.timedelta(hours=1),
        status=CheckStatus.DOWN,
    )
    Outage.objects.create(
        source=check,
        started_at=START + dt.timedelta(hours=166),
        ended_at=START + dt.timedelta(hours=168),
        status=CheckStatus.DOWN,
        in_maintenance=True,
    )
    return check


def test_availability_with_and_without_maintenance(pacs):
    report = availability.compute(START, END, grouping="check", now=END)
    row = report.rows[0]
    available, down, planned = 156 * 100 + 10 * 70, 10 * 30, 200
    assert row.percent == round(100 * available / (available + down), 3)  # 98.193
    assert row.percent_strict == round(
        100 * available / (available + down + planned), 3
    )
    assert row.percent > row.percent_strict
    assert row.outages == 2
    # Clipped to the period: 60 minutes of the first outage, 120 planned.
    assert row.downtime == dt.timedelta(minutes=180)
    assert row.downtime_planned == dt.timedelta(minutes=120)
    assert row.downtime_unplanned == dt.timedelta(minutes=60)


def test_groups_add_up_the_runs_of_their_checks(db):
    icu = DepartmentFactory(name="ICU")
    first = CheckFactory(asset=AssetFactory(department=icu), service="Monitors")
    second = CheckFactory(asset=AssetFactory(department=icu), service="Monitors")
    hours(first, START, 10, up=10)
    hours(second, START, 10, up=5, down=5)
    for grouping, label in (("department", "ICU"), ("service", "Monitors")):
        report = availability.compute(START, END, grouping=grouping, now=END)
        assert [(r.label, r.percent) for r in report.rows] == [(label, 75.0)]
    by_asset = availability.compute(START, END, grouping="asset", now=END)
    assert [r.percent for r in by_asset.rows] == [50.0, 100.0]  # worst first


def test_long_periods_read_daily_rollups_and_no_runs_give_no_figure(pacs):
    year = availability.compute(START, START + dt.timedelta(days=365), now=END)
    assert year.period == "day"
    # Only hourly roll-ups were written: no runs, but the outages still count.
    assert year.rows[0].percent is None
    assert year.rows[0].outages == 2


def test_the_report_page_and_its_exports(pacs, client, settings):
    settings.TIME_ZONE = "UTC"  # the days of the period are the fixture's
    client.force_login(person("nick", *WATCH))
    query = {
        "period": "custom",
        "start": "2026-03-01",
        "end": "2026-03-07",
        "by": "service",
    }
    page = client.get(reverse("monitoring:availability"), query).content.decode()
    assert "PACS" in page
    assert "98.193 %" in page

    export = reverse("monitoring:availability-export", args=["csv"])
    text = b"".join(client.get(export, query).streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][0] == "Service"
    assert rows[1][:2] == ["PACS", "98.193"]
    assert rows[-1][0] == "All"

    xlsx = client.get(reverse("monitoring:availability-export", args=["xlsx"]), query)
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet.cell(2, 1).value == "PACS"
    assert float(sheet.cell(2, 2).value) == pytest.approx(98.193)

    pdf = client.get(reverse("monitoring:availability-export", args=["pdf"]), query)
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    assert AuditEntry.objects.filter(message__contains="availability").count() == 3


def test_a_period_ending_before_it_starts_is_refused(db, client):
    client.force_login(person("nick", *WATCH))
    response = client.get(
        reverse("monitoring:availability"),
        {"period": "custom", "start": "2026-03-07", "end": "2026-03-01"},
    )
    assert response.context["form"].errors["end"]
