"""Resolving a finding by hand is recorded as the keeper's act: the audit
entry names them, and so does the note on the finding's ticket."""

import pytest

from tests.factories.continuity import BackupJobFactory, database_engineer_persona
from tests.factories.continuity_ingest import ingest_urls  # noqa: F401
from wardkeeper.continuity.choices import FindingKind
from wardkeeper.continuity.services import findings
from wardkeeper.core.models.audit import AuditEntry

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("ingest_urls")]


def test_resolving_by_hand_is_audited_and_noted_as_the_keeper():
    job = BackupJobFactory(name="PACS images", system__name="PACS")
    finding = findings.raise_finding(
        FindingKind.SIZE_ANOMALY, system=job.system, job=job, message="fell"
    )
    keeper = database_engineer_persona()

    findings.resolve_finding(
        FindingKind.SIZE_ANOMALY, system=job.system, job=job, actor=keeper
    )

    entry = AuditEntry.objects.filter(
        object_id=str(finding.pk), changes__state__isnull=False
    ).latest("pk")
    assert entry.actor == keeper
    assert finding.ticket.worklogs.last().author == keeper


def test_the_resolve_button_passes_the_user(login):
    job = BackupJobFactory(name="PACS images", system__name="PACS")
    finding = findings.raise_finding(
        FindingKind.SIZE_ANOMALY, system=job.system, job=job, message="fell"
    )
    keeper = database_engineer_persona()
    login(keeper).post(f"/continuity/findings/{finding.pk}/resolve/")
    entry = AuditEntry.objects.filter(object_id=str(finding.pk)).latest("pk")
    assert entry.actor == keeper
    assert finding.ticket.worklogs.last().author == keeper
