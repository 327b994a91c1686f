"""The findings pages: open ones first, past ones on asking, a finding's
evidence and ticket; keepers may resolve one by hand, readers only look."""

import pytest

from tests.conftest import make_persona
from tests.factories.continuity import (
    BackupJobFactory,
    FindingFactory,
    ProtectedSystemFactory,
    database_engineer_persona,
)
from tests.factories.continuity_ingest import ingest_urls  # noqa: F401
from wardkeeper.continuity.choices import FindingKind, FindingState
from wardkeeper.continuity.services import findings
from wardkeeper.inventory.choices import Criticality

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("ingest_urls")]


@pytest.fixture
def anomaly():
    job = BackupJobFactory(
        name="PACS images",
        system__name="PACS",
        system__criticality=Criticality.CRITICAL,
    )
    return findings.raise_finding(
        FindingKind.SIZE_ANOMALY,
        system=job.system,
        job=job,
        message="PACS images: the backup fell to 29.3 KiB (usual: 234.4 KiB)",
        evidence={"size_bytes": 30_000, "median_bytes": 240_000, "ratio": 0.5},
    )


def test_the_list_shows_open_findings_unless_asked(
    login, anomaly, django_assert_max_num_queries
):
    FindingFactory(
        message="Old trouble", state=FindingState.RESOLVED, system__name="LIS"
    )
    for n in range(5):
        FindingFactory(message=f"Other {n}", system=ProtectedSystemFactory())
    client = login(make_persona("ana", "analyst"))
    with django_assert_max_num_queries(12):
        page = client.get("/continuity/findings/")
    text = page.content.decode()
    assert "the backup fell" in text
    assert "Old trouble" not in text
    past = client.get("/continuity/findings/?state=resolved").content.decode()
    assert "Old trouble" in past
    assert "the backup fell" not in past
    assert "Old trouble" in client.get("/continuity/findings/?state=").content.decode()


def test_a_finding_page_shows_its_evidence_and_ticket(login, anomaly):
    client = login(make_persona("ana", "analyst"))
    page = client.get(f"/continuity/findings/{anomaly.pk}/")
    text = page.content.decode()
    assert page.status_code == 200
    assert "usual size (median)".capitalize() in text
    assert "234.4\xa0KB (240,000)" in text
    assert anomaly.ticket.reference in text
    assert "Resolve" not in text  # an analyst only reads


def test_a_keeper_resolves_by_hand_and_the_ticket_is_noted(login, anomaly):
    keeper = database_engineer_persona()
    client = login(keeper)
    answer = client.post(f"/continuity/findings/{anomaly.pk}/resolve/")
    assert answer.status_code == 302
    anomaly.refresh_from_db()
    assert anomaly.state == FindingState.RESOLVED
    note = anomaly.ticket.worklogs.last().note
    assert f"Resolved by hand by {keeper}" in note


def test_resolving_a_past_finding_from_a_stale_page_leaves_the_new_one_open(
    login, anomaly
):
    # The finding was resolved and its problem came back while the page sat
    # open in a tab: its button must not close the new finding.
    findings.resolve_finding(
        FindingKind.SIZE_ANOMALY, system=anomaly.system, job=anomaly.job
    )
    back = findings.raise_finding(
        FindingKind.SIZE_ANOMALY,
        system=anomaly.system,
        job=anomaly.job,
        message="PACS images: the backup fell again",
    )
    client = login(database_engineer_persona())
    page = client.post(f"/continuity/findings/{anomaly.pk}/resolve/", follow=True)
    assert "already resolved" in page.content.decode()
    back.refresh_from_db()
    assert back.state == FindingState.OPEN


def test_readers_cannot_resolve_and_nurses_cannot_see(login, anomaly, nurse):
    analyst = login(make_persona("ana", "analyst"))
    assert (
        analyst.post(f"/continuity/findings/{anomaly.pk}/resolve/").status_code == 403
    )
    nurse_client = login(nurse)
    assert nurse_client.get("/continuity/findings/").status_code == 403
