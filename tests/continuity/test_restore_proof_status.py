"""Restore proof per backup job: each enabled job needs its own passed
restore within the system's interval; a newer failure of one test does not
undo another test's pass, and a job never tested keeps the system unproven
(on the page, the PDF, the export and in the findings alike)."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.conftest import make_persona
from tests.factories.continuity import (
    BackupJobFactory,
    BackupRunFactory,
    ProtectedSystemFactory,
    RestoreRunFactory,
    RestoreTestFactory,
)
from tests.factories.continuity_plans import pdf_text
from wardkeeper.continuity.choices import BackupTool, FindingKind, ProofStatus
from wardkeeper.continuity.choices import RestoreMethod as Method
from wardkeeper.continuity.models import Finding
from wardkeeper.continuity.services import dashboard, proofs

pytestmark = pytest.mark.django_db

NOW = timezone.now()


def ago(days: float) -> dt.datetime:
    return NOW - dt.timedelta(days=days)


def backed_up(system, name, tool=BackupTool.RESTIC, *, first_days_ago=50):
    job = BackupJobFactory(system=system, name=name, tool=tool)
    BackupRunFactory(job=job, started_at=ago(first_days_ago))
    BackupRunFactory(job=job, started_at=ago(0.5))
    return job


def restore_run(job, status, days_ago, method=Method.SAMPLE, test=None):
    test = test or RestoreTestFactory(job=job, method=method)
    RestoreRunFactory(
        test=test, status=status, started_at=ago(days_ago), finished_at=ago(days_ago)
    )
    return test


def lis():
    """The dump test passed yesterday; the copy's sample test passed a week
    ago and failed yesterday."""
    system = ProtectedSystemFactory(name="LIS")
    dump = backed_up(system, "Hourly dump", BackupTool.PG_DUMP)
    restore_run(dump, ProofStatus.PASSED, 1, Method.DATABASE)
    copy = backed_up(system, "Nightly object-store copy")
    sample = restore_run(copy, ProofStatus.PASSED, 8)
    restore_run(copy, ProofStatus.FAILED, 0.9, test=sample)
    return system


def pacs():
    """The database and image jobs proven; the weekly tape never tested."""
    system = ProtectedSystemFactory(name="PACS")
    restore_run(backed_up(system, "Database nightly"), ProofStatus.PASSED, 3)
    restore_run(backed_up(system, "Image archive nightly"), ProofStatus.PASSED, 5)
    backed_up(system, "Weekly tape", BackupTool.CSV)
    return system


def test_a_newer_failure_of_one_test_does_not_hide_a_recent_pass():
    system = lis()
    line = dashboard.rows_for([system], NOW)[0]
    assert line.row.proof.status == ProofStatus.FAILED  # the newest run, shown
    assert line.proven
    assert not line.proof_flagged
    assert proofs.flag_missing(NOW) == {"flagged": 0, "cleared": 0}


def test_a_job_never_tested_keeps_the_system_unproven_and_is_named():
    system = pacs()
    status = proofs.proof_states([system], NOW)[system.pk]
    assert not status.proven
    assert [job.name for job in status.unproven] == ["Weekly tape"]
    assert status.summary == "Weekly tape: never passed"


def test_the_page_pdf_and_export_flag_the_job_not_proven(login):
    pacs()
    lis()
    client = login(make_persona("ana", "analyst"))
    page = client.get(reverse("continuity:dashboard"))
    html = page.content.decode()
    pacs_row = html.split('data-system="PACS"')[1].split("</tr>")[0]
    assert "not proven in 30 days: Weekly tape: never passed" in pacs_row
    lis_row = html.split('data-system="LIS"')[1].split("</tr>")[0]
    assert "not proven" not in lis_row
    figures = {f.key: (f.met, f.total) for f in page.context["headline"].figures}
    assert figures["proven"] == (1, 2)
    pdf = client.get(reverse("continuity:dashboard-export", args=["pdf"]))
    text = " ".join(pdf_text(pdf.content).split())
    assert "not proven in 30 days: Weekly tape: never passed" in text
    assert text.count("flagged:") == 1
    csv = client.get(reverse("continuity:dashboard-export", args=["csv"]))
    rows = b"".join(csv.streaming_content).decode("utf-8-sig").splitlines()
    proven = {line.split(",")[0]: line.split(",")[11] for line in rows[1:]}
    assert proven == {"PACS": "no", "LIS": "yes"}


def test_the_daily_check_flags_each_job_without_a_recent_pass():
    system = ProtectedSystemFactory(restore_proof_days=30)
    restore_run(backed_up(system, "old proof"), ProofStatus.PASSED, 31)
    restore_run(backed_up(system, "fresh proof"), ProofStatus.PASSED, 2)
    backed_up(system, "tape", BackupTool.CSV, first_days_ago=40)
    backed_up(system, "new job", first_days_ago=3)  # its first 30 days: waits
    BackupJobFactory(system=system, name="no backups yet")
    assert proofs.flag_missing(NOW) == {"flagged": 2, "cleared": 0}
    flagged = Finding.objects.filter(kind=FindingKind.NO_RESTORE_PROOF)
    assert {f.job.name for f in flagged} == {"old proof", "tape"}
    assert all(f.ticket is None for f in flagged)
    tape = flagged.get(job__name="tape")
    assert "never passed a restore test" in tape.message
    assert "record a restore done by hand" in tape.message
    assert "more than 30 days" in flagged.get(job__name="old proof").message


def test_a_disabled_job_needs_no_proof():
    system = pacs()
    system.jobs.filter(name="Weekly tape").update(enabled=False)
    assert proofs.proof_states([system], NOW)[system.pk].proven


def test_a_system_without_jobs_is_not_proven():
    system = ProtectedSystemFactory()
    status = proofs.proof_states([system], NOW)[system.pk]
    assert not status.proven
    assert status.summary == "no enabled backup job"
