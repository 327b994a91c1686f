"""restic and borg repositories are read with the real tools: each snapshot
or archive becomes one run, once, with its size; a repository that cannot be
read says why and stores nothing."""

import pytest
from django.utils import timezone

from tests.factories.continuity import BackupJobFactory
from tests.factories.continuity_ingest import (
    PASSWORD,
    borg,
    borg_job,
    fill,
    restic,
    restic_job,
)
from wardkeeper.continuity.choices import BackupTool, RunSource, RunStatus
from wardkeeper.continuity.services import readers
from wardkeeper.continuity.services.readers.tool import parse_time
from wardkeeper.core.models.audit import AuditEntry

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _cache_in_tmp(settings, tmp_path):
    settings.DATA_DIR = tmp_path / "data"


@pytest.fixture(scope="module")
def one_snapshot(tmp_path_factory):
    """A restic repository holding one snapshot, made once with restic; the
    tests that only read it share it."""
    root = tmp_path_factory.mktemp("one-snapshot")
    repo = root / "restic-repo"
    restic(repo, "init")
    restic(repo, "backup", str(fill(root / "d", files=1, size=10)))
    return repo


def shared_job(repo, password=PASSWORD):
    return BackupJobFactory(
        tool=BackupTool.RESTIC, repository=str(repo), repository_password=password
    )


def test_restic_snapshots_become_runs_once(tmp_path):
    job = restic_job(tmp_path)
    data = fill(tmp_path / "data-tree", files=3, size=40_000)
    restic(job.repository, "backup", str(data))
    (data / "extra.bin").write_bytes(b"x" * 10_000)
    restic(job.repository, "backup", str(data))

    outcome = readers.read_repository(job)

    assert outcome.ok, outcome.error
    assert outcome.created == 2
    runs = list(job.runs.order_by("started_at"))
    assert [run.status for run in runs] == [RunStatus.SUCCESS] * 2
    assert {run.source for run in runs} == {RunSource.REPOSITORY}
    assert [run.size_bytes for run in runs] == [120_000, 130_000]
    assert len(runs[0].external_id) == 64  # the full snapshot id
    assert "snapshot" in runs[0].message
    # Read again: nothing new, nothing stored twice, nothing audited.
    entries = AuditEntry.objects.count()
    assert readers.read_repository(job).created == 0
    assert job.runs.count() == 2
    assert AuditEntry.objects.count() == entries


def test_borg_archives_become_runs_with_their_times_and_size(tmp_path):
    job = borg_job(tmp_path)
    data = fill(tmp_path / "data-tree", files=2, size=50_000)
    home = tmp_path / "borg-home"
    borg("create", f"{job.repository}::monday", str(data), base=home)
    borg(
        "create",
        "--timestamp",
        "2026-03-01T01:00:00",
        f"{job.repository}::sunday",
        str(data),
        base=home,
    )

    outcome = readers.read_repository(job)

    assert outcome.ok, outcome.error
    runs = {run.external_id: run for run in job.runs.all()}
    assert set(runs) == {"monday", "sunday"}
    assert runs["sunday"].started_at == parse_time("2026-03-01T01:00:00Z")
    assert runs["monday"].size_bytes == 100_000
    assert runs["monday"].files == 2
    assert runs["monday"].finished_at >= runs["monday"].started_at
    assert readers.read_repository(job).created == 0


def test_a_wrong_password_is_told_and_stores_nothing(one_snapshot):
    job = shared_job(one_snapshot, password="not the password")

    outcome = readers.read_repository(job)

    assert not outcome.ok
    assert "wrong password" in outcome.error
    assert not job.runs.exists()


def test_a_missing_repository_and_a_missing_tool_are_told(tmp_path, settings):
    job = borg_job(tmp_path)
    job.repository = str(tmp_path / "nowhere")
    job.save()
    assert "does not exist" in readers.read_repository(job).error

    settings.CONTINUITY_BORG = str(tmp_path / "no-borg-here")
    assert "not installed" in readers.read_repository(job).error


def test_read_due_reads_every_readable_job_and_counts_failures(one_snapshot):
    good = shared_job(one_snapshot)
    broken = shared_job(one_snapshot, password="wrong")

    totals = readers.read_due(timezone.now())

    assert totals == {"jobs": 2, "runs": 1, "failed": 1}
    assert good.runs.count() == 1
    assert not broken.runs.exists()
