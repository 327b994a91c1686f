"""When restore tests run: on schedule (once per interval, one worker per
run), on demand (once at a time, audited), and the daily flag on backups
with no recent restore proof."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.factories.continuity import (
    BackupJobFactory,
    BackupRunFactory,
    ProtectedSystemFactory,
    RestoreRunFactory,
    RestoreTestFactory,
)
from tests.factories.core import UserFactory
from wardkeeper.continuity.choices import (
    FindingKind,
    FindingState,
    ProofStatus,
    Trigger,
)
from wardkeeper.continuity.models import Finding, RestoreRun
from wardkeeper.continuity.services import restore
from wardkeeper.core import audit
from wardkeeper.core.errors import DomainError

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 3, 4, 2, 0, tzinfo=dt.UTC)


def test_a_due_test_is_queued_once_per_interval():
    test = RestoreTestFactory(every_days=7)
    RestoreTestFactory(every_days=0)  # on demand only
    RestoreTestFactory(every_days=7, enabled=False)
    queued = restore.schedule_due(NOW)
    assert [run.test for run in queued] == [test]
    assert queued[0].trigger == Trigger.SCHEDULE
    assert restore.schedule_due(NOW + dt.timedelta(days=1)) == []
    RestoreRun.objects.update(status=ProofStatus.PASSED)
    assert len(restore.schedule_due(NOW + dt.timedelta(days=7))) == 1


def test_a_recent_on_demand_run_postpones_the_schedule():
    test = RestoreTestFactory(every_days=7)
    RestoreRunFactory(test=test, status=ProofStatus.PASSED, started_at=NOW)
    assert restore.schedule_due(NOW + dt.timedelta(days=3)) == []


def test_a_queued_run_is_claimed_by_one_worker_only():
    run = RestoreRunFactory()
    assert restore.claim_next(NOW) == run
    assert restore.claim_next(NOW) is None


def test_run_now_is_audited_and_refused_while_running():
    user = UserFactory(username="dana")
    test = RestoreTestFactory()
    run = restore.start_on_demand(test, actor=user)
    assert (run.trigger, run.started_by, run.status) == (
        Trigger.ON_DEMAND,
        user,
        ProofStatus.RUNNING,
    )
    entry = audit.history(run).get()
    assert "on demand" in entry.message
    with pytest.raises(DomainError):
        restore.start_on_demand(test, actor=user)


def test_a_run_left_by_a_stopped_worker_fails(settings):
    settings.CONTINUITY_RESTORE_TIMEOUT_SECONDS = 60
    run = RestoreRunFactory(claimed_at=NOW - dt.timedelta(hours=2))
    assert restore.abandon_stale(NOW) == 1
    run.refresh_from_db()
    assert run.status == ProofStatus.FAILED
    assert "worker stopped" in run.message
    assert Finding.objects.get().kind == FindingKind.RESTORE_FAILED


def test_a_job_without_a_recent_pass_is_flagged_without_a_ticket():
    system = ProtectedSystemFactory(restore_proof_days=30)
    old = BackupJobFactory(system=system, name="old proof")
    never = BackupJobFactory(system=system, name="never tested")
    fresh = BackupJobFactory(system=system, name="fresh proof")
    BackupJobFactory(system=system, name="no backups yet")
    RestoreRunFactory(
        test=RestoreTestFactory(job=old),
        status=ProofStatus.PASSED,
        finished_at=NOW - dt.timedelta(days=31),
    )
    RestoreRunFactory(
        test=RestoreTestFactory(job=fresh),
        status=ProofStatus.PASSED,
        finished_at=NOW - dt.timedelta(days=2),
    )
    BackupRunFactory(job=never, started_at=NOW - dt.timedelta(days=40))
    assert restore.proofs_due(NOW) == {"flagged": 2, "cleared": 0}
    flagged = Finding.objects.filter(kind=FindingKind.NO_RESTORE_PROOF)
    assert {f.job.name for f in flagged} == {"old proof", "never tested"}
    assert all(f.ticket is None for f in flagged)
    assert "never passed" in flagged.get(job=never).message


def test_a_new_pass_clears_the_flag():
    job = BackupJobFactory()
    BackupRunFactory(job=job, started_at=NOW - dt.timedelta(days=40))
    restore.proofs_due(NOW)
    RestoreRunFactory(
        test=RestoreTestFactory(job=job), status=ProofStatus.PASSED, finished_at=NOW
    )
    assert restore.proofs_due(NOW) == {"flagged": 0, "cleared": 1}
    assert Finding.objects.get().state == FindingState.RESOLVED
