"""Who sees and does what in the service-desk API (the role table)."""

import pytest

from tests.factories.core import UserFactory
from tests.factories.inventory import DepartmentFactory
from tests.factories.servicedesk import SlaPolicyFactory, TeamFactory
from tests.factories.servicedesk_api import opened

pytestmark = pytest.mark.django_db


@pytest.fixture
def others_ticket():
    """A fault reported by a clerk on another ward."""
    return opened(UserFactory(username="clerk", roles=["clinical_reporter"]))


ACTIONS = {
    "list tickets": lambda c, t: c.get("/api/tickets/"),
    "read ticket": lambda c, t: c.get(f"/api/tickets/{t.pk}/"),
    "report fault": lambda c, t: c.post(
        "/api/tickets/", {"title": "Printer jammed", "category": "hardware"}
    ),
    "move ticket": lambda c, t: c.post(
        f"/api/tickets/{t.pk}/move/", {"to": "in_progress"}, format="json"
    ),
    "list teams": lambda c, t: c.get("/api/teams/"),
    "list sla policies": lambda c, t: c.get("/api/sla-policies/"),
}
EVERYONE = {"list tickets", "report fault"}
DESK_READ = EVERYONE | {"read ticket", "list teams", "list sla policies"}

# persona -> what it may do; a ticket it may not see is 404, any other refusal 403.
ALLOWED = {
    "hardware_engineer": set(ACTIONS),
    "network_engineer": set(ACTIONS),
    "system_admin": DESK_READ,
    "nurse": EVERYONE,
    "outsider": EVERYONE,
}
SUCCESS = {"list tickets": 200, "report fault": 201}


@pytest.mark.parametrize("persona", list(ALLOWED))
@pytest.mark.parametrize("action", list(ACTIONS))
def test_each_persona_may_do_what_its_role_allows(
    persona, action, others_ticket, request, api
):
    user = request.getfixturevalue(persona)
    response = ACTIONS[action](api(user), others_ticket)
    if action in ALLOWED[persona]:
        assert response.status_code == SUCCESS.get(action, 200), response.content
    elif action == "read ticket":
        assert response.status_code == 404, response.content
    else:
        assert response.status_code == 403, response.content
        assert response.json()["error"]["code"] == "permission_denied"


@pytest.mark.parametrize("action", list(ACTIONS))
def test_anonymous_callers_are_asked_to_authenticate(action, others_ticket, api):
    response = ACTIONS[action](api(), others_ticket)
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"


def test_a_reporter_lists_only_their_own_tickets(
    nurse, hardware_engineer, others_ticket, api
):
    mine = opened(nurse, title="Scanner offline")
    listed = api(nurse).get("/api/tickets/").json()
    assert [row["reference"] for row in listed["results"]] == [mine.reference]
    assert listed["count"] == 1
    everything = api(hardware_engineer).get("/api/tickets/").json()
    assert {row["id"] for row in everything["results"]} == {mine.pk, others_ticket.pk}


def test_an_outsider_reads_the_fault_they_reported(outsider, api):
    client = api(outsider)
    created = client.post(
        "/api/tickets/", {"title": "No network", "category": "network"}
    ).json()
    response = client.get(f"/api/tickets/{created['id']}/")
    assert response.status_code == 200
    assert response.json()["reporter"]["id"] == outsider.pk


def test_the_list_filters_and_orders(hardware_engineer, nurse, api):
    low = opened(nurse, title="Mouse sticky", impact=3, urgency=3)
    high = opened(nurse, title="Ward down", impact=1, urgency=1)
    client = api(hardware_engineer)
    ordered = client.get("/api/tickets/", {"ordering": "priority"}).json()
    assert [row["id"] for row in ordered["results"]] == [high.pk, low.pk]
    found = client.get("/api/tickets/", {"q": "sticky"}).json()
    assert [row["id"] for row in found["results"]] == [low.pk]
    response = client.get("/api/tickets/", {"state": "melted"})
    assert response.status_code == 400
    assert response.json()["error"]["fields"][0]["field"] == "state"


def test_teams_and_policies_read_as_configured(
    hardware_engineer, network_engineer, api
):
    team = TeamFactory(
        code="network", name="Network", categories=["network"], lead=network_engineer
    )
    team.members.set([network_engineer, hardware_engineer])
    icu = DepartmentFactory(name="ICU")
    SlaPolicyFactory(
        name="P1 ICU",
        priority=1,
        department=icu,
        response_minutes=10,
        restore_minutes=60,
    )
    client = api(hardware_engineer)
    row = client.get("/api/teams/").json()["results"][0]
    assert row["code"] == "network"
    assert row["categories"] == ["network"]
    assert row["lead"] == {"id": network_engineer.pk, "name": str(network_engineer)}
    assert {member["id"] for member in row["members"]} == {
        network_engineer.pk,
        hardware_engineer.pk,
    }
    policy = client.get("/api/sla-policies/", {"priority": 1}).json()["results"][0]
    assert policy["department"] == {"id": icu.pk, "name": "ICU"}
    assert (policy["response_minutes"], policy["restore_minutes"]) == (10, 60)
    assert policy["priority_display"] == "P1 critical"
