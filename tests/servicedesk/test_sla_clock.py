"""The clock pauses only while waiting for the reporter, stops at resolved,
restarts on reopen; sla_met judges both targets."""

import datetime as dt

import pytest

from tests.factories.servicedesk import SlaPolicyFactory
from tests.factories.servicedesk_sla import office_calendar
from wardkeeper.servicedesk.choices import (
    Category,
    Priority,
    ResolutionCode,
    TicketState,
    Urgency,
    WaitingFor,
)
from wardkeeper.servicedesk.models import SlaEventKind
from wardkeeper.servicedesk.services import tickets

pytestmark = pytest.mark.django_db
START = dt.datetime(2025, 3, 3, 1, 0, tzinfo=dt.UTC)  # Monday 09:00 in Shanghai
H = dt.timedelta(hours=1)


@pytest.fixture
def ticket(nurse, hardware_engineer):
    SlaPolicyFactory(priority=Priority.P3, response_minutes=60, restore_minutes=240)
    opened = tickets.open_ticket(
        tickets.Report(
            title="Scanner offline",
            category=Category.HARDWARE,
            reporter=nurse,
            urgency=Urgency.HIGH,
        ),
        now=START,
    )
    tickets.assign(
        opened, assignee=hardware_engineer, actor=hardware_engineer, now=START
    )
    return tickets.move(
        opened, TicketState.IN_PROGRESS, actor=hardware_engineer, now=START + 0.5 * H
    )


def move(ticket, to, at, **extra):
    if to == TicketState.RESOLVED:
        ticket.resolution_code = ResolutionCode.REPAIRED
        ticket.save()
    return tickets.move(ticket, to, actor=ticket.assignee, now=at, **extra)


def kinds(ticket):
    return list(ticket.sla_events.values_list("kind", flat=True))


def test_waiting_for_the_reporter_pushes_the_restore_target(ticket):
    assert ticket.restore_due_at == START + 4 * H
    ticket = move(
        ticket, TicketState.WAITING, START + H, waiting_for=WaitingFor.REPORTER
    )
    assert ticket.sla_paused_at == START + H
    ticket = move(ticket, TicketState.IN_PROGRESS, START + 3 * H)
    assert ticket.sla_paused_at is None
    assert ticket.restore_due_at == START + 6 * H
    assert kinds(ticket) == [SlaEventKind.PAUSED, SlaEventKind.RESUMED]


def test_waiting_for_parts_or_the_vendor_does_not_pause(ticket):
    ticket = move(ticket, TicketState.WAITING, START + H, waiting_for=WaitingFor.PARTS)
    assert ticket.sla_paused_at is None
    ticket = move(ticket, TicketState.IN_PROGRESS, START + 3 * H)
    assert ticket.restore_due_at == START + 4 * H
    assert kinds(ticket) == []


def test_a_pause_over_the_night_counts_only_working_time(ticket):
    # Paused Monday 16:00 local, resumed Tuesday 10:00: 1.5 + 2 working hours.
    ticket = move(
        ticket, TicketState.WAITING, START + 7 * H, waiting_for=WaitingFor.REPORTER
    )
    ticket.sla_policy.calendar = office_calendar()
    ticket.sla_policy.save()
    ticket = move(ticket, TicketState.IN_PROGRESS, START + 25 * H)
    # 4 h target from 09:00 on the office calendar (lunch 12:00-13:30) ends
    # at 14:30; pushed by 3.5 working hours: Tuesday 08:30 local.
    assert ticket.restore_due_at == START + 23.5 * H


def test_resolved_in_time_meets_the_sla(ticket):
    ticket = move(ticket, TicketState.RESOLVED, START + 2 * H)
    assert ticket.sla_met is True
    assert not ticket.restore_breached


def test_resolved_late_misses_the_sla_and_records_the_breach(ticket):
    ticket = move(ticket, TicketState.RESOLVED, START + 5 * H)
    assert ticket.sla_met is False
    assert ticket.restore_breached
    assert SlaEventKind.RESTORE_BREACH in kinds(ticket)


def test_resolving_while_paused_folds_the_pause_in(ticket):
    ticket = move(
        ticket, TicketState.WAITING, START + H, waiting_for=WaitingFor.REPORTER
    )
    # Five hours after the report, but four of them waiting for the reporter.
    ticket = move(ticket, TicketState.RESOLVED, START + 5 * H)
    assert ticket.sla_met is True
    assert ticket.restore_due_at == START + 8 * H


def test_a_reopened_ticket_runs_on_from_where_it_stopped(ticket):
    ticket = move(ticket, TicketState.RESOLVED, START + 2 * H)
    ticket = move(ticket, TicketState.REOPENED, START + 10 * H, note="Still dead")
    assert ticket.sla_met is None
    assert ticket.sla_paused_at is None
    # Two hours used before resolution, eight hours resolved not counted.
    assert ticket.restore_due_at == START + 12 * H
    ticket = move(ticket, TicketState.IN_PROGRESS, START + 11 * H)
    ticket = move(ticket, TicketState.RESOLVED, START + 13 * H)
    assert ticket.sla_met is False
    assert kinds(ticket)[:2] == [SlaEventKind.STOPPED, SlaEventKind.RESTARTED]
