"""``wardkeeper backup`` reports its own run to the backup job named by
``CONTINUITY_OWN_BACKUP_JOB`` (the "Wardkeeper" protected system's job), so
Wardkeeper's own data is judged against its RPO like every system's: a
missed or failed backup of it is a finding and, for a critical system, a
ticket. Off (0) by default."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from wardkeeper.continuity.choices import RunSource, RunStatus
from wardkeeper.continuity.models import BackupJob
from wardkeeper.continuity.services import ingest
from wardkeeper.continuity.services.ingest import RunReport

__all__ = ["report_run"]


def report_run(
    sender: Any,
    *,
    started_at: dt.datetime,
    finished_at: dt.datetime,
    path: str,
    size: int | None,
    error: str,
    **kwargs: Any,
) -> str | None:
    """Store the backup as a run of the configured job (receiver of
    ``core.backup.signals.backup_finished``); the line the command prints,
    None when no job is configured."""
    job_id = settings.CONTINUITY_OWN_BACKUP_JOB
    if not job_id:
        return None
    job = BackupJob.objects.select_related("system").filter(pk=job_id).first()
    if job is None:
        return _(
            "CONTINUITY_OWN_BACKUP_JOB names backup job %(id)s, which does not "
            "exist: this run is not recorded."
        ) % {"id": job_id}
    run = RunReport(
        status=RunStatus.FAILED if error else RunStatus.SUCCESS,
        started_at=started_at,
        finished_at=finished_at,
        size_bytes=size,
        message=error or path,
        # The archive's name and its start: a name may come back once the
        # file is gone, a start does not.
        external_id=f"{Path(path).name}@{started_at:%Y%m%dT%H%M%S}",
    )
    ingest.record_runs(
        job,
        [run],
        source=RunSource.WEBHOOK,
        note=_("reported by wardkeeper backup"),
        now=finished_at,
    )
    return _("Recorded as a run of %(job)s (%(system)s).") % {
        "job": job.name,
        "system": job.system,
    }
