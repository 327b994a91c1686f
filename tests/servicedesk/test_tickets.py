"""The ticket service: priority by the rules, moves the desk allows, confirm."""

import pytest

from tests.factories.inventory import AssetFactory, RoomFactory
from wardkeeper.core.errors import DomainError
from wardkeeper.inventory.choices import Criticality
from wardkeeper.servicedesk.choices import (
    Category,
    Impact,
    MaintenanceKind,
    Priority,
    ResolutionCode,
    TicketState,
    Urgency,
    WaitingFor,
)
from wardkeeper.servicedesk.services import priority, tickets

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("impact", "urgency", "expected"),
    [
        (Impact.WIDE, Urgency.HIGH, Priority.P1),
        (Impact.WIDE, Urgency.LOW, Priority.P3),
        (Impact.SOME, Urgency.MEDIUM, Priority.P3),
        (Impact.ONE, Urgency.HIGH, Priority.P3),
        (Impact.ONE, Urgency.LOW, Priority.P4),
    ],
)
def test_impact_and_urgency_give_the_priority(impact, urgency, expected):
    verdict = priority.decide(impact, urgency, MaintenanceKind.CORRECTIVE, None)
    assert verdict.priority == expected


def test_a_fault_in_an_operating_theatre_is_p1(nurse):
    theatre = RoomFactory(name="OR-3", criticality=Criticality.CRITICAL)
    workstation = AssetFactory(location=theatre)
    ticket = tickets.open_ticket(
        tickets.Report(
            title="Anaesthesia workstation frozen",
            category=Category.HARDWARE,
            impact=Impact.ONE,
            urgency=Urgency.LOW,
            asset=workstation,
            reporter=nurse,
        )
    )
    assert ticket.priority == Priority.P1
    assert ticket.location == theatre
    assert ticket.department == workstation.department
    assert "critical" in ticket.priority_reason


def test_a_request_in_a_theatre_keeps_the_matrix(nurse):
    theatre = RoomFactory(criticality=Criticality.CRITICAL)
    ticket = tickets.open_ticket(
        tickets.Report(
            title="Add a printer shortcut",
            category=Category.SOFTWARE,
            kind=MaintenanceKind.PERFECTIVE,
            impact=Impact.ONE,
            urgency=Urgency.LOW,
            location=theatre,
            reporter=nurse,
        )
    )
    assert ticket.priority == Priority.P4


def test_lowering_below_the_rules_needs_a_reason(nurse, hardware_engineer):
    theatre = RoomFactory(criticality=Criticality.CRITICAL)
    ticket = tickets.open_ticket(
        tickets.Report(
            title="Mouse sticky",
            category=Category.HARDWARE,
            location=theatre,
            reporter=nurse,
        )
    )
    with pytest.raises(DomainError) as refused:
        tickets.set_priority(ticket, Priority.P3, reason="", actor=hardware_engineer)
    assert refused.value.field == "priority_reason"
    tickets.set_priority(
        ticket, Priority.P3, reason="spare mouse in the drawer", actor=hardware_engineer
    )
    ticket.refresh_from_db()
    assert ticket.priority == Priority.P3
    assert ticket.computed_priority == Priority.P1


def test_moves_follow_the_desk_rules(nurse, hardware_engineer):
    ticket = tickets.open_ticket(
        tickets.Report(title="Printer jams", category=Category.HARDWARE, reporter=nurse)
    )
    with pytest.raises(tickets.MoveRefused):
        tickets.move(ticket, TicketState.CLOSED, actor=hardware_engineer)
    tickets.assign(ticket, assignee=hardware_engineer, actor=hardware_engineer)
    ticket = tickets.move(ticket, TicketState.IN_PROGRESS, actor=hardware_engineer)
    assert ticket.responded_at is not None
    with pytest.raises(tickets.MoveRefused) as refused:
        tickets.move(ticket, TicketState.WAITING, actor=hardware_engineer)
    assert refused.value.field == "waiting_for"
    ticket = tickets.move(
        ticket,
        TicketState.WAITING,
        waiting_for=WaitingFor.PARTS,
        actor=hardware_engineer,
    )
    ticket = tickets.move(ticket, TicketState.IN_PROGRESS, actor=hardware_engineer)
    with pytest.raises(tickets.MoveRefused):
        tickets.move(ticket, TicketState.RESOLVED, actor=hardware_engineer)
    ticket.resolution_code = ResolutionCode.REPAIRED
    ticket.save()
    ticket = tickets.move(ticket, TicketState.RESOLVED, actor=hardware_engineer)
    ticket = tickets.confirm(ticket, user=nurse, rating=5)
    assert ticket.state == TicketState.CLOSED
    assert ticket.first_time_fix is True
    states = [t.to_state for t in ticket.transitions.all()]
    assert states == [
        "new",
        "assigned",
        "in_progress",
        "waiting",
        "in_progress",
        "resolved",
        "closed",
    ]


def test_reopen_needs_a_reason_and_spoils_the_first_time_fix(nurse, hardware_engineer):
    ticket = tickets.open_ticket(
        tickets.Report(title="No sound", category=Category.HARDWARE, reporter=nurse)
    )
    ticket.resolution_code = ResolutionCode.CONFIGURED
    ticket.save()
    ticket = tickets.move(ticket, TicketState.RESOLVED, actor=hardware_engineer)
    with pytest.raises(tickets.MoveRefused):
        tickets.move(ticket, TicketState.REOPENED, actor=nurse)
    ticket = tickets.move(
        ticket, TicketState.REOPENED, actor=nurse, note="still silent"
    )
    assert ticket.reopen_count == 1
    ticket = tickets.move(ticket, TicketState.RESOLVED, actor=hardware_engineer)
    ticket = tickets.confirm(ticket, user=nurse, rating=3)
    assert ticket.first_time_fix is False


def test_a_second_report_can_join_the_open_ticket(nurse, hardware_engineer):
    pc = AssetFactory()
    first = tickets.open_ticket(
        tickets.Report(
            title="Black screen", category=Category.HARDWARE, asset=pc, reporter=nurse
        )
    )
    assert tickets.open_duplicates(pc) == [first]
    tickets.join(first, hardware_engineer, note="Same here, bed 4")
    assert hardware_engineer in first.watchers.all()
    assert first.worklogs.get().note == "Same here, bed 4"
