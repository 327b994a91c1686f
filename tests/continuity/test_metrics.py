"""The backup figures on ``/metrics``: a Grafana panel of RPO compliance reads
each system's last good backup, RPO, whether it is within it and since when
its restore is proven, and the open findings by kind."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from prometheus_client.parser import text_string_to_metric_families

from tests.factories.continuity import (
    BackupJobFactory,
    BackupRunFactory,
    FindingFactory,
    ProtectedSystemFactory,
    RestoreRunFactory,
)
from tests.factories.monitoring_views import person
from wardkeeper.continuity.choices import FindingKind, FindingState, ProofStatus
from wardkeeper.continuity.services import metrics as backup_metrics
from wardkeeper.core.models.tokens import ApiToken
from wardkeeper.inventory.choices import Criticality
from wardkeeper.monitoring.services import metrics

pytestmark = pytest.mark.django_db

LAB = 'Lab "LIS" \\ main'  # quotes and a backslash, escaped on the page


def backed_up(name: str, ago: dt.timedelta, **system):
    """A system with an RPO of an hour whose one job last succeeded ``ago``."""
    job = BackupJobFactory(system__name=name, system__rpo_minutes=60, **system)
    finished = timezone.now() - ago
    BackupRunFactory(
        job=job, started_at=finished - dt.timedelta(minutes=5), finished_at=finished
    )
    return job, finished


@pytest.fixture
def estate():
    his, his_backup = backed_up(
        "HIS", dt.timedelta(minutes=10), system__criticality=Criticality.CRITICAL
    )
    pacs, pacs_backup = backed_up("PACS", dt.timedelta(hours=3))
    proof = timezone.now() - dt.timedelta(days=2)
    RestoreRunFactory(
        test__job=his,
        status=ProofStatus.PASSED,
        started_at=proof - dt.timedelta(minutes=20),
        finished_at=proof,
    )
    ProtectedSystemFactory(name=LAB, rpo_minutes=240)  # no job: never backed up
    FindingFactory(kind=FindingKind.RPO_MISSED, system=pacs.system)
    FindingFactory(kind=FindingKind.RUN_FAILED, state=FindingState.RESOLVED)
    return {"his": his_backup, "pacs": pacs_backup, "proof": proof}


def scrape(client) -> str:
    _row, raw = ApiToken.issue(
        person("prom", "view_metrics"), "prometheus", timezone.now() + dt.timedelta(1)
    )
    page = client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert page.status_code == 200
    return page.content.decode()


def samples(text: str) -> dict[tuple[str, str], float]:
    """(metric, system or kind) -> value, read by Prometheus' own parser."""
    found = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            key = sample.labels.get("system") or sample.labels.get("kind", "")
            found[(sample.name, key)] = sample.value
    return found


def test_a_system_out_of_its_rpo_is_0_and_one_within_is_1(estate, client):
    found = samples(scrape(client))
    assert found[("wardkeeper_backup_within_rpo", "HIS")] == 1
    assert found[("wardkeeper_backup_within_rpo", "PACS")] == 0
    assert found[("wardkeeper_backup_within_rpo", LAB)] == 0
    last = "wardkeeper_backup_last_success_timestamp_seconds"
    assert found[(last, "HIS")] == estate["his"].timestamp()
    assert found[(last, "PACS")] == estate["pacs"].timestamp()
    assert (last, LAB) not in found  # never backed up: no sample, not zero
    assert found[("wardkeeper_backup_rpo_seconds", "HIS")] == 3600
    assert found[("wardkeeper_backup_rpo_seconds", LAB)] == 4 * 3600


def test_the_restore_proof_is_its_time_or_absent(estate, client):
    found = samples(scrape(client))
    proof = "wardkeeper_backup_last_restore_proof_timestamp_seconds"
    assert found[(proof, "HIS")] == estate["proof"].timestamp()
    assert (proof, "PACS") not in found
    assert found[("wardkeeper_backup_restore_proven", "HIS")] == 1
    assert found[("wardkeeper_backup_restore_proven", "PACS")] == 0


def test_open_findings_are_counted_by_kind_every_kind_named(estate, client):
    found = samples(scrape(client))
    assert found[("wardkeeper_backup_findings_open", "rpo_missed")] == 1
    assert found[("wardkeeper_backup_findings_open", "run_failed")] == 0  # resolved
    named = {kind for name, kind in found if name == "wardkeeper_backup_findings_open"}
    assert named == {kind.value for kind in FindingKind}


def test_each_family_is_announced_once_and_labels_survive_escaping(estate, client):
    text = scrape(client)
    types = [line for line in text.splitlines() if line.startswith("# TYPE ")]
    assert len(types) == len(set(types))
    labels = [
        sample.labels
        for family in text_string_to_metric_families(text)
        for sample in family.samples
        if family.name == "wardkeeper_backup_rpo_seconds"
    ]
    assert {"system": "HIS", "criticality": "critical"}.items() <= labels[0].items()
    assert LAB in {row["system"] for row in labels}
    assert ("wardkeeper_metrics_source_up", "") in samples(text)


def test_a_system_is_proven_as_far_back_as_its_least_proven_job():
    system = ProtectedSystemFactory()
    old, new = (timezone.now() - dt.timedelta(days=d) for d in (9, 1))
    for at in (old, new):
        RestoreRunFactory(
            test__job__system=system, status=ProofStatus.PASSED, finished_at=at
        )
    proof = "wardkeeper_backup_last_restore_proof_timestamp_seconds"
    by_name = {family.name: family for family in backup_metrics.families()}
    assert [value for _labels, value in by_name[proof].samples] == [old.timestamp()]
    BackupJobFactory(system=system)  # a job never restored
    by_name = {family.name: family for family in backup_metrics.families()}
    assert [value for _labels, value in by_name[proof].samples] == [None]


def test_the_queries_do_not_grow_with_the_systems(estate):
    with CaptureQueriesContext(connection) as few:
        metrics.exposition()
    for n in range(12):
        backed_up(f"S{n}", dt.timedelta(minutes=n))
    with CaptureQueriesContext(connection) as many:
        metrics.exposition()
    assert len(many) == len(few) <= 8
