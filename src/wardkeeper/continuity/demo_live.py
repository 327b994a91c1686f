"""The demo hospital's backups keep running while the demo runs, so that a
demo left open (or opened a day later) still tells its story: the healthy
systems within their RPO, the destinations written, and only the deliberate
faults (demo.FAULTS) as findings.

Each pass (the ``continuity.demo`` job, tasks_demo.py) gives every demo job
that is due one run, dated as just finished:

- a restic or borg job with a repository the demo made gets a real snapshot
  or archive of its demo data, one generation newer (demo_repos.py), read
  by its tool's reader and stored through the ingestion, as the reading job
  would store it. Only the figures are the demo's: the repository holds a
  few kilobytes standing in for the hundreds of gigabytes of the history,
  and their real size would be a false size alert (the build does the same
  for its two snapshots);
- the others (pg_dump and the products reporting by webhook, the tapes'
  CSV, a repository job whose tool was missing at build) get the run their
  software would report, sized near the job's recent median, through the
  same ingestion as the webhook.

A job is due a little before its interval has passed since its newest
successful run ended (``LEAD``): a run recorded only once the interval is
over would leave a system whose RPO equals its schedule (LIS hourly, the
website daily) out of it until the next pass, and the checks would open a
finding and a ticket each time. The stopped and the failing job get no run;
the shrunk copy keeps running, so LIS keeps its current offsite copy, but
its runs carry no size, so the size check still judges the shrunk one.
PACS's weekly tape gets no run either: it copies the image archive too, so
each tape would put PACS back within its RPO for a day, hiding the stopped
job (and its finding would close and open again, with a new ticket, every
week); the archive's tape copy ages instead, and PACS's 3-2-1 finding stays.
Jobs the demo did not make, disabled ones and repositories not the demo's
are left alone.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import random
import statistics
import subprocess
from collections.abc import Collection
from concurrent.futures import Future, ThreadPoolExecutor

from wardkeeper.continuity import demo, demo_repos
from wardkeeper.continuity.choices import RunSource, RunStatus
from wardkeeper.continuity.models import BackupJob
from wardkeeper.continuity.services import ingest, readers, rpo
from wardkeeper.continuity.services.ingest import RunReport
from wardkeeper.inventory.demo import is_built

__all__ = ["LEAD", "PASS", "due_jobs", "run_due"]

logger = logging.getLogger(__name__)

PASS = dt.timedelta(minutes=2)  # how often continuity.demo runs
LEAD = dt.timedelta(minutes=5)  # a pass or two early, never late
TOOLS_AT_ONCE = 4  # restic and borg side by side, as the build runs them
RECENT_RUNS = 10  # the size check's median (services/compliance.py)
GB = 1024**3
# Faults whose job keeps running, without a size (see the docstring); the
# other faults get no run at all.
UNSIZED = frozenset({demo.SHRUNK})
# Jobs whose runs would hide a fault (see the docstring).
HIDES_A_FAULT = frozenset({("PACS", "Weekly tape")})
STILL = frozenset(demo.FAULTS) - UNSIZED | HIDES_A_FAULT
EVERY = {
    (system, job): dt.timedelta(minutes=every)
    for system, job, _tool, _dest, every, *_rest in demo.JOBS
}


def run_due(now: dt.datetime) -> dict[str, int]:
    """One run for every demo job that is due; nothing without the demo. A
    job whose tool fails is logged and left for the next pass."""
    totals = {"jobs": 0, "runs": 0, "failed": 0}
    if not is_built():
        return totals
    due = due_jobs(now)
    tools = [job for job in due if demo_repos.is_demo_repository(job.repository)]
    reported = [job for job in due if job not in tools]
    totals["jobs"] = len(due)
    for job in reported:
        totals["runs"] += _record(job, [_report(job, now)], _source(job), now)
    with ThreadPoolExecutor(max_workers=TOOLS_AT_ONCE) as pool:
        # The tools run side by side; the database is written from here.
        work = [(job, pool.submit(_back_up, job, _known(job), now)) for job in tools]
        for job, future in work:
            created = _read(job, future, now)
            totals["runs"] += max(created, 0)
            totals["failed"] += created < 0
    return totals


def due_jobs(now: dt.datetime) -> list[BackupJob]:
    """The demo's enabled jobs (not stopped or failing by design) whose
    newest successful run ended at least their interval less ``LEAD`` ago;
    a repository job only when the repository is the demo's or it has
    none."""
    jobs = BackupJob.objects.filter(
        enabled=True, system__name__in={system for system, _job in EVERY}
    ).select_related("system")
    lasts = rpo.last_success_by_job(jobs)
    due = []
    for job in jobs:
        key = (job.system.name, job.name)
        if key not in EVERY or key in STILL:
            continue
        if job.repository and not demo_repos.is_demo_repository(job.repository):
            continue
        last = lasts.get(job.pk)
        if last is None or now - last >= EVERY[key] - LEAD:
            due.append(job)
    return due


def _source(job: BackupJob) -> RunSource:
    return demo.SOURCE.get(job.tool, RunSource.WEBHOOK)


def _known(job: BackupJob) -> set[str]:
    return set(job.runs.exclude(external_id="").values_list("external_id", flat=True))


def _back_up(
    job: BackupJob, known: Collection[str], now: dt.datetime
) -> list[RunReport]:
    """In a worker thread, no database: the new snapshot, then the reader's
    reports of what the repository holds beyond ``known``."""
    demo_repos.take_snapshot(job, now)
    return readers.READERS[job.tool](job, known)


def _read(job: BackupJob, future: Future[list[RunReport]], now: dt.datetime) -> int:
    """Store what the job's reader found, with the demo's figures; how many
    runs, or -1 when the tool failed (logged; a read error is also kept on
    the job, as the reading job keeps it)."""
    try:
        reports = future.result()
    except readers.ReadError as error:
        logger.warning("demo job %s: reading failed: %s", job.pk, error)
        ingest.remember_read(job, now, str(error))
        return -1
    except (OSError, subprocess.SubprocessError) as error:
        # The tool is missing, failed or hung: tried again next pass.
        why = getattr(error, "stderr", None) or error
        logger.warning("demo job %s: the backup failed: %s", job.pk, why)
        return -1
    except Exception:
        logger.exception("demo job %s: the backup failed", job.pk)
        return -1
    figures = _report(job, now)
    demo_sized = [
        dataclasses.replace(
            report,
            size_bytes=figures.size_bytes,
            added_bytes=figures.added_bytes,
            files=figures.files,
        )
        for report in reports
    ]
    created = _record(job, demo_sized, RunSource.REPOSITORY, now)
    ingest.remember_read(job, now, "")
    return created


def _record(
    job: BackupJob, reports: list[RunReport], source: RunSource, now: dt.datetime
) -> int:
    valid = [report for report in reports if not ingest.problems_of(report, now)]
    return ingest.record_runs(job, valid, source=source, now=now).created


def _report(job: BackupJob, now: dt.datetime) -> RunReport:
    """The run a job's software would report now: a success near the
    recent median size, taking as long as the build's runs of that size."""
    rng = random.Random(f"{job.pk}:{now.isoformat()}")
    recent = list(
        job.runs.filter(status__in=rpo.SUCCESSFUL, size_bytes__isnull=False)
        .order_by("-started_at")
        .values_list("size_bytes", "files")[:RECENT_RUNS]
    )
    usual = statistics.median(int(s or 0) for s, _f in recent) if recent else None
    size = int((usual or job.expected_size_bytes or 0) * rng.uniform(0.98, 1.02))
    took = dt.timedelta(minutes=max(1.0, size / GB / 40 + rng.uniform(0, 5)))
    report = RunReport(
        status=RunStatus.SUCCESS,
        started_at=now - took,
        finished_at=now,
        size_bytes=size or None,
        added_bytes=int(size * rng.uniform(0.01, 0.04)) or None,
        files=int(statistics.median(f or 0 for _s, f in recent)) if recent else None,
        external_id=""
        if _source(job) == RunSource.CSV
        else f"{job.pk:03d}-{now:%Y%m%d%H%M%S}",
    )
    if (job.system.name, job.name) in UNSIZED:
        return dataclasses.replace(
            report, size_bytes=None, added_bytes=None, files=None
        )
    return report
