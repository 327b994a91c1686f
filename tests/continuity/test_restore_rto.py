"""What a restore run says about the RTO: a passed full restore is within or
over it; a passed sample gives an estimate of the full restore (its pace
times the backup's size), labelled as one; a failed run gives no verdict."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories.continuity import (
    BackupJobFactory,
    BackupRunFactory,
    RestoreRunFactory,
    RestoreTestFactory,
    database_engineer_persona,
)
from tests.factories.continuity_ingest import fill, restic, restic_job
from wardkeeper.continuity.choices import RestoreMethod
from wardkeeper.continuity.services import readers, restore
from wardkeeper.continuity.services.restore_tools import Outcome

pytestmark = pytest.mark.django_db
GB = 1024**3


def finished(test, outcome, seconds):
    """A queued run of ``test`` finished with ``outcome`` as the worker would."""
    run = RestoreRunFactory(test=test, started_at=timezone.now())
    return restore.finish(run, test, outcome, seconds=seconds)


def page_of(login, run):
    client = login(database_engineer_persona())
    return client.get(reverse("continuity:restorerun-detail", args=[run.pk]))


def sample_test(rto_minutes=240, backup_gb=40):
    job = BackupJobFactory(system__rto_minutes=rto_minutes)
    BackupRunFactory(
        job=job,
        external_id="snap-1",
        size_bytes=backup_gb * GB,
        started_at=timezone.now() - dt.timedelta(hours=3),
    )
    return RestoreTestFactory(job=job, method=RestoreMethod.SAMPLE)


def sample_outcome(restored_gb=2):
    return Outcome(
        True,
        "200 restored files match.",
        "snap-1",
        ["snap-1"],
        {"sample": True, "files_compared": 200, "bytes_compared": restored_gb * GB},
    )


def test_a_passed_sample_gives_an_estimate_of_the_full_restore(login):
    # 2 GB in 10 minutes; the backup holds 40 GB: about 200 minutes.
    run = finished(sample_test(rto_minutes=240), sample_outcome(2), seconds=600)
    assert run.within_rto is None
    assert run.evidence["full_estimate"]["seconds"] == 12_000
    html = page_of(login, run).content.decode()
    assert "full restore ≈ 200 min (estimate): within the RTO" in html
    assert 'id="run-estimate"' in html


def test_a_sample_too_slow_for_the_whole_backup_is_over_the_rto(login):
    # 2 GB in 18 minutes; 380 GB to restore: about 57 hours against 4.
    run = finished(sample_test(240, backup_gb=380), sample_outcome(2), seconds=1080)
    html = page_of(login, run).content.decode()
    assert "full restore ≈ 57 h (estimate): over the RTO" in html
    assert ">within the RTO<" not in html


def test_a_failed_run_has_no_verdict(login):
    test = RestoreTestFactory(method=RestoreMethod.FULL)
    run = finished(test, Outcome(False, "The restore failed: damaged pack"), 5)
    assert run.within_rto is None
    html = page_of(login, run).content.decode()
    assert "within the RTO" not in html
    assert "over the RTO" not in html


def test_a_passed_full_restore_is_judged_against_the_rto(login):
    test = RestoreTestFactory(method=RestoreMethod.FULL, job__system__rto_minutes=60)
    run = finished(test, Outcome(True, "12 restored files match."), 30)
    assert run.within_rto is True
    assert ">within the RTO<" in page_of(login, run).content.decode()


def test_a_real_sample_of_a_few_files_is_too_small_to_estimate(login, tmp_path):
    live = fill(tmp_path / "live", files=5, size=4096)
    job = restic_job(tmp_path, system__rto_minutes=240)
    restic(tmp_path / "restic-repo", "backup", str(live))
    readers.read_repository(job)
    test = RestoreTestFactory(job=job, method=RestoreMethod.SAMPLE, sample_files=3)
    restore.start_on_demand(test, actor=None)
    assert restore.run_pending() == 1
    run = test.runs.get()
    assert run.status == "passed", run.message
    assert run.within_rto is None
    assert run.evidence["full_estimate"]["missing"] == "small"
    html = page_of(login, run).content.decode()
    assert "sample too small to estimate a full restore" in html
    assert "within the RTO" not in html
