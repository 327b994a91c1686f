"""Restores done by hand: a database engineer records one for a job
Wardkeeper cannot test (a tape the vendor restored), with an evidence file;
it is audited, proves the job like an automatic test and clears the job's
"no restore proof" finding. Only people who keep backups may record one."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from tests.factories.continuity import (
    BackupJobFactory,
    BackupRunFactory,
    ProtectedSystemFactory,
    RestoreTestFactory,
    database_engineer_persona,
)
from wardkeeper.continuity.choices import (
    BackupTool,
    FindingKind,
    FindingState,
    ProofStatus,
    RestoreMethod,
    Trigger,
)
from wardkeeper.continuity.models import Finding, RestoreRun
from wardkeeper.continuity.services import proofs
from wardkeeper.core.models import AuditEntry
from wardkeeper.core.models.attachments import Attachment

pytestmark = pytest.mark.django_db

RECORD = reverse("continuity:restorerun-record")


@pytest.fixture
def database_engineer(db):
    return database_engineer_persona()


@pytest.fixture
def tape(db):
    """PACS's weekly tape (a commercial product's, reported by CSV), backed
    up for forty days, never proven: flagged."""
    system = ProtectedSystemFactory(name="PACS", rto_minutes=240)
    job = BackupJobFactory(system=system, name="Weekly tape", tool=BackupTool.CSV)
    BackupRunFactory(job=job, started_at=timezone.now() - dt.timedelta(days=40))
    proofs.flag_missing(timezone.now())
    return job


def form_data(job, **changes):
    done = timezone.localtime() - dt.timedelta(days=1)
    return {
        "job": job.pk,
        "performed_at": done.strftime("%Y-%m-%dT%H:%M"),
        "duration_minutes": "95",
        "restored": "Tape A00123 — the full PACS database onto pacs-test-02",
        "passed": "1",
        "notes": "Vendor engineer restored it; 1,204 studies opened.",
        **changes,
    }


def test_a_recorded_restore_proves_the_job_and_clears_its_finding(
    login, database_engineer, tape
):
    finding = Finding.objects.get(kind=FindingKind.NO_RESTORE_PROOF)
    assert "record a restore done by hand" in finding.message
    client = login(database_engineer)
    page = client.get(RECORD, {"job": tape.pk})
    assert page.status_code == 200
    assert f'<option value="{tape.pk}" selected>' in page.content.decode()
    report = SimpleUploadedFile("vendor-report.pdf", b"%PDF-1.4 restored")
    answer = client.post(RECORD, {**form_data(tape), "evidence_file": report})
    run = RestoreRun.objects.get()
    assert answer.status_code == 302
    assert answer["Location"] == reverse("continuity:restorerun-detail", args=[run.pk])
    assert run.status == ProofStatus.PASSED
    assert run.trigger == Trigger.MANUAL
    assert run.test.method == RestoreMethod.MANUAL
    assert run.started_by == database_engineer
    assert run.duration_seconds == 95 * 60
    assert run.within_rto
    finding.refresh_from_db()
    assert finding.state == FindingState.RESOLVED
    assert proofs.proof_states([tape.system])[tape.system.pk].proven
    recorded = AuditEntry.objects.filter(
        actor=database_engineer, message="restore done by hand recorded"
    )
    assert recorded.count() == 1
    shown = client.get(answer["Location"]).content.decode()
    assert "onto pacs-test-02" in shown
    assert "recorded by hand" in shown
    attachment = Attachment.objects.get()
    link = reverse("continuity:restorerun-attachment", args=[run.pk, attachment.pk])
    assert link in shown
    download = client.get(link)
    assert b"".join(download.streaming_content) == b"%PDF-1.4 restored"


def test_a_failed_restore_by_hand_opens_a_finding_and_proves_nothing(tape):
    engineer = database_engineer_persona("dbe")
    done = proofs.ManualRestore(
        job=tape,
        performed_at=timezone.now() - dt.timedelta(hours=5),
        duration=dt.timedelta(hours=6),
        restored="Tape A00124",
        passed=False,
        notes="Tape unreadable from block 5,112.",
    )
    run = proofs.record_manual(done, actor=engineer)
    assert run.status == ProofStatus.FAILED
    assert not run.within_rto  # six hours against a four-hour RTO
    open_kinds = set(
        Finding.objects.filter(state=FindingState.OPEN).values_list("kind", flat=True)
    )
    assert open_kinds == {FindingKind.NO_RESTORE_PROOF, FindingKind.RESTORE_FAILED}


def test_a_restore_in_the_future_or_without_what_is_refused(
    login, database_engineer, tape
):
    client = login(database_engineer)
    later = (timezone.localtime() + dt.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    answer = client.post(RECORD, form_data(tape, performed_at=later))
    assert answer.status_code == 400
    assert "before it happened" in answer.content.decode()
    blank = client.post(RECORD, form_data(tape, restored=" ", duration_minutes="0"))
    assert blank.status_code == 400
    assert len(blank.context["form"].errors) == 2
    assert not RestoreRun.objects.exists()


def test_only_who_keeps_backups_may_record_one(login, network_engineer, tape):
    client = login(network_engineer)  # reads backup and recovery
    assert client.get(RECORD).status_code == 403
    assert client.post(RECORD, form_data(tape)).status_code == 403
    assert not RestoreRun.objects.exists()


def test_the_manual_test_cannot_be_run_nor_set_up_as_a_test(
    login, api, database_engineer, tape
):
    proofs.record_manual(
        proofs.ManualRestore(
            tape, timezone.now(), dt.timedelta(minutes=30), "Tape A00125", True
        ),
        actor=database_engineer,
    )
    manual = tape.restore_tests.get()
    client = login(database_engineer)
    page = client.get(reverse("continuity:restoretest-detail", args=[manual.pk]))
    assert "Record a restore" in page.content.decode()
    assert "Run now" not in page.content.decode()
    client.post(reverse("continuity:restoretest-run", args=[manual.pk]))
    refused = api(database_engineer).post(
        f"/api/continuity/restore-tests/{manual.pk}/run/"
    )
    assert refused.status_code == 400
    assert RestoreRun.objects.count() == 1  # nothing was queued
    other = BackupJobFactory(tool=BackupTool.RESTIC)
    form = client.post(
        reverse("continuity:restoretest-add"),
        {"job": other.pk, "name": "x", "method": "manual", "every_days": 0},
    )
    assert form.status_code == 200
    assert not other.restore_tests.exists()


def test_the_api_records_a_restore_done_by_hand(api, database_engineer, tape):
    RestoreTestFactory(job=tape, method=RestoreMethod.MANUAL, name="Vendor")
    answer = api(database_engineer).post(
        "/api/continuity/restore-runs/record/",
        {
            "job": tape.pk,
            "performed_at": (timezone.now() - dt.timedelta(hours=2)).isoformat(),
            "duration_minutes": 40,
            "restored": "Tape A00126",
            "passed": True,
        },
        format="json",
    )
    assert answer.status_code == 201, answer.content
    assert answer.json()["restored"] == "Tape A00126"
    # The job's manual test is reused, not made twice.
    assert tape.restore_tests.get().name == "Vendor"
    assert Finding.objects.get().state == FindingState.RESOLVED
