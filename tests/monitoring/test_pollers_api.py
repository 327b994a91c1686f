"""The poller API: its own token (a person's is no good here), a poller
sees and reports only its own checks, every call is a heartbeat; a poller
gone quiet is one offline alert and its checks unreachable."""

from __future__ import annotations

import datetime as dt

import pytest
from rest_framework.test import APIClient

from tests.factories.monitoring import CheckFactory
from wardkeeper.monitoring.choices import AlertState, CheckStatus
from wardkeeper.monitoring.models import Alert, Check, Poller
from wardkeeper.monitoring.models import Result as ResultRow
from wardkeeper.monitoring.services import pollers

pytestmark = pytest.mark.django_db

CHECKS = "/api/monitoring/poller/checks/"
RESULTS = "/api/monitoring/poller/results/"


def make_poller(name: str) -> tuple[Poller, str]:
    poller = Poller(name=name)
    raw = poller.new_token()
    poller.save()
    return poller, raw


def client_for(token: str, scheme: str = "Poller") -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"{scheme} {token}")
    return client


def result(check_id: int, status: str = "up", at: float | None = None) -> dict:
    now = dt.datetime.now(dt.UTC).timestamp() if at is None else at
    return {"check_id": check_id, "at": now, "outcome": {"status": status}}


def test_bad_replaced_and_disabled_tokens_are_refused(network_engineer):
    poller, raw = make_poller("guest-1")
    assert client_for("wkp_nonsense").get(CHECKS).status_code == 401
    assert APIClient().get(CHECKS).status_code == 401
    new = poller.new_token()
    poller.save()
    assert client_for(raw).get(CHECKS).status_code == 401  # replaced
    assert client_for(new).get(CHECKS).status_code == 200
    poller.enabled = False
    poller.save()
    assert client_for(new).get(CHECKS).status_code == 403
    assert (
        client_for(new).post(RESULTS, {"results": []}, format="json").status_code == 403
    )
    # A person's session is no poller.
    person = APIClient()
    person.force_authenticate(network_engineer)
    assert person.get(CHECKS).status_code == 401


def test_a_poller_sees_and_reports_only_its_own_checks():
    mine, raw = make_poller("guest-1")
    other, _other_raw = make_poller("clinical-1")
    own = CheckFactory(poller=mine, params={"port": 5432}, secrets='{"password": "s"}')
    CheckFactory(poller=other)
    CheckFactory(poller=None)
    CheckFactory(poller=mine, enabled=False)
    client = client_for(raw)
    answer = client.get(CHECKS, HTTP_X_WARDKEEPER_VERSION="9.9").json()
    assert [c["id"] for c in answer["checks"]] == [own.pk]
    assert answer["checks"][0]["params"] == {"port": 5432, "password": "s"}
    assert answer["heartbeat_seconds"] == pollers.heartbeat_seconds()
    mine.refresh_from_db()
    assert mine.last_seen_at is not None
    assert mine.version == "9.9"
    assert mine.last_address == "127.0.0.1"

    foreign = Check.objects.get(poller=other, kind="tcp")
    stored = client.post(
        RESULTS,
        {"results": [result(own.pk, "up"), result(foreign.pk, "down")]},
        format="json",
    ).json()
    assert stored["results"] == 1
    assert stored["ignored"] == 1
    assert not ResultRow.objects.filter(source=foreign).exists()
    own.refresh_from_db()
    assert own.last_run_at is not None


def test_an_empty_batch_is_a_heartbeat(settings):
    poller, raw = make_poller("guest-1")
    answer = client_for(raw).post(RESULTS, {"results": []}, format="json")
    assert answer.status_code == 200
    assert answer.json() == {"results": 0, "changes": 0, "ignored": 0}
    poller.refresh_from_db()
    assert pollers.is_online(poller)


def test_a_quiet_poller_is_one_alert_and_its_checks_unreachable(settings):
    settings.MONITOR_POLLER_HEARTBEAT_SECONDS = 10
    poller, raw = make_poller("guest-1")
    checks = [CheckFactory(poller=poller, asset=None) for _ in range(5)]
    client_for(raw).post(
        RESULTS, {"results": [result(c.pk) for c in checks]}, format="json"
    )
    later = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=31)
    for minute in range(3):
        assert pollers.judge(later + dt.timedelta(minutes=minute))["offline"] == 1
    alerts = Alert.objects.exclude(state=AlertState.RESOLVED)
    assert alerts.count() == 1
    alert = alerts.get()
    assert alert.source.kind == "heartbeat"
    assert "offline" in alert.message
    assert set(
        Check.objects.filter(pk__in=[c.pk for c in checks]).values_list(
            "status", flat=True
        )
    ) == {CheckStatus.UNREACHABLE}
    # It reports again: the alert resolves, its checks come back with results.
    client_for(raw).post(RESULTS, {"results": []}, format="json")
    alert.refresh_from_db()
    assert alert.state == AlertState.RESOLVED
    assert Alert.objects.exclude(state=AlertState.RESOLVED).count() == 0


def test_a_poller_never_heard_from_is_not_offline():
    make_poller("new-1")
    assert pollers.judge() == {"online": 0, "offline": 0}
    assert not Alert.objects.exists()
