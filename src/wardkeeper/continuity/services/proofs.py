"""Whether each backup is proven to restore, and restores recorded by hand.

The rule (the issue's words): a backup with no successful restore test in
N days is flagged, N being its system's ``restore_proof_days``. Each enabled
job is judged on its own: its newest passed restore, from any of its tests,
run by Wardkeeper or done by hand and recorded. A system is proven when
every enabled job of it is; the jobs that are not are named. So a failed
newest run of one test does not hide a pass of another test a week ago, and
a tape job nobody ever tested is not hidden by the database job's passes.

The dashboard, its exports and the NO_RESTORE_PROOF findings all read
``proof_states``. The finding waits for a new job's first N days (counted
from its first backup) before it flags a job that never passed; the
dashboard shows such a job as not proven yet.

A restore done by hand (a vendor restores a tape, the database engineer
brings a base backup up on a spare server) is recorded with
``record_manual``: a run of the job's "manual" restore test, audited, with
an optional evidence file kept as an attachment of the run.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from wardkeeper.continuity.choices import (
    FindingKind,
    ProofStatus,
    RestoreMethod,
    Trigger,
)
from wardkeeper.continuity.models import (
    BackupJob,
    BackupRun,
    ProtectedSystem,
    RestoreRun,
    RestoreTest,
)
from wardkeeper.continuity.services import findings, restore
from wardkeeper.core import audit
from wardkeeper.core.errors import DomainError
from wardkeeper.core.models import Attachment
from wardkeeper.core.models.audit import AuditAction

__all__ = [
    "JobProof",
    "ManualRestore",
    "SystemProof",
    "flag_missing",
    "proof_states",
    "record_manual",
    "start_test",
]


@dataclass(frozen=True)
class JobProof:
    """One enabled job's restore proof: its newest pass (None: never) and
    whether it is recent enough."""

    job_id: int
    name: str
    passed_at: dt.datetime | None
    first_backup: dt.datetime | None
    days: int  # the system's restore_proof_days
    now: dt.datetime

    @property
    def limit(self) -> dt.timedelta:
        return dt.timedelta(days=self.days)

    @property
    def proven(self) -> bool:
        return self.passed_at is not None and self.now - self.passed_at <= self.limit

    @property
    def overdue(self) -> bool:
        """Flagged by the daily check: no pass for longer than the limit,
        counted from the first backup when it never passed (a job with no
        backup yet has nothing to prove)."""
        since = self.passed_at or self.first_backup
        return since is not None and self.now - since > self.limit

    @property
    def why(self) -> str:
        """The job's name and what it lacks ("Weekly tape: never passed")."""
        if self.passed_at is None:
            lacks = _("never passed")
        else:
            lacks = _("last passed %(day)s") % {
                "day": timezone.localtime(self.passed_at).strftime("%Y-%m-%d")
            }
        return _("%(job)s: %(lacks)s") % {"job": self.name, "lacks": lacks}


@dataclass(frozen=True)
class SystemProof:
    """A system's restore-proof status: the worst of its enabled jobs."""

    jobs: tuple[JobProof, ...]

    @property
    def proven(self) -> bool:
        """Every enabled job passed a restore within the limit (a system with
        no enabled job has nothing proven)."""
        return bool(self.jobs) and all(job.proven for job in self.jobs)

    @property
    def unproven(self) -> list[JobProof]:
        return [job for job in self.jobs if not job.proven]

    @property
    def summary(self) -> str:
        """The jobs not proven, for the dashboard's flag and its exports."""
        if not self.jobs:
            return _("no enabled backup job")
        return "; ".join(job.why for job in self.unproven)


def _job_proofs(jobs: QuerySet[BackupJob], now: dt.datetime) -> dict[int, list[Any]]:
    """System id -> its jobs' proofs, in one query (newest pass and first
    backup as subqueries of the jobs)."""
    passes = (
        RestoreRun.objects.filter(test__job=OuterRef("pk"), status=ProofStatus.PASSED)
        .annotate(at=Coalesce("finished_at", "started_at"))
        .order_by("-at")
    )
    first = BackupRun.objects.filter(job=OuterRef("pk")).order_by("started_at")
    rows = (
        jobs.filter(enabled=True)
        .annotate(
            passed_at=Subquery(passes.values("at")[:1]),
            first_backup=Subquery(first.values("started_at")[:1]),
        )
        .order_by("name")
        .values_list(
            "pk",
            "name",
            "system_id",
            "system__restore_proof_days",
            "passed_at",
            "first_backup",
        )
    )
    found: dict[int, list[Any]] = defaultdict(list)
    for pk, name, system_id, days, passed_at, first_backup in rows:
        found[system_id].append(JobProof(pk, name, passed_at, first_backup, days, now))
    return found


def proof_states(
    systems: Iterable[ProtectedSystem], now: dt.datetime | None = None
) -> dict[int, SystemProof]:
    """Each system's restore-proof status in one query (for lists)."""
    moment = now or timezone.now()
    ids = [system.pk for system in systems]
    found = _job_proofs(BackupJob.objects.filter(system__in=ids), moment)
    return {pk: SystemProof(tuple(found.get(pk, ()))) for pk in ids}


def flag_missing(now: dt.datetime) -> dict[str, int]:
    """Flag every enabled job with no passing restore within its system's
    ``restore_proof_days`` (NO_RESTORE_PROOF, no ticket); resolve the flag
    where a pass is recent enough. Returns how many were flagged, cleared."""
    enabled = BackupJob.objects.filter(enabled=True)
    jobs = enabled.select_related("system").in_bulk()
    flagged = cleared = 0
    for proofs in _job_proofs(enabled, now).values():
        for proof in proofs:
            job = jobs[proof.job_id]
            if proof.overdue:
                _flag(job, proof, now)
                flagged += 1
            elif findings.resolve_finding(
                FindingKind.NO_RESTORE_PROOF, system=job.system, job=job, now=now
            ):
                cleared += 1
    return {"flagged": flagged, "cleared": cleared}


def _flag(job: BackupJob, proof: JobProof, now: dt.datetime) -> None:
    if proof.passed_at is None:
        message = _("%(job)s has never passed a restore test.") % {"job": job}
    else:
        message = _(
            "%(job)s has not passed a restore test for more than %(days)d days."
        ) % {"job": job, "days": proof.days}
    if not can_test(job):
        message += " " + _(
            "Wardkeeper cannot restore this tool's backups itself: record a "
            "restore done by hand."
        )
    findings.raise_finding(
        FindingKind.NO_RESTORE_PROOF,
        system=job.system,
        job=job,
        message=message,
        evidence={
            "last_pass": proof.passed_at.isoformat() if proof.passed_at else None,
            "days": proof.days,
        },
        ticket=False,
        now=now,
    )


def can_test(job: BackupJob) -> bool:
    """Whether any of Wardkeeper's own restore methods can test the job."""
    return any(
        not restore.method_problem(job.tool, method)
        for method in (RestoreMethod.SAMPLE, RestoreMethod.DATABASE)
    )


def start_test(test: RestoreTest, *, actor: Any) -> RestoreRun:
    """Queue a run of ``test`` now (``restore.start_on_demand``); raises
    DomainError for the manual test, which only people run."""
    if test.is_manual:
        raise DomainError(
            _("Restores done by hand are recorded, not run: use “Record a restore”.")
        )
    return restore.start_on_demand(test, actor=actor)


@dataclass(frozen=True)
class ManualRestore:
    """A restore people did by hand, as the engineer reports it."""

    job: BackupJob
    performed_at: dt.datetime
    duration: dt.timedelta
    restored: str
    passed: bool
    notes: str = ""
    evidence_file: UploadedFile | None = None


def manual_errors(done: ManualRestore, now: dt.datetime) -> dict[str, str]:
    """What is wrong with a reported restore, field by field."""
    errors = {}
    if done.performed_at > now:
        errors["performed_at"] = _("A restore cannot be recorded before it happened.")
    if done.duration <= dt.timedelta(0):
        errors["duration_minutes"] = _("Give how long the restore took.")
    if not done.restored.strip():
        errors["restored"] = _("Say what was restored, and onto what.")
    return errors


def manual_test(job: BackupJob) -> RestoreTest:
    """The job's test holding its restores done by hand (made, audited, on
    first use). It has no schedule: Wardkeeper never runs it."""
    test = job.restore_tests.filter(method=RestoreMethod.MANUAL).first()
    if test is None:
        test = RestoreTest(
            job=job, name=_("Restore done by hand"), method=RestoreMethod.MANUAL
        )
        test.every_days = 0
        test.save()
    return test


def record_manual(
    done: ManualRestore, *, actor: Any, now: dt.datetime | None = None
) -> RestoreRun:
    """Record a restore done by hand as a passed or failed run of the job's
    manual test (audited; the evidence file attached to the run), then keep
    the job's findings as an automatic run does. Raises DomainError naming
    the field at fault; nothing is recorded then."""
    now = now or timezone.now()
    errors = manual_errors(done, now)
    if errors:
        field, message = next(iter(errors.items()))
        raise DomainError(message, field=field)
    job, seconds = done.job, done.duration.total_seconds()
    with transaction.atomic():
        run = RestoreRun.objects.create(
            test=manual_test(job),
            status=ProofStatus.PASSED if done.passed else ProofStatus.FAILED,
            trigger=Trigger.MANUAL,
            started_by=actor,
            started_at=done.performed_at,
            claimed_at=done.performed_at,
            finished_at=done.performed_at + done.duration,
            duration_seconds=round(seconds, 2),
            within_rto=seconds <= job.system.rto_minutes * 60,
            restored=done.restored.strip()[:300],
            message=done.notes.strip()[:2000],
            evidence={"method": RestoreMethod.MANUAL},
        )
        audit.record(
            AuditAction.CREATE,
            run,
            changes=_changes(run),
            message=_("restore done by hand recorded"),
        )
        if done.evidence_file is not None:
            Attachment(
                target=run,
                file=done.evidence_file,
                description=_("Evidence of the restore"),
                uploaded_by=actor,
            ).save()
    # As after an automatic run: the failed-restore finding opens or clears,
    # then the job's proof is judged again (a pass recorded late may be old).
    restore.settle(job, run)
    _judge(job, now)
    return run


def _changes(run: RestoreRun) -> dict[str, list[Any]]:
    fields = ("test_id", "status", "started_at", "duration_seconds", "restored")
    return {name: [None, audit.jsonable(getattr(run, name))] for name in fields}


def _judge(job: BackupJob, now: dt.datetime) -> None:
    proofs = _job_proofs(BackupJob.objects.filter(pk=job.pk), now)
    for proof in proofs.get(job.system_id, ()):
        if proof.overdue:
            _flag(job, proof, now)
        else:
            findings.resolve_finding(
                FindingKind.NO_RESTORE_PROOF, system=job.system, job=job, now=now
            )


def attachments_of(run: RestoreRun) -> list[Attachment]:
    """The evidence files kept with a run, newest first."""
    return list(Attachment.objects.of(RestoreRun, run.pk))
