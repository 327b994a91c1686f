"""My reports: only mine, and only I confirm or reopen what I reported."""

import pytest
from django.urls import reverse
from django.utils.html import escape

from tests.factories.core import UserFactory
from tests.factories.servicedesk_tickets import reported
from wardkeeper.servicedesk.choices import ResolutionCode, TicketState
from wardkeeper.servicedesk.services import tickets

pytestmark = pytest.mark.django_db
MINE = reverse("servicedesk:my-reports")


def resolved(reporter, engineer):
    ticket = reported(reporter)
    ticket.resolution_code = ResolutionCode.REPAIRED
    ticket.resolution = "Replaced the power supply"
    ticket.save()
    return tickets.move(ticket, TicketState.RESOLVED, actor=engineer)


def test_my_reports_shows_state_engineer_and_notes_meant_for_me(
    client, nurse, hardware_engineer
):
    ticket = reported(nurse, title="Label printer offline")
    ticket = tickets.assign(ticket, assignee=hardware_engineer, actor=hardware_engineer)
    tickets.log_work(ticket, author=hardware_engineer, note="On my way", public=True)
    tickets.log_work(
        ticket, author=hardware_engineer, note="Internal: PSU", public=False
    )
    someone_elses = reported(UserFactory(), title="Not mine")
    client.force_login(nurse)

    page = client.get(MINE).content.decode()

    assert ticket.reference in page
    assert "Label printer offline" in page
    assert f"{escape(str(hardware_engineer))} has it" in page
    assert "On my way" in page
    assert "Internal: PSU" not in page
    assert someone_elses.reference not in page


def test_a_reporter_cannot_open_someone_elses_ticket(client, nurse):
    other = reported(UserFactory())
    client.force_login(nurse)

    assert client.get(other.get_absolute_url()).status_code == 404
    assert (
        client.get(reverse("servicedesk:report-done", args=[other.pk])).status_code
        == 404
    )


def test_the_reporter_sees_their_ticket_without_internal_notes(
    client, nurse, hardware_engineer
):
    ticket = reported(nurse)
    tickets.log_work(ticket, author=hardware_engineer, note="Internal only")
    client.force_login(nurse)

    page = client.get(ticket.get_absolute_url()).content.decode()

    assert ticket.reference in page
    assert "Internal only" not in page
    assert "Take it" not in page


def test_the_reporter_confirms_the_fix_with_a_rating(client, nurse, hardware_engineer):
    ticket = resolved(nurse, hardware_engineer)
    client.force_login(nurse)
    assert "Is it fixed?" in client.get(MINE).content.decode()

    response = client.post(
        reverse("servicedesk:ticket-confirm", args=[ticket.pk]),
        {"rating": "5", "feedback": "Quick, thank you"},
    )

    assert response.url == MINE
    ticket.refresh_from_db()
    assert ticket.state == TicketState.CLOSED
    assert (ticket.rating, ticket.feedback) == (5, "Quick, thank you")


def test_a_confirmation_needs_a_rating(client, nurse, hardware_engineer):
    ticket = resolved(nurse, hardware_engineer)
    client.force_login(nurse)

    response = client.post(reverse("servicedesk:ticket-confirm", args=[ticket.pk]), {})

    assert response.status_code == 400
    ticket.refresh_from_db()
    assert ticket.state == TicketState.RESOLVED


def test_the_reporter_reopens_with_a_reason(client, nurse, hardware_engineer):
    ticket = resolved(nurse, hardware_engineer)
    client.force_login(nurse)
    url = reverse("servicedesk:ticket-reopen", args=[ticket.pk])

    assert client.post(url, {"note": ""}).status_code == 400
    client.post(url, {"note": "Black again after an hour"})

    ticket.refresh_from_db()
    assert ticket.state == TicketState.REOPENED
    assert ticket.transitions.last().note == "Black again after an hour"


def test_only_the_reporter_confirms_or_reopens(client, nurse, hardware_engineer):
    ticket = resolved(nurse, hardware_engineer)
    joined = UserFactory()
    ticket.watchers.add(joined)
    confirm = reverse("servicedesk:ticket-confirm", args=[ticket.pk])
    reopen = reverse("servicedesk:ticket-reopen", args=[ticket.pk])

    client.force_login(joined)
    assert client.post(confirm, {"rating": "1"}).status_code == 403
    assert client.post(reopen, {"note": "x"}).status_code == 403
    client.force_login(UserFactory())
    assert client.post(confirm, {"rating": "1"}).status_code == 404
    ticket.refresh_from_db()
    assert ticket.state == TicketState.RESOLVED


def test_my_reports_is_paginated_within_a_query_budget(
    client, nurse, django_assert_max_num_queries
):
    for _ in range(25):
        reported(nurse)
    client.force_login(nurse)

    with django_assert_max_num_queries(12):
        page = client.get(MINE)

    assert page.content.decode().count('class="card mb-3" id="ticket-') == 20
    assert "1 / 2" in page.content.decode()
