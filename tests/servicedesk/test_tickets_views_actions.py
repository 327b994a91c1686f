"""An engineer works a ticket from its page: each action through the service."""

import datetime as dt

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from tests.factories.core import UserFactory
from tests.factories.inventory import RoomFactory
from tests.factories.servicedesk import TeamFactory
from tests.factories.servicedesk_tickets import reported
from wardkeeper.core.models import Attachment
from wardkeeper.inventory.choices import Criticality
from wardkeeper.servicedesk.choices import Priority, TicketState, WaitingFor
from wardkeeper.servicedesk.models import Ticket

pytestmark = pytest.mark.django_db


def act(client, ticket, action, data=None, **kw):
    url = reverse("servicedesk:ticket-action", args=[ticket.pk, action])
    prefixed = {f"{action}-{key}": value for key, value in (data or {}).items()}
    return client.post(url, prefixed, **kw)


def fresh(ticket):
    return Ticket.objects.get(pk=ticket.pk)


def test_the_page_shows_the_fault_and_calls_the_reporter(
    login, hardware_engineer, nurse
):
    ticket = reported(nurse, reporter_phone="6021")
    client = login(hardware_engineer)

    page = client.get(ticket.get_absolute_url()).content.decode()

    assert ticket.reference in page
    assert 'href="tel:6021"' in page
    assert "Take it" in page
    assert "ticket_sla" not in page  # the includes render, not their names


def test_take_then_start_work_then_wait_for_parts(login, hardware_engineer, nurse):
    team = TeamFactory()
    team.members.add(hardware_engineer)
    ticket = reported(nurse)
    client = login(hardware_engineer)

    act(client, ticket, "take")
    assert (fresh(ticket).assignee, fresh(ticket).team) == (hardware_engineer, team)
    assert fresh(ticket).state == TicketState.ASSIGNED
    act(client, ticket, "move", {"to": TicketState.IN_PROGRESS})
    assert fresh(ticket).state == TicketState.IN_PROGRESS
    act(client, ticket, "wait", {"waiting_for": WaitingFor.PARTS, "note": "PSU"})
    assert (fresh(ticket).state, fresh(ticket).waiting_for) == ("waiting", "parts")


def test_assign_to_another_engineer(login, hardware_engineer, network_engineer, nurse):
    ticket = reported(nurse)
    client = login(hardware_engineer)

    act(client, ticket, "assign", {"assignee": network_engineer.pk})

    assert fresh(ticket).assignee == network_engineer


def test_a_refused_move_says_why(login, hardware_engineer, nurse):
    ticket = reported(nurse)
    client = login(hardware_engineer)

    response = act(client, ticket, "move", {"to": TicketState.CLOSED})

    assert response.status_code == 400
    assert "cannot be moved to closed" in response.content.decode()
    assert fresh(ticket).state == TicketState.NEW


def test_resolving_needs_the_code_cause_and_what_was_done(
    login, hardware_engineer, nurse
):
    ticket = reported(nurse)
    client = login(hardware_engineer)

    refused = act(client, ticket, "resolve", {"resolution_code": "repaired"})
    assert refused.status_code == 400
    assert fresh(ticket).state == TicketState.NEW
    act(
        client,
        ticket,
        "resolve",
        {
            "resolution_code": "repaired",
            "cause": "Loose cable",
            "resolution": "Reseated",
        },
    )
    done = fresh(ticket)
    assert (done.state, done.cause, done.resolution) == (
        "resolved",
        "Loose cable",
        "Reseated",
    )


def test_lowering_priority_needs_a_reason(login, hardware_engineer, nurse):
    theatre = RoomFactory(criticality=Criticality.CRITICAL)
    ticket = reported(nurse, asset=False, location=theatre)
    client = login(hardware_engineer)

    refused = act(client, ticket, "priority", {"priority": "3"})
    assert refused.status_code == 400
    assert "Say why the priority is lower" in refused.content.decode()
    assert fresh(ticket).priority == Priority.P1
    act(client, ticket, "priority", {"priority": "3", "reason": "Spare PC in use"})
    assert fresh(ticket).priority == Priority.P3


def test_without_lower_priority_one_may_only_raise(login, nurse):
    theatre = RoomFactory(criticality=Criticality.HIGH)
    ticket = reported(nurse, asset=False, location=theatre)
    worker = UserFactory()
    worker.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_ticket", "work_ticket"])
    )
    client = login(worker)

    assert (
        act(client, ticket, "priority", {"priority": "4", "reason": "x"}).status_code
        == 400
    )
    act(client, ticket, "priority", {"priority": "1"})
    assert fresh(ticket).priority == Priority.P1


def test_work_log_entry_shown_to_the_reporter(login, hardware_engineer, nurse, client):
    ticket = reported(nurse)
    engineer = login(hardware_engineer)

    act(
        engineer,
        ticket,
        "worklog",
        {"note": "Ordered a PSU", "minutes": "20", "public": "on"},
    )

    (entry,) = ticket.worklogs.all()
    assert (entry.minutes, entry.public, entry.author) == (20, True, hardware_engineer)
    assert "Ordered a PSU" in engineer.get(ticket.get_absolute_url()).content.decode()


def test_an_on_site_visit_is_recorded(login, hardware_engineer, nurse):
    ticket = reported(nurse)
    client = login(hardware_engineer)
    arrived = timezone.localtime() - dt.timedelta(hours=1)

    act(
        client,
        ticket,
        "visit",
        {"arrived_at": arrived.strftime("%Y-%m-%dT%H:%M"), "left_at": ""},
    )
    refused = act(
        client,
        ticket,
        "visit",
        {
            "arrived_at": arrived.strftime("%Y-%m-%dT%H:%M"),
            "left_at": (arrived - dt.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        },
    )

    assert fresh(ticket).visit_count == 1
    assert refused.status_code == 400
    assert "cannot leave before arriving" in refused.content.decode()


def test_a_photo_is_attached_and_served_to_those_who_may_see_it(
    login, hardware_engineer, nurse, client
):
    ticket = reported(nurse)
    engineer = login(hardware_engineer)
    photo = SimpleUploadedFile("broken.png", b"\x89PNG fake", "image/png")

    act(engineer, ticket, "attach", {"file": photo, "description": "Cracked"})

    (kept,) = Attachment.objects.filter(object_id=str(ticket.pk))
    url = reverse("servicedesk:ticket-attachment", args=[ticket.pk, kept.pk])
    assert engineer.get(url).status_code == 200
    client.force_login(UserFactory())
    assert client.get(url).status_code == 404


def test_a_nurse_may_not_act_on_a_ticket(client, nurse):
    ticket = reported(nurse)
    client.force_login(nurse)

    assert act(client, ticket, "take").status_code == 403
    assert fresh(ticket).assignee is None
