"""Service-desk figures: each number from tickets whose times are known."""

import csv
import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from tests.factories.inventory import AssetFactory, AssetModelFactory, RoomFactory
from tests.factories.servicedesk import TeamFactory, TicketFactory
from wardkeeper.servicedesk.choices import Category, Priority, TicketState
from wardkeeper.servicedesk.models import Ticket
from wardkeeper.servicedesk.services import figures

pytestmark = pytest.mark.django_db

NOW = timezone.make_aware(dt.datetime(2026, 6, 20, 12, 0))
START = dt.date(2026, 6, 1)
END = dt.date(2026, 7, 1)


def ticket(reported, responded_after=None, resolved_after=None, **fields):
    created = NOW - reported
    return TicketFactory(
        created_at=created,
        responded_at=created + responded_after if responded_after else None,
        resolved_at=created + resolved_after if resolved_after else None,
        **fields,
    )


@pytest.fixture
def month():
    network, hardware = TeamFactory(name="Network"), TeamFactory(name="Hardware")
    hour = dt.timedelta(hours=1)
    day = dt.timedelta(days=1)
    ticket(
        2 * day,
        hour / 2,
        3 * hour,
        team=network,
        sla_met=True,
        state=TicketState.CLOSED,
        first_time_fix=True,
        priority=Priority.P1,
    )
    ticket(
        3 * day,
        hour,
        5 * hour,
        team=network,
        sla_met=False,
        state=TicketState.CLOSED,
        first_time_fix=False,
        priority=Priority.P2,
    )
    ticket(
        day,
        hour / 4,
        None,
        team=hardware,
        state=TicketState.IN_PROGRESS,
        category=Category.NETWORK,
    )
    ticket(10 * day, None, None, team=hardware, state=TicketState.NEW)
    # Outside the period: reported in May.
    ticket(
        40 * day,
        hour,
        2 * hour,
        team=network,
        sla_met=True,
        state=TicketState.CLOSED,
        first_time_fix=True,
    )
    return network, hardware


def test_the_month_figures(month):
    result = figures.compute(START, END, now=NOW)
    total = result.total
    assert total.reported == 4
    assert total.resolved == 2
    assert total.mtta_seconds == pytest.approx((1800 + 3600 + 900) / 3)
    assert total.mttr_seconds == pytest.approx((3 * 3600 + 5 * 3600) / 2)
    assert total.sla_percent == 50.0
    assert total.first_time_fix_percent == 50.0
    assert total.still_open == 2


def test_breakdowns_add_up_to_the_total(month):
    del month
    result = figures.compute(START, END, now=NOW)
    teams = {row.label: row.tally for row in result.breakdowns["team"]}
    assert teams["Network"].reported == 2
    assert teams["Network"].sla_percent == 50.0
    assert teams["Hardware"].reported == 2
    assert teams["Hardware"].mttr_seconds is None
    for rows in result.breakdowns.values():
        assert sum(row.tally.reported for row in rows) == result.total.reported
    priorities = [row.key for row in result.breakdowns["priority"]]
    assert priorities == sorted(priorities)


def test_a_filter_narrows_every_figure(month):
    network, _hardware = month
    result = figures.compute(START, END, now=NOW, filters={"team": network})
    assert result.total.reported == 2
    assert [row.label for row in result.breakdowns["team"]] == ["Network"]


def test_figures_follow_a_ticket_resolved_later(month):
    open_one = Ticket.objects.get(state=TicketState.NEW)
    before = figures.compute(START, END, now=NOW).total
    open_one.resolved_at = open_one.created_at + dt.timedelta(hours=2)
    open_one.state = TicketState.RESOLVED
    open_one.save()
    after = figures.compute(START, END, now=NOW).total
    assert after.resolved == before.resolved + 1
    assert after.still_open == before.still_open - 1


def test_rebuild_recounts_rows_written_behind_the_rollups(month):
    figures.compute(START, END, now=NOW)  # counted once
    Ticket.objects.filter(state=TicketState.NEW).update(sla_met=True)
    assert figures.compute(START, END, now=NOW).total.sla_known == 2
    call_command("figures", "rebuild", stdout=io.StringIO())
    assert figures.compute(START, END, now=NOW).total.sla_known == 3


def test_a_ticket_counts_on_its_local_day(settings):
    settings.TIME_ZONE = "Asia/Shanghai"
    # 23:30 UTC on 31 May is 07:30 on 1 June in Shanghai.
    TicketFactory(created_at=dt.datetime(2026, 5, 31, 23, 30, tzinfo=dt.UTC))
    assert figures.compute(START, END, now=NOW).total.reported == 1
    may = figures.compute(dt.date(2026, 5, 1), START, now=NOW)
    assert may.total.reported == 0


def test_backlog_by_age_counts_open_tickets_now(month):
    buckets = dict(figures.backlog(Ticket.objects.all(), NOW))
    assert list(buckets.values()) == [0, 1, 0, 1, 0]


def test_top_failing_models_and_places():
    monitor = AssetModelFactory(name="Flaky monitor")
    ward = RoomFactory(name="Ward 5 nurses' station")
    for _ in range(3):
        ticket(dt.timedelta(days=1), asset=AssetFactory(model=monitor), location=ward)
    ticket(dt.timedelta(days=1), asset=AssetFactory())
    result = figures.compute(START, END, now=NOW)
    assert result.top_models[0] == (str(monitor), 3)
    assert result.top_locations[0] == (str(ward), 3)


def test_the_dashboard_shows_the_figures(login, hardware_engineer, month):
    page = login(hardware_engineer).get(
        reverse("servicedesk:figures"),
        {"period": "custom", "start": "2026-06-01", "end": "2026-06-30"},
    )
    assert page.status_code == 200
    text = page.content.decode()
    assert 'data-figure="reported">4<' in text
    assert 'data-figure="sla">50%<' in text


def test_the_dashboard_is_closed_to_reporters(login, nurse):
    assert login(nurse).get(reverse("servicedesk:figures")).status_code == 403


def test_a_custom_period_needs_both_dates(login, hardware_engineer):
    page = login(hardware_engineer).get(
        reverse("servicedesk:figures"), {"period": "custom", "start": "2026-06-01"}
    )
    assert "Give both dates" in page.content.decode()


def test_export_as_csv(login, hardware_engineer, month):
    response = login(hardware_engineer).get(
        reverse("servicedesk:figures-export", args=["csv"]),
        {"period": "custom", "start": "2026-06-01", "end": "2026-06-30"},
    )
    rows = list(
        csv.reader(
            io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))
        )
    )
    assert rows[0][:3] == ["Breakdown", "Value", "Reported"]
    assert rows[1][:3] == ["All", "", "4"]
    assert ["Team", "Network", "2"] in [row[:3] for row in rows]


def test_export_as_xlsx(login, hardware_engineer, month):
    from openpyxl import load_workbook

    response = login(hardware_engineer).get(
        reverse("servicedesk:figures-export", args=["xlsx"]),
        {"period": "custom", "start": "2026-06-01", "end": "2026-06-30"},
    )
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [cell.value for cell in sheet[2]][:3] == ["All", None, 4]
