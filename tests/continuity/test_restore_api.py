"""The restore-test API: tests and queries with the pages' rules, runs
read-only, and POST ``run`` to start one on demand."""

from __future__ import annotations

import pytest

from tests.factories.continuity import (
    BackupJobFactory,
    RestoreRunFactory,
    RestoreTestFactory,
    database_engineer_persona,
)
from wardkeeper.continuity.choices import BackupTool, ProofStatus
from wardkeeper.continuity.models import RestoreRun

pytestmark = pytest.mark.django_db


@pytest.fixture
def database_engineer(db):
    return database_engineer_persona()


BASE = "/api/continuity"


def test_run_now_queues_one_run(api, database_engineer):
    test = RestoreTestFactory()
    client = api(database_engineer)
    answer = client.post(f"{BASE}/restore-tests/{test.pk}/run/")
    assert answer.status_code == 202, answer.content
    assert answer.json()["queued"] is True
    assert RestoreRun.objects.get().started_by == database_engineer
    again = client.post(f"{BASE}/restore-tests/{test.pk}/run/")
    assert again.status_code == 400
    assert "already running" in again.content.decode()


def test_a_reader_cannot_start_a_run(api, system_admin):
    test = RestoreTestFactory()
    assert api(system_admin).get(f"{BASE}/restore-tests/").status_code == 200
    assert (
        api(system_admin).post(f"{BASE}/restore-tests/{test.pk}/run/").status_code
        == 403
    )


def test_a_test_for_the_wrong_tool_is_refused(api, database_engineer):
    job = BackupJobFactory(tool=BackupTool.RESTIC)
    answer = api(database_engineer).post(
        f"{BASE}/restore-tests/",
        {"job": job.pk, "name": "db", "method": "database"},
        format="json",
    )
    assert answer.status_code == 400
    assert "pg_dump" in answer.content.decode()


def test_a_query_must_be_one_select(api, database_engineer):
    test = RestoreTestFactory(
        job=BackupJobFactory(tool=BackupTool.PG_DUMP), method="database"
    )
    client = api(database_engineer)
    bad = client.post(
        f"{BASE}/sanity-queries/",
        {
            "test": test.pk,
            "label": "x",
            "sql": "SELECT 1; DROP TABLE t",
            "expectation": "at_least",
            "value": "1",
        },
        format="json",
    )
    assert bad.status_code == 400
    good = client.post(
        f"{BASE}/sanity-queries/",
        {
            "test": test.pk,
            "label": "x",
            "sql": "select count(*) from t",
            "expectation": "at_least",
            "value": "1",
        },
        format="json",
    )
    assert good.status_code == 201, good.content


def test_runs_are_listed_with_their_evidence(
    api, database_engineer, django_assert_max_num_queries
):
    for _ in range(3):
        RestoreRunFactory(status=ProofStatus.PASSED, evidence={"files_compared": 5})
    with django_assert_max_num_queries(6):
        answer = api(database_engineer).get(f"{BASE}/restore-runs/?status=passed")
    rows = answer.json()["results"]
    assert len(rows) == 3
    assert rows[0]["evidence"] == {"files_compared": 5}
