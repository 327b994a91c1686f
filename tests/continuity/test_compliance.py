"""The backup checks with real restic repositories: a much smaller backup
raises a size anomaly (told, ticketed for a critical system); a system with
no backup within its RPO raises RPO_MISSED until a fresh run clears it; a
failed run, a stale destination and 3-2-1 are raised and cleared."""

import datetime as dt

import pytest
from django.utils import timezone

from tests.factories.continuity import (
    BackupDestinationFactory,
    BackupJobFactory,
    BackupRunFactory,
    ProtectedSystemFactory,
)
from tests.factories.continuity_ingest import fill, restic, restic_job
from tests.factories.core import UserFactory
from tests.factories.servicedesk import TeamFactory
from wardkeeper.continuity.choices import FindingKind, FindingState, RunStatus
from wardkeeper.continuity.models import Finding
from wardkeeper.continuity.services import compliance, findings, readers
from wardkeeper.core.models.notifications import Delivery
from wardkeeper.inventory.choices import Criticality
from wardkeeper.servicedesk.choices import Category, Priority
from wardkeeper.servicedesk.models import Ticket

pytestmark = pytest.mark.django_db(transaction=True)


def open_kinds(**where):
    return set(
        Finding.objects.filter(state=FindingState.OPEN, **where).values_list(
            "kind", flat=True
        )
    )


@pytest.fixture
def pacs(tmp_path, settings):
    settings.DATA_DIR = tmp_path / "data"
    lead = UserFactory(email="storage-lead@example.org")
    team = TeamFactory(code="storage", categories=[Category.DATA], lead=lead)
    system = ProtectedSystemFactory(
        name="PACS", criticality=Criticality.CRITICAL, team=team, rpo_minutes=24 * 60
    )
    return restic_job(tmp_path, system=system, name="PACS images")


def test_a_much_smaller_backup_raises_a_size_anomaly_with_alert_and_ticket(
    pacs, tmp_path
):
    images = fill(tmp_path / "images", files=8, size=30_000)
    for _ in range(4):
        restic(pacs.repository, "backup", str(images))
    readers.read_repository(pacs)
    assert FindingKind.SIZE_ANOMALY not in open_kinds(job=pacs)

    for extra in list(images.iterdir())[1:]:
        extra.unlink()  # a mount gone: most of the images are missing
    restic(pacs.repository, "backup", str(images))
    readers.read_repository(pacs)

    finding = Finding.objects.get(kind=FindingKind.SIZE_ANOMALY, state="open")
    assert finding.job == pacs
    assert "fell" in finding.message
    assert finding.evidence["size_bytes"] == 30_000
    assert finding.evidence["median_bytes"] == 240_000
    assert finding.evidence["ratio"] == 0.5
    ticket = Ticket.objects.get(origin=f"continuity:{finding.subject}")
    assert finding.ticket == ticket
    assert ticket.priority == Priority.P1
    assert Delivery.objects.filter(
        event=findings.EVENT_FOUND, user__email="storage-lead@example.org", urgent=True
    ).exists()

    # The images are back: the next run is in range and the finding clears.
    fill(images, files=8, size=30_000)
    restic(pacs.repository, "backup", str(images))
    readers.read_repository(pacs)
    finding.refresh_from_db()
    assert finding.state == FindingState.RESOLVED


def test_no_backup_within_the_rpo_raises_rpo_missed_until_a_fresh_run(pacs, tmp_path):
    images = fill(tmp_path / "images", files=1, size=1000)
    restic(pacs.repository, "backup", "--time", "2026-01-01 01:00:00", str(images))
    readers.read_repository(pacs)

    compliance.evaluate()
    finding = Finding.objects.get(kind=FindingKind.RPO_MISSED, state="open")
    assert "PACS: no successful backup since 2026-01-01" in finding.message
    assert "PACS images" in finding.message  # the job that is behind
    assert finding.evidence["jobs"] == [pacs.pk]

    compliance.evaluate()  # still missed: the same finding, no second alert
    assert Finding.objects.filter(kind=FindingKind.RPO_MISSED).count() == 1

    restic(pacs.repository, "backup", str(images))
    readers.read_repository(pacs)
    compliance.evaluate()
    finding.refresh_from_db()
    assert finding.state == FindingState.RESOLVED


def test_a_failed_run_raises_and_a_later_success_resolves(db):
    job = BackupJobFactory(system__criticality=Criticality.NORMAL)
    now = timezone.now()
    BackupRunFactory(job=job, started_at=now - dt.timedelta(hours=30))
    BackupRunFactory(
        job=job,
        status=RunStatus.FAILED,
        started_at=now - dt.timedelta(hours=2),
        message="disk full",
    )
    compliance.evaluate(now)
    failed = Finding.objects.get(kind=FindingKind.RUN_FAILED, state="open")
    assert "disk full" in failed.message
    assert failed.ticket is None  # a normal-criticality system: no ticket

    BackupRunFactory(job=job, started_at=now - dt.timedelta(hours=1))
    compliance.evaluate(now)
    failed.refresh_from_db()
    assert failed.state == FindingState.RESOLVED


def test_a_destination_not_written_for_its_days_is_stale(db):
    tape = BackupDestinationFactory(name="Tape library", stale_days=2)
    job = BackupJobFactory(destination=tape)
    now = timezone.now()
    BackupRunFactory(job=job, started_at=now - dt.timedelta(days=3))
    compliance.evaluate(now)
    stale = Finding.objects.get(kind=FindingKind.DESTINATION_STALE, state="open")
    assert stale.destination == tape
    assert "Tape library: not written for over 2 days" in stale.message

    BackupRunFactory(job=job, started_at=now - dt.timedelta(hours=1))
    compliance.evaluate(now)
    stale.refresh_from_db()
    assert stale.state == FindingState.RESOLVED


def test_321_is_checked_and_a_disabled_job_takes_its_findings_along(db):
    job = BackupJobFactory(destination__media="disk")
    BackupRunFactory(job=job, status=RunStatus.FAILED)
    compliance.evaluate()
    assert {FindingKind.RULE_321, FindingKind.RUN_FAILED} <= open_kinds()
    rule = Finding.objects.get(kind=FindingKind.RULE_321)
    assert "no offsite copy" in rule.message

    job.enabled = False
    job.save()
    compliance.evaluate()
    assert open_kinds() == set()


def test_the_worker_runs_the_checks_and_the_reads(db):
    from wardkeeper.continuity import tasks  # noqa: F401 (registers the jobs)
    from wardkeeper.core.tasks import REGISTRY

    BackupJobFactory(system__name="Website")  # no run at all: RPO missed
    now = timezone.now()
    assert REGISTRY["continuity.read"].func(now) == {"jobs": 0, "runs": 0, "failed": 0}
    counts = REGISTRY["continuity.checks"].func(now)
    assert counts[FindingKind.RPO_MISSED] == 1
    assert REGISTRY["continuity.checks"].every == dt.timedelta(minutes=5)
