"""How old the newest good backup of a job or a system is, against the
system's RPO (recovery-point objective).

A system is as fresh as its least fresh data: each data store counts the
newest successful run of any enabled job protecting it, and the system the
oldest of those (jobs naming no data store protect "the whole system", one
group of their own). So a weekly tape copy does not hide a daily job that
stopped, and a stopped job does not hide behind a fresh job of other data.
A run "succeeded with warnings" counts as a success.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Max, Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone

from wardkeeper.continuity.choices import RunStatus
from wardkeeper.continuity.models import BackupJob, BackupRun, ProtectedSystem

__all__ = [
    "SUCCESSFUL",
    "RpoState",
    "RpoStatus",
    "last_success",
    "last_success_by_job",
    "rpo_state",
    "rpo_states",
    "successful_runs",
]

SUCCESSFUL = (RunStatus.SUCCESS, RunStatus.WARNING)
WHOLE_SYSTEM = 0  # the group of a system's jobs that name no data store


class RpoStatus(enum.StrEnum):
    OK = "ok"
    OVERDUE = "overdue"
    NEVER = "never"  # no successful backup at all (or no enabled job)


@dataclass(frozen=True)
class RpoState:
    """A system's freshness: its last good backup's time and age (None when
    there is none), the RPO, and whether the age is within it."""

    status: RpoStatus
    last: dt.datetime | None
    age: dt.timedelta | None
    rpo: dt.timedelta

    @property
    def is_ok(self) -> bool:
        return self.status == RpoStatus.OK

    @property
    def overdue_by(self) -> dt.timedelta | None:
        if self.age is None or self.status != RpoStatus.OVERDUE:
            return None
        return self.age - self.rpo


def successful_runs() -> QuerySet[BackupRun]:
    return BackupRun.objects.filter(status__in=SUCCESSFUL)


def _ended() -> Coalesce:
    return Coalesce("runs__finished_at", "runs__started_at")


def last_success_by_job(jobs: QuerySet[BackupJob]) -> dict[int, dt.datetime | None]:
    """Each job's newest successful run's end, in one query."""
    rows = jobs.annotate(
        last_ok=Max(_ended(), filter=Q(runs__status__in=SUCCESSFUL))
    ).values_list("pk", "last_ok")
    return dict(rows)


def last_success(subject: ProtectedSystem | BackupJob) -> dt.datetime | None:
    """When the newest successful backup of a job ended; of a system, the
    oldest of its data stores' newest (see the module's docstring)."""
    if isinstance(subject, BackupJob):
        return last_success_by_job(BackupJob.objects.filter(pk=subject.pk)).get(
            subject.pk
        )
    return _system_last({subject.pk}).get(subject.pk)


def _system_last(system_ids: set[int]) -> dict[int, dt.datetime | None]:
    """Per system id (with at least one enabled job), its last good backup."""
    jobs = BackupJob.objects.filter(system_id__in=system_ids, enabled=True)
    by_job = last_success_by_job(jobs)
    system_of = dict(jobs.values_list("pk", "system_id"))
    covers: dict[int, set[int]] = defaultdict(set)
    for job_id, store_id in BackupJob.data_stores.through.objects.filter(
        backupjob_id__in=list(by_job)
    ).values_list("backupjob_id", "datastore_id"):
        covers[job_id].add(store_id)
    # (system, data store or WHOLE_SYSTEM) -> its jobs' successes.
    groups: dict[tuple[int, int], list[dt.datetime]] = defaultdict(list)
    for job_id, last in by_job.items():
        for store in covers.get(job_id) or {WHOLE_SYSTEM}:
            found = groups[(system_of[job_id], store)]
            if last is not None:
                found.append(last)
    result: dict[int, dt.datetime | None] = {}
    never: set[int] = set()  # a data store never backed up: no good point
    for (system_id, _store), found in groups.items():
        if not found:
            never.add(system_id)
            continue
        known = result.get(system_id)
        result[system_id] = max(found) if known is None else min(known, max(found))
    result.update(dict.fromkeys(never))
    return result


def rpo_states(
    systems: Iterable[ProtectedSystem], now: dt.datetime | None = None
) -> dict[int, RpoState]:
    """Each system's RPO state in a fixed number of queries (for lists)."""
    moment = now or timezone.now()
    systems = list(systems)
    lasts = _system_last({s.pk for s in systems})
    states = {}
    for system in systems:
        last = lasts.get(system.pk)
        if last is None:
            states[system.pk] = RpoState(RpoStatus.NEVER, None, None, system.rpo)
            continue
        age = max(moment - last, dt.timedelta(0))
        status = RpoStatus.OK if age <= system.rpo else RpoStatus.OVERDUE
        states[system.pk] = RpoState(status, last, age, system.rpo)
    return states


def rpo_state(system: ProtectedSystem, now: dt.datetime | None = None) -> RpoState:
    """Whether the system's last good backup is within its RPO, and its age."""
    return rpo_states([system], now)[system.pk]
