"""The demo's restic and borg jobs read real repositories (a few files, two
snapshots known by the runs' ids), so a read adds nothing and reports no
error and a restore test passes; the LIS copy's failed restore has its
finding and ticket; without the tools, no repository and nothing scheduled."""

from __future__ import annotations

import pytest

from wardkeeper.continuity import demo_repos
from wardkeeper.continuity.choices import (
    BackupTool,
    FindingKind,
    FindingState,
    ProofStatus,
)
from wardkeeper.continuity.models import BackupJob, Finding, RestoreTest
from wardkeeper.continuity.services import readers, restore

pytestmark = pytest.mark.xdist_group("continuity_demo")


@pytest.fixture
def db_demo(demo_with_repositories, db):
    return demo_with_repositories


def test_repository_jobs_read_cleanly_and_the_full_restore_passes(db_demo):
    jobs = BackupJob.objects.filter(tool__in=[BackupTool.RESTIC, BackupTool.BORG])
    assert jobs.count() == 7
    for job in jobs:
        assert job.repository
        assert job.repository_password
        outcome = readers.read_repository(job)
        assert (outcome.error, outcome.created) == ("", 0), job
        job.refresh_from_db()
        assert job.last_read_error == ""

    # (One test: the demo with its repositories is built once.)
    # The monthly full restore passes on the real repository.
    test = RestoreTest.objects.get(
        job__system__name="Hospital website", name="Monthly full restore"
    )
    assert test.every_days == 30
    run = restore.execute(restore.start_on_demand(test, actor=None))
    assert run.status == ProofStatus.PASSED, run.evidence
    assert run.backup is not None  # the snapshot is the newest run's
    assert not Finding.objects.filter(
        job=test.job, kind=FindingKind.RESTORE_FAILED, state=FindingState.OPEN
    ).exists()


def test_without_the_tools_a_job_gets_no_repository(settings, tmp_path):
    settings.CONTINUITY_RESTIC = str(tmp_path / "no-restic")
    settings.CONTINUITY_BORG = str(tmp_path / "no-borg")
    tools = demo_repos.available_tools()
    assert tools == set()
    plan = demo_repos.plan_for(tmp_path, "HIS", "Nightly full", "restic", tools)
    assert (plan.path, plan.password) == ("", "")
