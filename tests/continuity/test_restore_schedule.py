"""When restore tests run: on schedule (once per interval, one worker per
run), on demand (once at a time, audited), and the daily flag on backups
with no recent restore proof."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.factories.continuity import (
    RestoreRunFactory,
    RestoreTestFactory,
)
from tests.factories.core import UserFactory
from wardkeeper.continuity.choices import (
    FindingKind,
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
