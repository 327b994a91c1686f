"""The findings API for ticket and chat bots: findings with their evidence,
ticket and page links, filtered; readers look, keepers resolve by hand."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.conftest import make_persona
from tests.factories.continuity import (
    BackupJobFactory,
    FindingFactory,
    database_engineer_persona,
)
from wardkeeper.continuity.choices import FindingKind, FindingState
from wardkeeper.continuity.models import Finding
from wardkeeper.continuity.services import findings
from wardkeeper.core.models.audit import AuditEntry

pytestmark = pytest.mark.django_db

URL = "/api/continuity/findings/"
OPENED = dt.datetime(2026, 3, 2, 8, 0, tzinfo=dt.UTC)


@pytest.fixture
def late():
    """An RPO finding raised the real way: with its ticket."""
    job = BackupJobFactory(name="PACS images", system__name="PACS")
    return findings.raise_finding(
        FindingKind.RPO_MISSED,
        system=job.system,
        job=job,
        message="PACS: no successful backup for 30 h (RPO 24 h)",
        evidence={"last_success": "2026-03-01T02:00:00+00:00", "rpo_minutes": 1440},
        now=OPENED,
    )


@pytest.fixture
def reader(db):
    return make_persona("ana", "analyst")


def ids(answer) -> set[int]:
    assert answer.status_code == 200, answer.content
    return {row["id"] for row in answer.json()["results"]}


def test_a_finding_carries_its_evidence_ticket_and_links(api, reader, late):
    answer = api(reader).get(f"{URL}{late.pk}/")
    assert answer.status_code == 200
    body = answer.json()
    assert body["kind"] == "rpo_missed"
    assert body["kind_label"] == "no successful backup within the RPO"
    assert body["state"] == "open"
    assert (body["system"], body["job"]) == (late.system_id, late.job_id)
    assert body["destination"] is None
    assert body["destination_url"] is None
    assert body["evidence"]["rpo_minutes"] == 1440
    assert dt.datetime.fromisoformat(body["opened_at"]) == OPENED
    assert body["url"] == f"http://testserver/continuity/findings/{late.pk}/"
    assert body["system_url"].endswith(f"/continuity/systems/{late.system_id}/")
    assert body["job_url"].endswith(f"/continuity/jobs/{late.job_id}/")
    ticket = body["ticket"]
    assert ticket["id"] == late.ticket_id
    assert ticket["reference"] == f"T{late.ticket_id:06d}"
    assert ticket["url"] == "http://testserver" + late.ticket.get_absolute_url()


def test_the_list_filters_by_state_kind_system_job_and_opened_since(
    api, reader, late, django_assert_max_num_queries
):
    past = FindingFactory(
        state=FindingState.RESOLVED, opened_at=OPENED - dt.timedelta(days=9)
    )
    failed = FindingFactory(kind=FindingKind.RUN_FAILED, job=BackupJobFactory())
    for _n in range(6):
        FindingFactory(opened_at=OPENED - dt.timedelta(days=3))
    client = api(reader)
    # The reader's permissions (two), the count and the page: none per row.
    with django_assert_max_num_queries(4):
        everything = ids(client.get(URL))
    assert {late.pk, past.pk, failed.pk} <= everything
    assert len(everything) == 9
    assert past.pk not in ids(client.get(URL, {"state": "open"}))
    assert ids(client.get(URL, {"state": "resolved"})) == {past.pk}
    assert ids(client.get(URL, {"kind": "rpo_missed"})) == {late.pk}
    assert ids(client.get(URL, {"system": late.system_id})) == {late.pk}
    assert ids(client.get(URL, {"job": failed.job_id})) == {failed.pk}
    since = {"since": (OPENED - dt.timedelta(days=1)).isoformat()}
    assert ids(client.get(URL, since)) == {late.pk, failed.pk}
    bad = client.get(URL, {"kind": "nonsense"})
    assert bad.status_code == 400


def test_the_newest_come_first(api, reader, late):
    older = FindingFactory(opened_at=OPENED - dt.timedelta(days=2))
    rows = api(reader).get(URL).json()["results"]
    assert [row["id"] for row in rows] == [late.pk, older.pk]


def test_reading_needs_the_view_permission(api, late):
    assert api().get(URL).status_code == 401
    nobody = make_persona("nick")  # signed in, no role
    assert api(nobody).get(URL).status_code == 403
    assert api(nobody).get(f"{URL}{late.pk}/").status_code == 403


def test_a_keeper_resolves_a_finding_by_hand_once(api, late):
    keeper = database_engineer_persona()
    client = api(keeper)
    answer = client.post(f"{URL}{late.pk}/resolve/")
    assert answer.status_code == 200, answer.content
    assert answer.json()["state"] == "resolved"
    assert answer.json()["resolved_at"] is not None
    entry = AuditEntry.objects.filter(object_id=str(late.pk)).latest("pk")
    assert entry.actor == keeper
    assert late.ticket.worklogs.last().author == keeper
    again = client.post(f"{URL}{late.pk}/resolve/")
    assert again.status_code == 409
    assert "already resolved" in again.json()["error"]["message"]


def test_resolving_a_past_finding_leaves_the_problem_that_came_back_open(api, late):
    findings.resolve_finding(FindingKind.RPO_MISSED, system=late.system, job=late.job)
    back = findings.raise_finding(
        FindingKind.RPO_MISSED, system=late.system, job=late.job, message="again"
    )
    answer = api(database_engineer_persona()).post(f"{URL}{late.pk}/resolve/")
    assert answer.status_code == 409
    assert Finding.objects.get(pk=back.pk).state == FindingState.OPEN


def test_a_reader_cannot_resolve_and_nobody_writes_findings(api, reader, late):
    client = api(reader)
    assert client.post(f"{URL}{late.pk}/resolve/").status_code == 403
    assert client.post(URL, {"message": "x"}, format="json").status_code == 405
    keeper = api(database_engineer_persona())
    assert keeper.delete(f"{URL}{late.pk}/").status_code == 405
    assert Finding.objects.get(pk=late.pk).state == FindingState.OPEN
