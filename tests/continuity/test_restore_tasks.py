"""The worker's restore jobs: queued runs are worked off by a background
thread (the loop keeps going), due tests are queued, missing proofs flagged."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.factories.continuity import BackupJobFactory, RestoreTestFactory
from tests.factories.continuity_proofs import scratch  # noqa: F401
from wardkeeper.continuity import tasks_proofs
from wardkeeper.continuity.choices import ProofStatus
from wardkeeper.continuity.services import restore

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("scratch"),
]
NOW = dt.datetime(2026, 3, 4, 2, 0, tzinfo=dt.UTC)


def test_a_queued_run_is_run_by_the_restore_thread(tmp_path):
    job = BackupJobFactory(repository=str(tmp_path / "no-such-repo"))
    test = RestoreTestFactory(job=job)
    restore.start_on_demand(test, actor=None)
    assert tasks_proofs.start_queued_runs(NOW) == {"started": 1, "abandoned": 0}
    tasks_proofs._runner.join(timeout=60)
    run = test.runs.get()
    assert run.status == ProofStatus.FAILED
    assert "Could not read the repository" in run.message
    # Nothing waits: no second thread.
    assert tasks_proofs.start_queued_runs(NOW)["started"] == 0


def test_the_schedule_job_queues_due_tests():
    RestoreTestFactory(every_days=1)
    assert tasks_proofs.queue_due_tests(NOW) == {"queued": 1}
    assert tasks_proofs.queue_due_tests(NOW) == {"queued": 0}


def test_the_daily_job_reports_what_it_flagged():
    assert tasks_proofs.flag_missing_proofs(NOW) == {"flagged": 0, "cleared": 0}
