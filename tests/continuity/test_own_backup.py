"""``wardkeeper backup`` reports its own runs to the Wardkeeper system's job
(CONTINUITY_OWN_BACKUP_JOB), so its RPO is watched like every system's."""

from __future__ import annotations

import io
import json
import tarfile

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from tests.core.test_backup_support import environment, wardkeeper
from tests.factories.continuity import BackupJobFactory
from wardkeeper.continuity.choices import RunStatus
from wardkeeper.continuity.services import rpo

MAKE_JOB = """
from wardkeeper.continuity.models import BackupDestination, BackupJob, ProtectedSystem
system = ProtectedSystem.objects.create(name="Wardkeeper", rpo_minutes=1440, rto_minutes=240)
nas = BackupDestination.objects.create(name="NAS", media="nas")
print(BackupJob.objects.create(system=system, name="wardkeeper backup", tool="webhook", destination=nas).pk)
"""
READ_RUNS = """
import json
from wardkeeper.continuity.models import BackupRun
from wardkeeper.continuity.services import rpo
run = BackupRun.objects.select_related("job__system").get()
print(json.dumps({"status": run.status, "size": run.size_bytes, "message": run.message,
                  "source": run.source, "in_rpo": rpo.rpo_state(run.job.system).is_ok}))
"""


def shell(env: dict[str, str], code: str) -> str:
    done = wardkeeper(env, "shell", "-c", code)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout.strip().splitlines()[-1]


def test_a_written_backup_is_a_run_of_the_job_and_meets_the_rpo(tmp_path):
    # A real installation: the command cannot back up the suite's in-memory
    # database, and an operator runs it in a process of its own.
    env = environment(tmp_path / "data")
    assert wardkeeper(env, "migrate", "--verbosity", "0").returncode == 0
    env["WARDKEEPER_CONTINUITY_OWN_BACKUP_JOB"] = shell(env, MAKE_JOB)
    archive = tmp_path / "wardkeeper-nightly.tar.gz"
    done = wardkeeper(env, "backup", "--output", str(archive))
    assert done.returncode == 0, done.stderr[-2000:]
    assert "Recorded as a run of wardkeeper backup (Wardkeeper)." in done.stdout
    assert tarfile.is_tarfile(archive)
    run = json.loads(shell(env, READ_RUNS))
    assert run == {
        "status": "success",
        "size": archive.stat().st_size,
        "message": str(archive),
        "source": "webhook",
        "in_rpo": True,
    }


@pytest.mark.django_db
def test_a_failed_backup_is_a_failed_run_saying_why(settings, tmp_path):
    job = BackupJobFactory(system__rpo_minutes=1440)
    settings.CONTINUITY_OWN_BACKUP_JOB = job.pk
    missing = tmp_path / "no-such-folder" / "wardkeeper.tar.gz"
    with pytest.raises(CommandError, match="does not exist"):
        call_command("backup", "--output", str(missing), stdout=io.StringIO())
    run = job.runs.get()
    assert run.status == RunStatus.FAILED
    assert "does not exist" in run.message
    assert run.size_bytes is None
    assert not rpo.rpo_state(job.system).is_ok


@pytest.mark.django_db
def test_without_a_job_nothing_is_recorded_and_a_wrong_one_is_said(settings):
    from wardkeeper.continuity.own_backup import report_run

    job = BackupJobFactory()
    now = timezone.now()
    told = {"started_at": now, "finished_at": now}
    told |= {"path": "/backups/a.tar.gz", "size": 10, "error": ""}
    assert report_run(None, **told) is None
    settings.CONTINUITY_OWN_BACKUP_JOB = job.pk + 1000
    assert "does not exist: this run is not recorded" in report_run(None, **told)
    assert not job.runs.exists()
