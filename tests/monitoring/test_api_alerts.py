"""The alerts and checks API: reading, acknowledging and silencing."""

import datetime as dt

from django.utils import timezone

from tests.factories.monitoring import CheckFactory
from tests.factories.monitoring_views import WATCH, person
from wardkeeper.monitoring.choices import AlertState, CheckStatus, Severity
from wardkeeper.monitoring.models import Alert

ALERTS = "/api/monitoring/alerts/"


def alert(**fields):
    return Alert.objects.create(
        source=CheckFactory(name="PACS echo"), severity=Severity.CRITICAL, **fields
    )


def test_acknowledge_through_the_api(db, api):
    row = alert()
    nick = person("nick", *WATCH, "change_alert")
    response = api(nick).post(f"{ALERTS}{row.pk}/acknowledge/")
    assert response.status_code == 200
    assert response.json()["state"] == "acknowledged"
    assert response.json()["acknowledged_by"] == str(nick)


def test_silence_until_and_unsilence(db, api):
    row = alert()
    client = api(person("nick", *WATCH, "change_alert"))
    until = (timezone.now() + dt.timedelta(hours=1)).isoformat()
    response = client.post(
        f"{ALERTS}{row.pk}/silence/", {"until": until}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["state"] == "silenced"
    past = (timezone.now() - dt.timedelta(hours=1)).isoformat()
    refused = client.post(f"{ALERTS}{row.pk}/silence/", {"until": past}, format="json")
    assert refused.status_code == 400
    assert refused.json()["error"]["fields"][0]["field"] == "until"
    assert client.post(f"{ALERTS}{row.pk}/unsilence/").json()["state"] == "open"


def test_a_resolved_alert_is_a_conflict(db, api):
    row = alert(state=AlertState.RESOLVED)
    client = api(person("nick", *WATCH, "change_alert"))
    assert client.post(f"{ALERTS}{row.pk}/acknowledge/").status_code == 409


def test_readers_list_alerts_but_may_not_act(db, api):
    row = alert(message="PACS down")
    client = api(person("nora", *WATCH))
    listed = client.get(ALERTS, {"state": "open"}).json()
    assert [a["message"] for a in listed["results"]] == ["PACS down"]
    assert client.post(f"{ALERTS}{row.pk}/acknowledge/").status_code == 403
    assert api(person("otto")).get(ALERTS).status_code == 403


def test_checks_read_with_their_state_and_never_their_secrets(db, api):
    CheckFactory(name="DB", status=CheckStatus.DOWN, secrets='{"password": "pw"}')
    CheckFactory(name="Web", status=CheckStatus.UP)
    body = (
        api(person("nick", *WATCH))
        .get("/api/monitoring/checks/", {"status": "down"})
        .json()
    )
    assert [c["name"] for c in body["results"]] == ["DB"]
    assert "secrets" not in body["results"][0]
    assert "pw" not in str(body)


def test_a_checks_notes_read_through_the_api_as_written(db, api):
    notes = "Call Imaging IT on 4455.\n<b>Runbook</b>: wiki/pacs"
    check = CheckFactory(name="PACS", notes=notes)
    client = api(person("nick", *WATCH))
    assert client.get(f"/api/monitoring/checks/{check.pk}/").json()["notes"] == notes
    listed = client.get("/api/monitoring/checks/").json()["results"]
    assert listed[0]["notes"] == notes


def test_the_lists_cost_a_fixed_number_of_queries(
    db, api, django_assert_max_num_queries
):
    for _ in range(15):
        alert()
    client = api(person("nick", *WATCH))
    with django_assert_max_num_queries(6):
        assert client.get(ALERTS).status_code == 200
    with django_assert_max_num_queries(6):
        assert client.get("/api/monitoring/checks/").status_code == 200
