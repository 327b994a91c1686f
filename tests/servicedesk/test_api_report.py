"""Reporting a fault through the API: a kiosk with a token, bad input, duplicates."""

import pytest

from tests.factories.inventory import AssetFactory, DepartmentFactory, RoomFactory
from tests.factories.servicedesk_api import kiosk_user, opened, token_client
from wardkeeper.core.models import AuditEntry
from wardkeeper.inventory.choices import Criticality
from wardkeeper.servicedesk.choices import TicketState
from wardkeeper.servicedesk.models import Ticket

pytestmark = pytest.mark.django_db


@pytest.fixture
def theatre_pc():
    theatre = RoomFactory(name="OR-3", criticality=Criticality.CRITICAL)
    return AssetFactory(
        tag="WK-000812", location=theatre, department=DepartmentFactory(code="SURG")
    )


def report(client, **body):
    fields = {"title": "Screen black", "category": "hardware", **body}
    return client.post("/api/tickets/", fields, format="json")


def test_a_kiosk_reports_a_fault_by_asset_tag_with_a_token(theatre_pc):
    kiosk = kiosk_user()
    response = report(
        token_client(kiosk),
        asset="WK-000812",
        impact=3,
        urgency=3,
        description="Black after the power cut",
        reporter_name="Sister Wang",
        reporter_phone="6021",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    ticket = Ticket.objects.get()
    assert body["reference"] == f"T{ticket.pk:06d}"
    # A fault in an operating theatre is P1 whatever the reporter chose.
    assert (body["priority"], body["priority_display"]) == (1, "P1 critical")
    assert body["state"] == ticket.state
    assert body["team"] == (
        ticket.team and {"id": ticket.team.pk, "name": str(ticket.team)}
    )
    assert body["assignee"] == (
        ticket.assignee and {"id": ticket.assignee.pk, "name": str(ticket.assignee)}
    )
    assert body["source"] == "api"
    assert body["asset"] == {"id": theatre_pc.pk, "name": str(theatre_pc)}
    assert body["location"]["name"] == str(theatre_pc.location)
    assert body["department"]["name"] == str(theatre_pc.department)
    assert (body["reporter_name"], body["reporter_phone"]) == ("Sister Wang", "6021")
    assert ticket.reporter == kiosk
    entry = AuditEntry.objects.for_object(ticket).first()
    assert (entry.source, entry.actor) == ("api", kiosk)


def test_without_a_reporter_name_the_kiosk_account_is_the_reporter(theatre_pc):
    kiosk = kiosk_user()
    response = report(token_client(kiosk), asset="WK-000812")
    assert response.status_code == 201, response.json()
    assert response.json()["reporter"] == {"id": kiosk.pk, "name": "kiosk-er-1"}
    assert Ticket.objects.get().reporter_label == "kiosk-er-1"


def test_a_place_and_department_are_named_by_their_codes(nurse, api):
    room = RoomFactory(code="ED-TRIAGE", criticality=Criticality.CRITICAL)
    DepartmentFactory(code="ED")
    response = report(api(nurse), location="ED-TRIAGE", department="ED")
    assert response.status_code == 201, response.json()
    assert response.json()["location"]["id"] == room.pk
    assert response.json()["department"]["name"]
    assert response.json()["priority"] == 1


def test_an_unknown_asset_tag_is_refused_naming_the_field(nurse, api):
    response = report(api(nurse), asset="WK-NOPE")
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == [
        {
            "field": "asset",
            "code": "does_not_exist",
            "message": "No asset has the tag WK-NOPE.",
        }
    ]
    assert not Ticket.objects.exists()


def test_every_bad_field_is_named(nurse, api):
    response = report(
        api(nurse), title="", category="plumbing", urgency=9, location="NOWHERE"
    )
    assert response.status_code == 400
    fields = {item["field"] for item in response.json()["error"]["fields"]}
    assert fields == {"title", "category", "urgency", "location"}


def test_a_second_report_for_the_asset_is_offered_its_open_ticket(
    theatre_pc, nurse, network_engineer, api
):
    first = opened(network_engineer, asset=theatre_pc)
    response = report(api(nurse), asset="WK-000812")
    assert response.status_code == 409
    error = response.json()["error"]
    assert error["code"] == "duplicate"
    assert error["fields"][0]["field"] == "asset"
    assert [row["reference"] for row in error["open_tickets"]] == [first.reference]
    assert Ticket.objects.count() == 1


def test_joining_the_open_ticket_adds_the_reporter_to_it(theatre_pc, nurse, api):
    first = opened(None, asset=theatre_pc, reporter_name="Dr Li")
    kiosk = kiosk_user()
    response = report(
        token_client(kiosk),
        asset="WK-000812",
        join=first.pk,
        reporter_name="Sister Wang",
        reporter_phone="6021",
    )
    assert response.status_code == 200, response.json()
    assert response.json()["id"] == first.pk
    # The joiner follows the ticket but does not get the first reporter's name.
    assert response.json()["reporter_name"] == ""
    assert Ticket.objects.count() == 1
    assert list(first.watchers.all()) == [kiosk]
    assert "Sister Wang" in first.worklogs.get().note
    listed = token_client(kiosk).get("/api/tickets/").json()["results"]
    assert [row["id"] for row in listed] == [first.pk]


def test_separate_opens_a_new_ticket_anyway(theatre_pc, nurse, api):
    opened(None, asset=theatre_pc)
    response = report(api(nurse), asset="WK-000812", separate=True)
    assert response.status_code == 201, response.json()
    assert Ticket.objects.count() == 2


def test_a_closed_ticket_cannot_be_joined(theatre_pc, nurse, api):
    done = opened(None, asset=theatre_pc)
    Ticket.objects.filter(pk=done.pk).update(state=TicketState.CLOSED)
    response = report(api(nurse), asset="WK-000812", join=done.pk)
    assert response.status_code == 400
    assert response.json()["error"]["fields"][0]["field"] == "join"


def test_join_and_separate_together_are_refused(theatre_pc, nurse, api):
    first = opened(None, asset=theatre_pc)
    response = report(api(nurse), asset="WK-000812", join=first.pk, separate=True)
    assert response.status_code == 400
    assert response.json()["error"]["fields"][0]["field"] == "separate"
