"""Remote pollers send the engine's results: validated, then stored and acted
on by the state service like the local engine's."""

import time

from tests.factories.monitoring import CheckFactory
from tests.factories.monitoring_views import person
from wardkeeper.monitoring.choices import CheckStatus
from wardkeeper.monitoring.models import Check, Result

URL = "/api/monitoring/results/"


def row(check, status="down", at=None, **outcome):
    return {
        "check_id": check.pk,
        "at": at or time.time(),
        "lag": 0.2,
        "outcome": {"status": status, "latency_ms": 3.5, "message": status, **outcome},
    }


def test_a_poller_sends_results_that_turn_a_check_down(db, api):
    check = CheckFactory(confirm_down=2, status=CheckStatus.UP)
    poller = api(person("poller", "add_result"))
    now = time.time()
    response = poller.post(
        URL,
        {"results": [row(check, at=now - 60), row(check, at=now, reason="timeout")]},
        format="json",
    )
    assert response.status_code == 200
    assert response.json() == {"results": 2, "changes": 1}
    check.refresh_from_db()
    assert check.status == CheckStatus.DOWN
    assert Result.objects.filter(source=check, reason="timeout").count() == 1


def test_an_invalid_row_refuses_the_whole_batch(db, api):
    check = CheckFactory()
    poller = api(person("poller", "add_result"))
    bad_status = poller.post(
        URL, {"results": [row(check), row(check, status="sideways")]}, format="json"
    )
    assert bad_status.status_code == 400
    unknown = poller.post(
        URL, {"results": [row(check), {**row(check), "check_id": 99999}]}, format="json"
    )
    assert unknown.status_code == 400
    assert "99999" in str(unknown.json())
    future = poller.post(
        URL, {"results": [row(check, at=time.time() + 3600)]}, format="json"
    )
    assert future.status_code == 400
    assert poller.post(URL, {"results": []}, format="json").status_code == 400
    assert not Result.objects.exists()
    assert Check.objects.get().status == CheckStatus.UNKNOWN


def test_only_pollers_may_send_results(db, api):
    check = CheckFactory()
    body = {"results": [row(check)]}
    assert api().post(URL, body, format="json").status_code in (401, 403)
    assert (
        api(person("nick", "view_check")).post(URL, body, format="json").status_code
        == 403
    )
    assert not Result.objects.exists()
