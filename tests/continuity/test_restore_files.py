"""Restore tests of restic and borg repositories, with the real tools: a
sample or everything restored into scratch and compared; a repository the
test damaged fails, names the error, and opens a finding with a ticket."""

from __future__ import annotations

import os
import shutil

import pytest

from tests.factories.continuity_proofs import (
    borg_repo,
    corrupt_largest_file,
    file_job,
    file_test,
    live_folder,
    restic_repo,
    scratch,  # noqa: F401
    scratch_left,
)
from wardkeeper.continuity.choices import (
    BackupTool,
    CompareWith,
    FindingKind,
    FindingState,
    ProofStatus,
    RestoreMethod,
)
from wardkeeper.continuity.models import Finding, RestoreRun
from wardkeeper.continuity.services import restore
from wardkeeper.servicedesk.models import Ticket

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("scratch"),
]

REPOS = {BackupTool.RESTIC: restic_repo, BackupTool.BORG: borg_repo}


def run_now(test, user=None) -> RestoreRun:
    restore.start_on_demand(test, actor=user)
    assert restore.run_pending() == 1
    return test.runs.get()


@pytest.fixture(scope="module")
def pristine(tmp_path_factory):
    """Per tool, a live folder and a repository backed up from it, made once
    with the real tool; a test works on a copy (see ``repo``)."""
    made = {}
    for tool, make_repo in REPOS.items():
        work = tmp_path_factory.mktemp(f"{tool}-work")
        live = live_folder(work)
        repo = make_repo(work, live)
        kept = work.parent / f"{work.name}-pristine"
        shutil.copytree(work, kept, symlinks=True)
        made[tool] = (work, kept, repo, live)
    return made


@pytest.fixture(params=list(REPOS))
def repo(request, pristine, settings, tmp_path):
    """The tool, its repository and the live folder, as the backup left them:
    copied back (times kept) to where the backup read them, since the
    snapshot names those paths; a test may change or damage them."""
    tool = request.param
    work, kept, path, live = pristine[tool]
    shutil.rmtree(work)
    shutil.copytree(kept, work, symlinks=True)
    # The tool's cache of this test only, as for a repository of its own.
    settings.DATA_DIR = tmp_path / "data"
    return tool, path, live


def test_a_sample_restores_and_matches_the_snapshot(repo):
    tool, path, live = repo
    test = file_test(file_job(tool, path, live, rto_minutes=60), sample_files=5)
    run = run_now(test)
    assert run.status == ProofStatus.PASSED, run.evidence
    assert run.evidence["files_compared"] == 5
    assert run.evidence["sample"] is True
    assert all(row["result"] == "match" for row in run.evidence["files"])
    assert all(len(row["sha256"]) == 64 for row in run.evidence["files"])
    assert run.within_rto is None  # a sample does not time a full restore
    assert run.duration_seconds is not None
    assert run.snapshot
    assert scratch_left() == []  # scratch removed


def test_the_same_snapshot_gives_the_same_sample(repo):
    tool, path, live = repo
    test = file_test(file_job(tool, path, live), sample_files=4)
    first = run_now(test)
    test.runs.all().delete()
    second = run_now(test)
    assert [r["path"] for r in first.evidence["files"]] == [
        r["path"] for r in second.evidence["files"]
    ]


def test_a_full_restore_compares_every_file_with_the_live_data(repo):
    tool, path, live = repo
    test = file_test(file_job(tool, path, live), RestoreMethod.FULL, CompareWith.LIVE)
    run = run_now(test)
    assert run.status == ProofStatus.PASSED, run.evidence
    assert run.evidence["files_compared"] == 13
    assert "scans/ct [1]*.dcm" in " ".join(r["path"] for r in run.evidence["files"])


def test_a_live_file_changed_after_the_backup_is_a_note(repo):
    tool, path, live = repo
    (live / "report-03.txt").write_text("edited after the backup")
    (live / "report-04.txt").unlink()
    test = file_test(file_job(tool, path, live), RestoreMethod.FULL, CompareWith.LIVE)
    run = run_now(test)
    assert run.status == ProofStatus.PASSED
    results = {r["path"].rsplit("/", 1)[-1]: r["result"] for r in run.evidence["files"]}
    assert results["report-03.txt"] == "live_changed"
    assert results["report-04.txt"] == "live_missing"
    assert run.evidence["notes"] == 2


def test_a_live_file_that_differs_without_a_change_fails(repo):
    tool, path, live = repo
    changed = live / "report-05.txt"
    stamp = changed.stat()
    changed.write_bytes(b"x" * stamp.st_size)
    # Put an old time on it: the file claims it was not touched since the
    # backup (an hour before its own time, so a snapshot time kept to the
    # second never looks older than it).
    hour = 3600 * 10**9
    os.utime(changed, ns=(stamp.st_atime_ns - hour, stamp.st_mtime_ns - hour))
    test = file_test(file_job(tool, path, live), RestoreMethod.FULL, CompareWith.LIVE)
    run = run_now(test)
    assert run.status == ProofStatus.FAILED
    bad = [r for r in run.evidence["files"] if r["result"] == "live_differs"]
    assert [r["path"].rsplit("/", 1)[-1] for r in bad] == ["report-05.txt"]
    assert "1 of 13" in run.message


def test_a_corrupted_repository_fails_names_the_error_and_opens_a_ticket(repo):
    tool, path, live = repo
    corrupt_largest_file(path / "data")
    test = file_test(file_job(tool, path, live), RestoreMethod.FULL)
    run = run_now(test)
    assert run.status == ProofStatus.FAILED
    error = run.evidence["error"]
    expected = "ciphertext verification failed" if tool == "restic" else "checksum"
    assert expected in error, error
    assert error in run.message
    finding = Finding.objects.get(kind=FindingKind.RESTORE_FAILED)
    assert finding.job == test.job
    assert run.ticket == finding.ticket == Ticket.objects.get()
    assert scratch_left() == []


def test_a_passing_run_resolves_the_finding(repo, tmp_path):
    tool, path, live = repo
    job = file_job(tool, path, live)
    test = file_test(job, sample_files=3)
    job.repository = str(tmp_path / "missing")
    job.save()
    assert run_now(test).status == ProofStatus.FAILED
    assert Finding.objects.get().state == FindingState.OPEN
    job.repository = str(path)
    job.save()
    test.refresh_from_db()
    restore.start_on_demand(test, actor=None)
    restore.run_pending()
    assert test.runs.first().status == ProofStatus.PASSED
    assert Finding.objects.get().state == FindingState.RESOLVED
