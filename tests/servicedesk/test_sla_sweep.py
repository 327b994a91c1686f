"""The minute sweep: one warning, one breach, escalation to the lead then the
director, and nothing sent twice."""

import datetime as dt

import pytest

from tests.factories.servicedesk import SlaPolicyFactory, TicketFactory
from wardkeeper.servicedesk.choices import Priority, TicketState, WaitingFor
from wardkeeper.servicedesk.models import SlaEventKind
from wardkeeper.servicedesk.services import escalation, sla

pytestmark = pytest.mark.django_db
START = dt.datetime(2025, 3, 3, 1, 0, tzinfo=dt.UTC)
H = dt.timedelta(hours=1)


@pytest.fixture
def sent(monkeypatch):
    """Every notification the sweep asks for, as (ticket id, event, context)."""
    calls = []
    monkeypatch.setattr(
        escalation.notify,
        "ticket_event",
        lambda ticket, event, **context: calls.append((ticket.pk, event, context)),
    )
    return calls


def open_ticket(**fields):
    """A ticket reported at START under a 1 h / 4 h policy (24/7, warn at 75 %)."""
    fields = {"created_at": START, **fields}
    ticket = TicketFactory.build(priority=Priority.P3, **fields)
    sla.start_clock(ticket, START)
    ticket.save()
    return ticket


@pytest.fixture
def policy():
    return SlaPolicyFactory(
        priority=Priority.P3,
        response_minutes=60,
        restore_minutes=240,
        warn_at_percent=75,
    )


def test_nothing_happens_while_there_is_time(policy, sent):
    open_ticket()
    summary = escalation.sweep(START + 0.5 * H)
    assert summary.checked == 0
    assert sent == []


def test_one_warning_at_three_quarters_of_the_response_target(policy, sent):
    ticket = open_ticket()
    escalation.sweep(START + 0.75 * H)
    escalation.sweep(START + 0.8 * H)
    assert sent == [(ticket.pk, "sla_warning", {})]
    ticket.refresh_from_db()
    assert ticket.sla_warned_at == START + 0.75 * H


def test_a_breach_escalates_to_the_team_lead_once(policy, sent):
    ticket = open_ticket(responded_at=START + 0.2 * H, state=TicketState.IN_PROGRESS)
    escalation.sweep(START + 3 * H)  # 75 % of the restore target used
    escalation.sweep(START + 4 * H)
    escalation.sweep(START + 4 * H + dt.timedelta(minutes=1))
    assert [event for _pk, event, _ctx in sent] == [
        "sla_warning",
        "sla_breach",
        "escalated",
    ]
    assert sent[1][2] == {"target": "restore"}
    assert sent[2][2] == {"level": 1}
    ticket.refresh_from_db()
    assert ticket.restore_breached
    assert not ticket.response_breached
    assert ticket.escalation_level == 1
    assert list(ticket.sla_events.values_list("kind", "level")) == [
        (SlaEventKind.WARNING, None),
        (SlaEventKind.RESTORE_BREACH, None),
        (SlaEventKind.ESCALATION, 1),
    ]


def test_the_director_hears_when_the_breach_runs_half_a_target_more(policy, sent):
    ticket = open_ticket(responded_at=START, state=TicketState.IN_PROGRESS)
    escalation.sweep(START + 4 * H)
    escalation.sweep(START + 5.9 * H)
    assert ("escalated", {"level": 2}) not in [(e, c) for _p, e, c in sent]
    escalation.sweep(START + 6 * H)
    escalation.sweep(START + 7 * H)
    assert [c for _p, e, c in sent if e == "escalated"] == [{"level": 1}, {"level": 2}]
    ticket.refresh_from_db()
    assert ticket.escalation_level == 2


def test_an_unanswered_ticket_breaches_its_response_target(policy, sent):
    ticket = open_ticket()
    escalation.sweep(START + H)
    escalation.sweep(START + H)
    assert [(e, c) for _p, e, c in sent] == [
        ("sla_breach", {"target": "response"}),
        ("escalated", {"level": 1}),
    ]
    ticket.refresh_from_db()
    # The breach came before any sweep saw the warning point: no late warning.
    assert ticket.response_breached
    assert ticket.sla_warned_at is not None


def test_paused_and_resolved_tickets_are_left_alone(policy, sent):
    open_ticket(
        state=TicketState.WAITING,
        waiting_for=WaitingFor.REPORTER,
        sla_paused_at=START + 0.1 * H,
    )
    open_ticket(state=TicketState.RESOLVED, responded_at=START, resolved_at=START + H)
    escalation.sweep(START + 10 * H)
    assert sent == []


def test_the_sweep_reads_only_the_tickets_due_something(
    policy, sent, django_assert_max_num_queries
):
    for _n in range(30):
        open_ticket(responded_at=START, state=TicketState.IN_PROGRESS)
    open_ticket(created_at=START - 10 * H)
    with django_assert_max_num_queries(40):
        summary = escalation.sweep(START + H)
    assert summary.checked == 1
    assert summary.response_breaches == 1
    assert summary.restore_breaches == 1
