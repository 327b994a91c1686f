"""``/metrics``: every enabled check's state in the Prometheus text format,
behind an API token whose user may read the metrics."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import path
from django.utils import timezone
from prometheus_client.parser import text_string_to_metric_families

from tests.factories.inventory import AssetFactory
from tests.factories.monitoring import CheckFactory
from tests.factories.monitoring_views import person
from wardkeeper.core.models.tokens import ApiToken
from wardkeeper.monitoring.choices import CheckStatus
from wardkeeper.monitoring.services import metrics
from wardkeeper.monitoring.views.metrics import metrics_view

URL = "/metrics"
# The root URL is the lead's (src/wardkeeper/urls.py); these tests mount the
# view the same way, on its own.
urlpatterns = [path("metrics", metrics_view)]
pytestmark = pytest.mark.urls(__name__)
# One sample line: name{label="value",...} number (strict: nothing else).
LABEL = r'[a-z_]+="(?:[^"\\\n]|\\["\\n])*"'
SAMPLE = re.compile(
    rf"^(?P<name>[a-z_]+)\{{(?P<labels>{LABEL}(?:,{LABEL})*)\}} (?P<value>-?[0-9.e+-]+)$"
)
COMMENT = re.compile(r"^# (HELP|TYPE) [a-z_]+ .+$")


def parse(text: str) -> list[tuple[str, dict[str, str], float]]:
    samples = []
    for line in text.splitlines():
        if COMMENT.match(line):
            continue
        match = SAMPLE.match(line)
        assert match, f"not exposition format: {line!r}"
        labels = dict(
            (key, value.replace('\\"', '"').replace("\\\\", "\\"))
            for key, value in re.findall(
                r'([a-z_]+)="((?:[^"\\]|\\.)*)"', match["labels"]
            )
        )
        samples.append((match["name"], labels, float(match["value"])))
    return samples


def token_for(user) -> str:
    _row, raw = ApiToken.issue(
        user, "prometheus", timezone.now() + dt.timedelta(days=1)
    )
    return raw


@pytest.fixture
def checks(db):
    last_up = dt.datetime(2026, 3, 1, 12, 0, tzinfo=dt.UTC)
    pacs = CheckFactory(
        name='PACS "main"',
        asset=AssetFactory(tag="PACS-01"),
        kind="dicom_echo",
        service="PACS",
        status=CheckStatus.DOWN,
        last_up_at=last_up,
        last_latency_ms=250.0,
    )
    his = CheckFactory(name="HIS", status=CheckStatus.DEGRADED, last_latency_ms=12.0)
    CheckFactory(name="Old", enabled=False)
    return pacs, his, last_up


def test_the_metrics_name_each_checks_state_latency_and_last_success(checks, client):
    *_rows, last_up = checks
    raw = token_for(person("prom", "view_metrics"))
    response = client.get(URL, HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain; version=0.0.4")
    # Every line is strict exposition format; the checks' are looked at here.
    samples = [
        sample
        for sample in parse(response.content.decode())
        if sample[0].startswith("wardkeeper_check_")
    ]
    by = {
        (name, labels["check"], labels.get("status")): value
        for name, labels, value in samples
    }
    assert by[("wardkeeper_check_up", 'PACS "main"', None)] == 0
    assert by[("wardkeeper_check_up", "HIS", None)] == 1  # degraded still answers
    assert by[("wardkeeper_check_status", 'PACS "main"', "down")] == 1
    assert by[("wardkeeper_check_status", 'PACS "main"', "up")] == 0
    assert by[("wardkeeper_check_latency_seconds", 'PACS "main"', None)] == 0.25
    assert (
        by[("wardkeeper_check_last_success_timestamp_seconds", 'PACS "main"', None)]
        == last_up.timestamp()
    )
    pacs_labels = next(
        labels for _n, labels, _v in samples if labels["check"] == 'PACS "main"'
    )
    assert pacs_labels["asset"] == "PACS-01"
    assert (pacs_labels["kind"], pacs_labels["service"]) == ("dicom_echo", "PACS")
    assert not any(labels["check"] == "Old" for _n, labels, _v in samples)


def test_the_metrics_parse_with_the_prometheus_client(checks):
    families = {f.name: f for f in text_string_to_metric_families(metrics.exposition())}
    assert {"wardkeeper_check_up", "wardkeeper_check_status"} <= set(families)
    assert "wardkeeper_backup_within_rpo" in families  # continuity's, added


def test_the_checks_take_one_query_whatever_their_number(checks):
    with CaptureQueriesContext(connection) as few:
        metrics.exposition()
    CheckFactory.create_batch(20)
    with CaptureQueriesContext(connection) as captured:
        metrics._checks()
    assert len(captured) == 1
    with CaptureQueriesContext(connection) as many:
        metrics.exposition()
    assert len(many) == len(few)  # nor do the other areas' families grow


def families():
    """A contributor for the tests below: ``BROKEN`` says how it fails."""
    if BROKEN["raise"]:
        raise RuntimeError("the area's database table is gone")
    return [metrics.Family("wardkeeper_check_up", "gauge", "again", [({}, 1)])]


BROKEN = {"raise": True}


@pytest.mark.parametrize("raises", [True, False], ids=["failing", "repeating"])
def test_a_failing_area_leaves_the_checks_and_says_it_is_missing(
    checks, monkeypatch, raises
):
    monkeypatch.setattr(metrics, "CONTRIBUTORS", (*metrics.CONTRIBUTORS, __name__))
    monkeypatch.setitem(BROKEN, "raise", raises)
    families = {f.name: f for f in text_string_to_metric_families(metrics.exposition())}
    assert len(families["wardkeeper_check_up"].samples) == 2  # not the repeat
    up = {
        s.labels["source"]: s.value
        for s in families["wardkeeper_metrics_source_up"].samples
    }
    assert up == {"continuity": 1, "tests": 0}


def test_no_token_or_a_bad_one_is_401_and_a_token_without_the_permission_403(
    checks, client
):
    missing = client.get(URL)
    assert missing.status_code == 401
    assert missing["WWW-Authenticate"].startswith("Bearer")
    assert client.get(URL, HTTP_AUTHORIZATION="Bearer wk_nonsense").status_code == 401
    raw = token_for(person("nick"))
    assert client.get(URL, HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 403
