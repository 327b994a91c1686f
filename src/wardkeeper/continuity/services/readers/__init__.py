"""Reading backup repositories directly: each tool's reader lists the
snapshots (restic) or archives (borg) through the tool's own JSON output and
turns the ones Wardkeeper has not stored yet into runs.

The tools run as child processes with the repository's password in their
environment (never on the command line, where ``ps`` would show it), a
timeout, no terminal, and a cache in the data directory (readers/tool.py).
A repository that cannot be read is not a finding: the error is logged and
kept on the job ("last read failed: …"); the RPO check notices soon enough
if no backup is seen.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import Any

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from wardkeeper.continuity.choices import BackupTool, RunSource
from wardkeeper.continuity.models import BackupJob
from wardkeeper.continuity.services import ingest
from wardkeeper.continuity.services.ingest import RunReport
from wardkeeper.continuity.services.readers import borg, restic
from wardkeeper.continuity.services.readers.tool import ReadError
from wardkeeper.core import audit
from wardkeeper.core.errors import DomainError
from wardkeeper.core.models.audit import AuditAction

__all__ = [
    "READERS",
    "ReadError",
    "ReadOutcome",
    "ReadRefused",
    "read_due",
    "read_now",
    "read_repository",
]

logger = logging.getLogger(__name__)

Reader = Callable[[BackupJob, Collection[str]], list[RunReport]]
READERS: dict[str, Reader] = {
    BackupTool.RESTIC: restic.read,
    BackupTool.BORG: borg.read,
}


@dataclass(frozen=True)
class ReadOutcome:
    """One read of one job's repository: how many new runs, or the error."""

    job: BackupJob
    created: int = 0
    error: str = ""

    @property
    def ok(self) -> bool:
        return not self.error


def readable_jobs() -> Collection[BackupJob]:
    """Enabled jobs whose repository Wardkeeper reads."""
    return list(
        BackupJob.objects.filter(enabled=True, tool__in=list(READERS))
        .exclude(Q(repository=""))
        .select_related("system")
    )


def read_repository(job: BackupJob, now: dt.datetime | None = None) -> ReadOutcome:
    """Read the job's repository and store its new snapshots or archives as
    runs (idempotent); a failure is logged and kept on the job, not raised."""
    now = now or timezone.now()
    reader = READERS.get(job.tool)
    if reader is None or not job.repository:
        return ReadOutcome(job)
    known = set(job.runs.exclude(external_id="").values_list("external_id", flat=True))
    try:
        reports = reader(job, known)
    except ReadError as error:
        logger.warning("reading %s (job %s) failed: %s", job.repository, job.pk, error)
        ingest.remember_read(job, now, str(error))
        return ReadOutcome(job, error=str(error))
    result = ingest.record_runs(job, reports, source=RunSource.REPOSITORY)
    ingest.remember_read(job, now, "")
    return ReadOutcome(job, created=result.created)


class ReadRefused(DomainError):
    """A repository read on demand that could not happen or failed."""


def read_now(job: BackupJob, *, actor: Any) -> ReadOutcome:
    """Read the job's repository at once for ``actor`` (after its address or
    password changed), audited; raises ReadRefused when the job has no
    repository Wardkeeper reads, or with the tool's error when the read
    failed (the error is kept on the job either way)."""
    if job.tool not in READERS or not job.repository:
        raise ReadRefused(_("This job has no restic or borg repository to read."))
    outcome = read_repository(job)
    with audit.audit_context(actor=actor):
        audit.record(
            AuditAction.UPDATE,
            job,
            changes={"last_read_error": [None, outcome.error]},
            message=_("repository read on demand: %(result)s")
            % {"result": outcome.error or _("%(n)d new runs") % {"n": outcome.created}},
        )
    if not outcome.ok:
        raise ReadRefused(
            _("Reading the repository failed: %(error)s") % {"error": outcome.error}
        )
    return outcome


def read_due(now: dt.datetime) -> dict[str, int]:
    """Read every readable job's repository once; one job's failure does not
    stop the others."""
    totals = {"jobs": 0, "runs": 0, "failed": 0}
    for job in readable_jobs():
        outcome = read_repository(job, now)
        totals["jobs"] += 1
        totals["runs"] += outcome.created
        totals["failed"] += 0 if outcome.ok else 1
    return totals
