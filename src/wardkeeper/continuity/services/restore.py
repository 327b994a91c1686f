"""Running restore tests and keeping their findings.

A run is one ``RestoreRun`` row: queued (``claimed_at`` empty) by a person's
"Run now" or by the schedule, taken up by exactly one worker (a conditional
update of ``claimed_at``), then finished as passed or failed with its
duration against the system's RTO and its evidence. The methods live in
``restore_files`` (restic, borg) and ``restore_database`` (pg_dump).

A failed run opens the job's RESTORE_FAILED finding (alert and ticket);
once every enabled test of the job passes again it is resolved. Which jobs
lack a recent enough pass is ``proofs``' to say (NO_RESTORE_PROOF)."""

from __future__ import annotations

import datetime as dt
import logging
import time
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from wardkeeper.continuity.choices import (
    BackupTool,
    FindingKind,
    ProofStatus,
    RestoreMethod,
    Trigger,
)
from wardkeeper.continuity.models import BackupJob, BackupRun, RestoreRun, RestoreTest
from wardkeeper.continuity.services import restore_rto
from wardkeeper.continuity.services.findings import raise_finding, resolve_finding
from wardkeeper.continuity.services.restore_tools import (
    Outcome,
    timeout_seconds,
)
from wardkeeper.core import audit
from wardkeeper.core.errors import DomainError
from wardkeeper.core.models.audit import AuditAction

logger = logging.getLogger(__name__)

# A claimed run not finished this long after its commands' own time limit
# was abandoned by a worker that stopped (restart, crash).
ABANDON_MARGIN = dt.timedelta(minutes=30)


def method_problem(tool: str, method: str) -> str:
    """Why ``method`` cannot test a job written by ``tool`` ("" if it can)."""
    if method == RestoreMethod.MANUAL:
        return _("A restore done by hand is recorded, not run.")
    if method == RestoreMethod.DATABASE and tool != BackupTool.PG_DUMP:
        return _("Restoring a database needs a pg_dump job.")
    if method != RestoreMethod.DATABASE and not BackupTool.reads_repository(tool):
        return _("Restoring files needs a restic or borg job.")
    return ""


def pending(test: RestoreTest) -> RestoreRun | None:
    """The test's run that is queued or under way, if any."""
    return test.runs.filter(status=ProofStatus.RUNNING).first()


@transaction.atomic
def start_on_demand(test: RestoreTest, *, actor: Any) -> RestoreRun:
    """Queue a run of ``test`` for the worker, started by ``actor``; raises
    DomainError when one is already queued or under way."""
    RestoreTest.objects.select_for_update().filter(pk=test.pk).first()
    if pending(test) is not None:
        raise DomainError(_("This restore test is already running."))
    run = RestoreRun.objects.create(
        test=test, trigger=Trigger.ON_DEMAND, started_by=actor
    )
    audit.record(
        AuditAction.CREATE,
        run,
        changes={"test": [None, test.pk], "trigger": [None, Trigger.ON_DEMAND]},
        message=_("restore test started on demand"),
    )
    return run


def is_due(test: RestoreTest, now: dt.datetime) -> bool:
    if not test.enabled or not test.every_days or not test.job.enabled:
        return False
    last = test.scheduled_at
    newest = test.runs.aggregate(newest=Max("started_at"))["newest"]
    if newest is not None and (last is None or newest > last):
        last = newest
    return last is None or last + dt.timedelta(days=test.every_days) <= now


def schedule_due(now: dt.datetime) -> list[RestoreRun]:
    """Queue a run of every test whose interval has passed; a test another
    worker queued a moment ago is left to it (claim on ``scheduled_at``)."""
    queued = []
    tests = RestoreTest.objects.filter(
        enabled=True, every_days__gt=0, job__enabled=True
    ).select_related("job")
    for test in tests:
        if not is_due(test, now):
            continue
        claimed = RestoreTest.objects.filter(
            pk=test.pk, scheduled_at=test.scheduled_at
        ).update(scheduled_at=now)
        if claimed == 1 and pending(test) is None:
            queued.append(RestoreRun.objects.create(test=test, started_at=now))
    return queued


def claim_next(now: dt.datetime) -> RestoreRun | None:
    """Take the oldest queued run for this worker (None: nothing queued)."""
    for run in RestoreRun.objects.filter(
        status=ProofStatus.RUNNING, claimed_at__isnull=True
    ).order_by("started_at", "pk")[:20]:
        taken = RestoreRun.objects.filter(pk=run.pk, claimed_at__isnull=True).update(
            claimed_at=now
        )
        if taken == 1:
            run.claimed_at = now
            return run
    return None


def run_pending(now: dt.datetime | None = None) -> int:
    """Run queued runs one after another until none is left; returns how
    many ran. The step the worker's restore thread repeats."""
    done = 0
    while (run := claim_next(now or timezone.now())) is not None:
        execute(run)
        done += 1
    return done


def execute(run: RestoreRun) -> RestoreRun:
    """Run one claimed run's test and record its outcome. A method that
    raises is a failed run, never a worker crash."""
    from wardkeeper.continuity.services.restore_database import restore_database
    from wardkeeper.continuity.services.restore_files import restore_files

    test = RestoreTest.objects.select_related("job__system").get(pk=run.test_id)
    began = time.monotonic()
    problem = method_problem(test.job.tool, test.method)
    try:
        if problem:
            outcome = Outcome(False, problem, evidence={"error": problem})
        elif test.method == RestoreMethod.DATABASE:
            outcome = restore_database(test, run.pk)
        else:
            outcome = restore_files(test)
    except Exception as error:  # a bug or an odd repository: one failed run
        logger.exception("restore test %s failed to run", test.pk)
        outcome = Outcome(False, _("The test could not run: %s") % error)
        outcome.evidence["error"] = str(error)
    return finish(run, test, outcome, seconds=time.monotonic() - began)


def finish(
    run: RestoreRun, test: RestoreTest, outcome: Outcome, *, seconds: float
) -> RestoreRun:
    """Store the outcome, then open or resolve the job's findings."""
    system = test.job.system
    run.status = ProofStatus.PASSED if outcome.passed else ProofStatus.FAILED
    run.finished_at = timezone.now()
    run.duration_seconds = round(seconds, 2)
    run.within_rto = restore_rto.within_rto(
        test, outcome.passed, seconds, system.rto_minutes
    )
    run.message = outcome.message[:2000]
    run.evidence = outcome.evidence
    run.snapshot = outcome.snapshot[:200]
    run.backup = _backup_of(test.job, outcome.external_ids)
    if outcome.passed and test.method == RestoreMethod.SAMPLE:
        run.evidence["full_estimate"] = restore_rto.full_estimate(
            test.job,
            run.backup,
            outcome.evidence.get("bytes_compared"),
            seconds,
            system.rto_minutes,
        )
    run.save()
    settle(test.job, run)
    return run


def _backup_of(job: BackupJob, ids: list[str]) -> BackupRun | None:
    ids = [i for i in ids if i]
    if not ids:
        return None
    return job.runs.filter(external_id__in=ids).order_by("-started_at").first()


def failing_tests(job: BackupJob) -> list[RestoreTest]:
    """The job's enabled tests whose newest finished run failed."""
    failing = []
    for test in job.restore_tests.filter(enabled=True):
        last = (
            test.runs.exclude(status=ProofStatus.RUNNING)
            .order_by("-started_at", "-pk")
            .first()
        )
        if last is not None and last.status == ProofStatus.FAILED:
            failing.append(test)
    return failing


def settle(job: BackupJob, run: RestoreRun) -> None:
    """RESTORE_FAILED open while a test of the job fails (the run carries its
    ticket); resolved when all pass. A pass also ends NO_RESTORE_PROOF."""
    system = job.system
    failing = failing_tests(job)
    if failing:
        names = ", ".join(test.name for test in failing)
        finding = raise_finding(
            FindingKind.RESTORE_FAILED,
            system=system,
            job=job,
            message=_("Restore test failed for %(job)s: %(tests)s")
            % {"job": job, "tests": names},
            evidence={"run": run.pk, "test": run.test.name, "result": run.message},
        )
        if run.status == ProofStatus.FAILED and finding.ticket_id:
            RestoreRun.objects.filter(pk=run.pk).update(ticket=finding.ticket_id)
            run.ticket_id = finding.ticket_id
        return
    resolve_finding(
        FindingKind.RESTORE_FAILED,
        system=system,
        job=job,
        note=_("Restore test passed: %s") % run.test.name,
    )
    if run.status == ProofStatus.PASSED:
        resolve_finding(FindingKind.NO_RESTORE_PROOF, system=system, job=job)


def abandon_stale(now: dt.datetime) -> int:
    """Fail the runs a stopped worker left under way."""
    limit = now - dt.timedelta(seconds=timeout_seconds()) - ABANDON_MARGIN
    stale = RestoreRun.objects.filter(
        status=ProofStatus.RUNNING, claimed_at__lt=limit
    ).select_related("test__job__system")
    count = 0
    for run in stale:
        outcome = Outcome(False, _("The run did not finish: the worker stopped."))
        seconds = (now - (run.claimed_at or now)).total_seconds()
        finish(run, run.test, outcome, seconds=seconds)
        count += 1
    return count
