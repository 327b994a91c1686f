"""The "Read the repository now" button of a restic or borg job: after the
password is corrected, the stale read error goes at once, the new snapshots
are stored, and the read is audited with who asked for it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.conftest import make_persona
from tests.factories.continuity import BackupJobFactory, database_engineer_persona
from tests.factories.continuity_ingest import PASSWORD, fill, restic, restic_job
from wardkeeper.continuity.choices import BackupTool
from wardkeeper.continuity.services import readers
from wardkeeper.core.models.audit import AuditEntry

pytestmark = pytest.mark.django_db


def test_reading_now_clears_a_stale_error_and_is_audited(login, tmp_path):
    job = restic_job(tmp_path, name="HIS files")
    restic(tmp_path / "restic-repo", "backup", str(fill(tmp_path / "live", 3, 100)))
    job.repository_password = "wrong"
    job.save()
    readers.read_repository(job)  # the 15-minute round, with the old password
    job.refresh_from_db()
    assert job.last_read_error

    job.repository_password = PASSWORD
    job.save()
    keeper = database_engineer_persona()
    client = login(keeper)
    page = client.get(reverse("continuity:backupjob-detail", args=[job.pk]))
    assert "Read the repository now" in page.text
    assert 'id="read-error"' in page.text

    done = client.post(reverse("continuity:backupjob-read", args=[job.pk]), follow=True)

    assert "The repository was read: 1 new runs." in done.text
    assert 'id="read-error"' not in done.text
    job.refresh_from_db()
    assert job.last_read_error == ""
    assert job.runs.count() == 1
    entry = AuditEntry.objects.filter(
        object_id=str(job.pk), message__startswith="repository read on demand"
    ).get()
    assert entry.actor == keeper


def test_a_failed_read_now_says_why(login, tmp_path):
    job = restic_job(tmp_path)
    job.repository_password = "wrong"
    job.save()
    client = login(database_engineer_persona())
    done = client.post(reverse("continuity:backupjob-read", args=[job.pk]), follow=True)
    assert "Reading the repository failed:" in done.text
    job.refresh_from_db()
    assert job.last_read_error


def test_only_who_keeps_backups_may_read_and_only_a_repository_job(login):
    job = BackupJobFactory(tool=BackupTool.RESTIC, repository="/nowhere")
    url = reverse("continuity:backupjob-read", args=[job.pk])
    assert login(make_persona("ana", "analyst")).post(url).status_code == 403
    client = login(database_engineer_persona())
    hook_job = BackupJobFactory(tool=BackupTool.WEBHOOK)
    page = client.get(reverse("continuity:backupjob-detail", args=[hook_job.pk]))
    assert "Read the repository now" not in page.text
    done = client.post(
        reverse("continuity:backupjob-read", args=[hook_job.pk]), follow=True
    )
    assert "no restic or borg repository" in done.text
