"""A report that names its team goes to that team's engineer on call (else
its queue), not to the team routing by category would pick; a module that
opens tickets by itself keeps one open ticket per origin and notes it again."""

import datetime as dt

import pytest

from tests.factories.core import UserFactory
from tests.factories.servicedesk import TeamFactory
from tests.factories.servicedesk_rota import weekly_rota
from wardkeeper.core.models import Delivery
from wardkeeper.core.models.audit import AuditEntry
from wardkeeper.servicedesk.choices import (
    Category,
    ResolutionCode,
    Source,
    TicketState,
)
from wardkeeper.servicedesk.models import Ticket
from wardkeeper.servicedesk.services import tickets

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 3, 4, 2, 0, tzinfo=dt.UTC)


@pytest.fixture
def desk():
    """A hardware team on call everywhere, and the applications team."""
    hana = UserFactory(username="hana", email="hana@example.org")
    weekly_rota(TeamFactory(name="Hardware", categories=[Category.HARDWARE]), [hana])
    return TeamFactory(name="Applications", categories=[Category.SOFTWARE])


def report(**kwargs):
    values = {
        "title": "Nightly backup of the HIS failed",
        "category": Category.HARDWARE,
        "reporter_name": "Backup checks",
        "source": Source.MONITORING,
        "origin": "test:his-backup",
    }
    return tickets.Report(**(values | kwargs))


def told(event="assigned"):
    return set(
        Delivery.objects.filter(event=event).values_list("user__username", flat=True)
    )


def test_a_named_team_gets_it_through_its_engineer_on_call(
    desk, django_capture_on_commit_callbacks
):
    ana = UserFactory(username="ana", first_name="Ana", last_name="Lim")
    weekly_rota(desk, [ana])
    with django_capture_on_commit_callbacks(execute=True):
        ticket = tickets.open_ticket(report(team=desk), now=NOW)
    assert (ticket.team, ticket.assignee) == (desk, ana)
    assert ticket.state == TicketState.ASSIGNED
    assert ticket.assigned_at == NOW
    # One step in its history, saying why; one notice, to Ana alone.
    step = ticket.transitions.get()
    assert step.to_state == TicketState.ASSIGNED
    assert "Team Applications named by the report" in step.note
    assert "Ana Lim is on call" in step.note
    assert told() == {"ana"}
    created = AuditEntry.objects.for_object(ticket).get()
    assert created.action == "create"
    assert (created.changes["team"][1], created.changes["assignee"][1]) == (
        desk.pk,
        ana.pk,
    )


def test_with_nobody_on_call_it_waits_in_the_named_teams_queue(
    desk, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        ticket = tickets.open_ticket(report(team=desk), now=NOW)
    ticket.refresh_from_db()
    assert ticket.team == desk
    assert ticket.assignee is None
    assert ticket.state == TicketState.NEW
    assert "waits in the team's queue" in ticket.transitions.get().note
    # Hana is on call for hardware, but the ticket is not hers.
    assert told() == set()
    assert Ticket.objects.filter(team=desk, assignee__isnull=True).count() == 1


def test_an_inactive_named_team_falls_back_to_routing_by_category(desk):
    desk.is_active = False
    desk.save()
    ticket = tickets.open_ticket(report(team=desk), now=NOW)
    assert ticket.team.name == "Hardware"
    assert ticket.assignee.username == "hana"
    assert "not active" in ticket.transitions.get().note


def test_without_a_team_the_category_decides(desk):
    ticket = tickets.open_ticket(report(), now=NOW)
    assert (ticket.team.name, ticket.assignee.username) == ("Hardware", "hana")
    assert "named by the report" not in ticket.transitions.get().note


def test_the_same_origin_notes_the_open_ticket_until_it_is_resolved(desk):
    first = tickets.open_or_note(report(), "Failed at 02:00", now=NOW)
    later = NOW + dt.timedelta(hours=1)
    again = tickets.open_or_note(
        report(title="Still failing"), "Failed again at 03:00", now=later
    )
    assert again.pk == first.pk
    assert Ticket.objects.count() == 1
    notes = list(first.worklogs.values_list("note", flat=True))
    assert notes == ["Failed again at 03:00"]
    # Another origin is another ticket.
    other = tickets.open_or_note(report(origin="test:lis-backup"), "LIS", now=later)
    assert other.pk != first.pk

    tickets.resolve(
        first,
        code=ResolutionCode.NOT_REPRODUCIBLE,
        actor=UserFactory(),
        now=later,
    )
    reopened = tickets.open_or_note(
        report(), "Failed again the next night", now=NOW + dt.timedelta(days=1)
    )
    assert reopened.pk not in (first.pk, other.pk)
    assert reopened.is_open
    assert not reopened.worklogs.exists()
    assert Ticket.objects.filter(origin="test:his-backup").count() == 2


def test_open_or_note_needs_an_origin():
    with pytest.raises(ValueError, match="origin"):
        tickets.open_or_note(report(origin=""), "note", now=NOW)
    assert not Ticket.objects.exists()
