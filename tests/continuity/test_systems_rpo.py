"""A system's freshness against its RPO: per data store, the oldest wins."""

import datetime as dt

import pytest
from django.utils import timezone

from tests.factories.continuity import (
    BackupJobFactory,
    BackupRunFactory,
    DataStoreFactory,
    ProtectedSystemFactory,
)
from wardkeeper.continuity.choices import RunStatus
from wardkeeper.continuity.services.rpo import RpoStatus, last_success, rpo_state

pytestmark = pytest.mark.django_db
NOW = timezone.now()


def run(job, hours_ago, status=RunStatus.SUCCESS):
    started = NOW - dt.timedelta(hours=hours_ago)
    return BackupRunFactory(job=job, status=status, started_at=started)


def test_a_system_without_jobs_was_never_backed_up():
    state = rpo_state(ProtectedSystemFactory())
    assert state.status == RpoStatus.NEVER
    assert state.age is None


def test_a_fresh_success_is_within_the_rpo():
    job = BackupJobFactory(system__rpo_minutes=24 * 60)
    run(job, 30, RunStatus.SUCCESS)
    run(job, 2, RunStatus.WARNING)  # with warnings: still a good backup
    run(job, 1, RunStatus.FAILED)
    state = rpo_state(job.system, NOW)
    assert state.status == RpoStatus.OK
    assert last_success(job) == NOW - dt.timedelta(hours=2) + dt.timedelta(minutes=10)


def test_only_failures_since_the_rpo_make_it_overdue():
    job = BackupJobFactory(system__rpo_minutes=60)
    run(job, 5)
    run(job, 1, RunStatus.FAILED)
    state = rpo_state(job.system, NOW)
    assert state.status == RpoStatus.OVERDUE
    assert state.overdue_by > dt.timedelta(hours=3)


def test_a_stopped_job_is_not_hidden_by_a_fresh_job_of_other_data():
    system = ProtectedSystemFactory(rpo_minutes=24 * 60)
    database, files = DataStoreFactory(system=system), DataStoreFactory(system=system)
    db_job = BackupJobFactory(system=system)
    db_job.data_stores.set([database])
    file_job = BackupJobFactory(system=system)
    file_job.data_stores.set([files])
    run(db_job, 21 * 24)  # stopped three weeks ago
    run(file_job, 3)
    state = rpo_state(system, NOW)
    assert state.status == RpoStatus.OVERDUE
    assert state.age > dt.timedelta(days=20)


def test_a_second_copy_of_the_same_data_keeps_it_fresh():
    system = ProtectedSystemFactory(rpo_minutes=24 * 60)
    database = DataStoreFactory(system=system)
    daily, weekly = BackupJobFactory(system=system), BackupJobFactory(system=system)
    daily.data_stores.set([database])
    weekly.data_stores.set([database])
    run(daily, 3)
    run(weekly, 24 * 6)
    assert rpo_state(system, NOW).is_ok


def test_a_disabled_job_does_not_count():
    job = BackupJobFactory(enabled=False)
    run(job, 1)
    assert rpo_state(job.system).status == RpoStatus.NEVER
