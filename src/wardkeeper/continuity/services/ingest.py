"""Storing backup runs as they arrive — read from a repository, posted to
the webhook or the API, or uploaded in a CSV file — once each.

A run is known by its tool's id (snapshot id, archive name, the product's
run id): a run already stored under that id is skipped, so a repository can
be read, and a webhook repeated, any number of times. A run with no id is
known by its start time. Each call that stores runs is one audit entry on
the job (runs are records, not edits: they are not audited one by one), and
the job's checks (failed run, size) run at once, so an alert does not wait
for the next round.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wardkeeper.continuity.choices import RunSource, RunStatus
from wardkeeper.continuity.models import BackupJob, BackupRun
from wardkeeper.core import audit
from wardkeeper.core.models.audit import AuditAction

__all__ = [
    "IngestResult",
    "RunReport",
    "new_reports",
    "problems_of",
    "record_runs",
    "remember_read",
]

# A reporting host's clock a little ahead of ours is tolerated; a start or an
# end further in the future is a typo or a wrong zone, and would make the
# system look within its RPO until then.
CLOCK_SKEW = dt.timedelta(minutes=5)


@dataclass(frozen=True)
class RunReport:
    """One run as a tool or a product reports it."""

    status: str
    started_at: dt.datetime
    finished_at: dt.datetime | None = None
    size_bytes: int | None = None
    added_bytes: int | None = None
    files: int | None = None
    message: str = ""
    external_id: str = ""


@dataclass
class IngestResult:
    """What one call stored: the new runs, and how many were known already."""

    runs: list[BackupRun] = field(default_factory=list)
    skipped: int = 0

    @property
    def created(self) -> int:
        return len(self.runs)


def problems_of(
    report: RunReport, now: dt.datetime | None = None
) -> list[tuple[str, str]]:
    """What is wrong with a report, as (field, message) pairs; empty when it
    can be stored. The webhook, the API and the CSV upload all ask this."""
    now = now or timezone.now()
    found = []
    if report.status not in RunStatus.values:
        found.append(
            (
                "status",
                _("Unknown status “%(value)s”; use one of: %(known)s.")
                % {"value": report.status, "known": ", ".join(RunStatus.values)},
            )
        )
    if timezone.is_naive(report.started_at):
        found.append(("started_at", _("Give the time with its zone (Z or +08:00).")))
    elif report.started_at > now + CLOCK_SKEW:
        found.append(("started_at", _("The start is in the future.")))
    if report.finished_at is not None:
        if timezone.is_naive(report.finished_at):
            found.append(
                ("finished_at", _("Give the time with its zone (Z or +08:00)."))
            )
        elif timezone.is_aware(report.started_at) and (
            report.finished_at < report.started_at
        ):
            found.append(("finished_at", _("The end is before the start.")))
        elif report.finished_at > now + CLOCK_SKEW:
            found.append(("finished_at", _("The end is in the future.")))
    for name in ("size_bytes", "added_bytes", "files"):
        value = getattr(report, name)
        if value is not None and value < 0:
            found.append((name, _("A size or count cannot be negative.")))
    if len(report.external_id) > 200:
        found.append(("external_id", _("At most 200 characters.")))
    return found


def record_runs(
    job: BackupJob,
    reports: Iterable[RunReport],
    *,
    source: RunSource,
    note: str = "",
    audit_empty: bool = False,
    now: dt.datetime | None = None,
) -> IngestResult:
    """Store the reports not stored yet as runs of ``job``, in one
    transaction with one audit entry (also when nothing was new if
    ``audit_empty``), then check the job. Reports must be valid."""
    from wardkeeper.continuity.services import compliance

    now = now or timezone.now()
    with transaction.atomic():
        result = _store(job, list(reports), source, now)
        if result.created or audit_empty:
            _audit(job, result, source, note)
    if result.created:
        compliance.check_job(job, now)
    return result


def new_reports(job: BackupJob, reports: list[RunReport]) -> list[RunReport]:
    """The reports not stored yet for ``job`` (nor twice in ``reports``)."""
    seen_ids = set(
        job.runs.filter(
            external_id__in=[r.external_id for r in reports if r.external_id]
        ).values_list("external_id", flat=True)
    )
    seen_starts = set(
        job.runs.filter(
            external_id="", started_at__in=[r.started_at for r in reports]
        ).values_list("started_at", flat=True)
    )
    fresh = []
    for report in reports:
        if report.external_id:
            if report.external_id in seen_ids:
                continue
            seen_ids.add(report.external_id)
        else:
            if report.started_at in seen_starts:
                continue
            seen_starts.add(report.started_at)
        fresh.append(report)
    return fresh


def _store(
    job: BackupJob, reports: list[RunReport], source: str, now: dt.datetime
) -> IngestResult:
    fresh = new_reports(job, reports)
    result = IngestResult(
        runs=[_run(job, report, source, now) for report in fresh],
        skipped=len(reports) - len(fresh),
    )
    try:
        with transaction.atomic():
            BackupRun.objects.bulk_create(result.runs)
    except IntegrityError:
        # The same run arrived by another path a moment ago: store one by one.
        result = _store_each(result.runs, result.skipped)
    return result


def _store_each(runs: list[BackupRun], skipped: int) -> IngestResult:
    result = IngestResult(skipped=skipped)
    for run in runs:
        try:
            with transaction.atomic():
                run.save()
            result.runs.append(run)
        except IntegrityError:
            result.skipped += 1
    return result


def _run(job: BackupJob, report: RunReport, source: str, now: dt.datetime) -> BackupRun:
    return BackupRun(
        job=job,
        external_id=report.external_id,
        status=report.status,
        started_at=report.started_at,
        finished_at=report.finished_at,
        size_bytes=report.size_bytes,
        added_bytes=report.added_bytes,
        files=report.files,
        message=report.message,
        source=source,
        received_at=now,
    )


def _audit(job: BackupJob, result: IngestResult, source: str, note: str) -> None:
    ids = [run.external_id or run.started_at.isoformat() for run in result.runs]
    message = _("%(created)d runs recorded, %(skipped)d already known (%(source)s)") % {
        "created": result.created,
        "skipped": result.skipped,
        "source": RunSource(source).label,
    }
    audit.record(
        AuditAction.UPDATE,
        job,
        changes={"runs": [None, ids[:50]]},
        message=f"{message}: {note}" if note else message,
    )


def remember_read(job: BackupJob, at: dt.datetime, error: str) -> None:
    """Keep when the job's repository was last read and why it failed (the
    job's page shows it). Bookkeeping, like a heartbeat: not audited.

    Written only once the job has the fields ``last_read_at`` and
    ``last_read_error`` (models/backups.py is not this module's)."""
    names = {f.name for f in BackupJob._meta.get_fields()}
    if {"last_read_at", "last_read_error"} <= names:
        BackupJob.objects.filter(pk=job.pk).update(
            last_read_at=at, last_read_error=error[:1000]
        )
