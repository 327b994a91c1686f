"""What a restore run says about the system's RTO.

Only a full restore that passed measured how long bringing the data back
takes. A sample (a few hundred files of a backup of many gigabytes) says
nothing by its own duration; from it the full restore's time is estimated
at the sample's pace (bytes restored per second) times the backup's size,
and shown as an estimate. A failed run restored nothing: no verdict."""

from __future__ import annotations

from typing import Any

from wardkeeper.continuity.choices import RestoreMethod, RunStatus
from wardkeeper.continuity.models import BackupJob, BackupRun, RestoreTest

__all__ = ["MIN_SAMPLE_BYTES", "full_estimate", "within_rto"]

# A smaller sample is mostly the tool's start-up and the repository's key
# and index: its pace would not say how fast the data itself comes back.
MIN_SAMPLE_BYTES = 64 * 1024**2


def within_rto(
    test: RestoreTest, passed: bool, seconds: float, rto_minutes: int
) -> bool | None:
    """The run's verdict against the RTO: only for a full restore that passed."""
    if not passed or test.method == RestoreMethod.SAMPLE:
        return None
    return seconds <= rto_minutes * 60


def full_estimate(
    job: BackupJob,
    backup: BackupRun | None,
    restored_bytes: int | None,
    seconds: float,
    rto_minutes: int,
) -> dict[str, Any]:
    """A passed sample's estimate of the full restore, for the run's
    evidence: ``seconds`` and ``within_rto``, or ``missing`` ("size" when
    the backup's size is unknown, "small" when the sample is too small to
    time)."""
    size = backup.size_bytes if backup is not None else None
    if size is None:
        size = _newest_size(job)
    if not size:
        return {"missing": "size"}
    if not restored_bytes or restored_bytes < MIN_SAMPLE_BYTES or seconds <= 0:
        return {"missing": "small", "restored_bytes": restored_bytes or 0}
    estimate = seconds * size / restored_bytes
    return {
        "seconds": round(estimate),
        "within_rto": estimate <= rto_minutes * 60,
        "backup_bytes": size,
        "restored_bytes": restored_bytes,
    }


def _newest_size(job: BackupJob) -> int | None:
    """The size of the job's newest successful backup that reported one."""
    return (
        job.runs.filter(status=RunStatus.SUCCESS, size_bytes__isnull=False)
        .order_by("-started_at")
        .values_list("size_bytes", flat=True)
        .first()
    )
