"""Working a ticket through the API: moves, assignment, priority, work, confirm."""

import pytest
from django.contrib.auth.models import Permission

from tests.factories.core import UserFactory
from tests.factories.inventory import AssetFactory, RoomFactory
from tests.factories.servicedesk import TeamFactory
from tests.factories.servicedesk_api import opened
from wardkeeper.inventory.choices import Criticality
from wardkeeper.servicedesk.choices import Impact, Priority, TicketState, Urgency
from wardkeeper.servicedesk.models import Ticket
from wardkeeper.servicedesk.services import tickets

pytestmark = pytest.mark.django_db


@pytest.fixture
def ticket(nurse):
    return opened(nurse, asset=AssetFactory(location=RoomFactory()))


def post(client, ticket, name, body):
    return client.post(f"/api/tickets/{ticket.pk}/{name}/", body, format="json")


def field_of(response):
    return [item["field"] for item in response.json()["error"]["fields"]]


def resolved(ticket, by):
    ticket.resolution_code = "repaired"
    ticket.save()
    return tickets.move(ticket, TicketState.RESOLVED, actor=by)


def test_an_engineer_starts_work_and_the_move_is_recorded(
    ticket, hardware_engineer, api
):
    response = post(
        api(hardware_engineer), ticket, "move", {"to": "in_progress", "note": "On it"}
    )
    assert response.status_code == 200, response.json()
    assert response.json()["state"] == "in_progress"
    assert response.json()["responded_at"] is not None
    transition = ticket.transitions.last()
    assert (transition.to_state, transition.actor, transition.note) == (
        "in_progress",
        hardware_engineer,
        "On it",
    )


def test_a_move_the_desk_does_not_allow_is_a_conflict(ticket, hardware_engineer, api):
    response = post(api(hardware_engineer), ticket, "move", {"to": "closed"})
    assert response.status_code == 409
    error = response.json()["error"]
    assert error["code"] == "conflict"
    assert error["fields"][0]["field"] == "state"
    assert error["fields"][0]["code"] == "move_refused"
    ticket.refresh_from_db()
    assert ticket.state == TicketState.NEW


def test_waiting_needs_what_for(ticket, hardware_engineer, api):
    client = api(hardware_engineer)
    post(client, ticket, "move", {"to": "in_progress"})
    response = post(client, ticket, "move", {"to": "waiting"})
    assert response.status_code == 400
    assert field_of(response) == ["waiting_for"]
    response = post(client, ticket, "move", {"to": "waiting", "waiting_for": "parts"})
    assert response.json()["waiting_for_display"] == "parts"


def test_resolving_takes_the_resolution_in_the_same_call(
    ticket, hardware_engineer, api
):
    client = api(hardware_engineer)
    response = post(client, ticket, "move", {"to": "resolved"})
    assert response.status_code == 400
    assert field_of(response) == ["resolution_code"]
    response = post(
        client,
        ticket,
        "move",
        {"to": "resolved", "resolution_code": "swapped", "cause": "PSU failed"},
    )
    assert response.status_code == 200, response.json()
    assert (response.json()["state"], response.json()["cause"]) == (
        "resolved",
        "PSU failed",
    )


def test_a_refused_move_keeps_the_resolution_it_carried_out(
    ticket, hardware_engineer, api
):
    Ticket.objects.filter(pk=ticket.pk).update(state=TicketState.CLOSED)
    response = post(
        api(hardware_engineer),
        ticket,
        "move",
        {"to": "resolved", "resolution_code": "advice"},
    )
    assert response.status_code == 409
    ticket.refresh_from_db()
    assert ticket.resolution_code == ""


def test_assigning_gives_the_ticket_to_an_engineer(
    ticket, hardware_engineer, network_engineer, api
):
    team = TeamFactory(code="network")
    response = post(
        api(hardware_engineer),
        ticket,
        "assign",
        {"assignee": network_engineer.pk, "team": team.pk},
    )
    assert response.status_code == 200, response.json()
    assert response.json()["assignee"] == {
        "id": network_engineer.pk,
        "name": str(network_engineer),
    }
    assert response.json()["team"]["id"] == team.pk
    assert response.json()["state"] == "assigned"


def test_only_engineers_can_be_assigned(ticket, hardware_engineer, nurse, api):
    response = post(api(hardware_engineer), ticket, "assign", {"assignee": nurse.pk})
    assert response.status_code == 400
    assert field_of(response) == ["assignee"]


def test_lowering_a_theatre_fault_needs_a_reason(nurse, hardware_engineer, api):
    ticket = opened(nurse, location=RoomFactory(criticality=Criticality.CRITICAL))
    client = api(hardware_engineer)
    response = post(client, ticket, "priority", {"priority": 3})
    assert response.status_code == 400
    assert field_of(response) == ["reason"]
    response = post(
        client, ticket, "priority", {"priority": 3, "reason": "Spare PC in the room"}
    )
    assert response.status_code == 200, response.json()
    assert (response.json()["priority"], response.json()["priority_reason"]) == (
        3,
        "Spare PC in the room",
    )


def test_lowering_needs_the_lower_priority_permission(nurse, api):
    ticket = opened(nurse, impact=Impact.ONE, urgency=Urgency.HIGH)
    assert ticket.priority == Priority.P3
    worker = UserFactory()
    worker.user_permissions.add(*_perms("view_ticket", "work_ticket"))
    response = post(api(worker), ticket, "priority", {"priority": 4, "reason": "x"})
    assert response.status_code == 403
    response = post(api(worker), ticket, "priority", {"priority": 1})
    assert response.status_code == 200


def _perms(*codenames):
    return Permission.objects.filter(
        content_type__app_label="servicedesk", codename__in=codenames
    )


def test_work_and_visits_are_logged_by_the_engineer(ticket, hardware_engineer, api):
    client = api(hardware_engineer)
    response = post(
        client, ticket, "worklog", {"note": "Reseated cable", "minutes": 15}
    )
    assert response.status_code == 201, response.json()
    assert response.json()["author"]["id"] == hardware_engineer.pk
    assert response.json()["public"] is False
    response = post(
        client,
        ticket,
        "visits",
        {"arrived_at": "2026-03-02T09:00:00Z", "left_at": "2026-03-02T08:00:00Z"},
    )
    assert response.status_code == 400
    assert field_of(response) == ["left_at"]
    response = post(client, ticket, "visits", {"arrived_at": "2026-03-02T09:00:00Z"})
    assert response.status_code == 201, response.json()
    ticket.refresh_from_db()
    assert ticket.visit_count == 1
    assert ticket.worklogs.get().minutes == 15


def test_the_reporter_confirms_the_fix(ticket, nurse, hardware_engineer, api):
    resolved(ticket, hardware_engineer)
    response = post(api(nurse), ticket, "confirm", {"rating": 7})
    assert field_of(response) == ["rating"]
    response = post(api(nurse), ticket, "confirm", {"rating": 5, "feedback": "Quick"})
    assert response.status_code == 200, response.json()
    assert (response.json()["state"], response.json()["rating"]) == ("closed", 5)


def test_someone_else_cannot_confirm(ticket, hardware_engineer, outsider, api):
    resolved(ticket, hardware_engineer)
    response = post(api(hardware_engineer), ticket, "confirm", {"rating": 5})
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "permission_denied"
    # Someone who cannot even see the ticket is told it does not exist.
    assert post(api(outsider), ticket, "confirm", {"rating": 5}).status_code == 404
    ticket.refresh_from_db()
    assert ticket.state == TicketState.RESOLVED


def test_an_unresolved_ticket_cannot_be_confirmed(ticket, nurse, api):
    response = post(api(nurse), ticket, "confirm", {"rating": 4})
    assert response.status_code == 409
    assert response.json()["error"]["fields"][0]["code"] == "not_resolved"


def test_the_reporter_reopens_with_a_reason(ticket, nurse, hardware_engineer, api):
    resolved(ticket, hardware_engineer)
    response = post(api(nurse), ticket, "reopen", {"note": ""})
    assert field_of(response) == ["note"]
    response = post(api(nurse), ticket, "reopen", {"note": "Black again"})
    assert response.status_code == 200, response.json()
    assert (response.json()["state"], response.json()["reopen_count"]) == (
        "reopened",
        1,
    )


def test_reporters_cannot_work_tickets(ticket, nurse, api):
    for name, body in [
        ("move", {"to": "in_progress"}),
        ("worklog", {"note": "x"}),
        ("priority", {"priority": 1}),
    ]:
        response = post(api(nurse), ticket, name, body)
        assert response.status_code == 403, name
