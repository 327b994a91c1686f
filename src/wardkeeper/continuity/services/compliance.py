"""The backup checks, run every few minutes over every enabled job, system
and destination; each problem is raised (and, once gone, resolved) through
services/findings.py, so it alerts once and clears by itself:

- RPO_MISSED, per system: no successful backup within its RPO (or none at
  all); the message names the jobs that are behind. Clears with a fresh run.
- RUN_FAILED, per job: its newest run failed. Clears with a later success.
- SIZE_ANOMALY, per job: its newest successful run's size is outside the
  median of the ten successful runs before it, times (1 ± the job's ratio);
  judged from three earlier runs on. A sudden fall is a sign of a broken job
  (a mount gone, a path renamed), a sudden rise of ransomware rewriting
  files. Clears when a later run's size is back in range.
- DESTINATION_STALE, per destination an enabled job writes to: no successful
  run written there for its ``stale_days``.
- RULE_321, per system: three copies, two kinds of medium, one offsite,
  for each of its data stores (services/rule321.py decides); the message
  names every store that misses the rule and what it misses.

Tickets are opened only for systems of critical or high criticality; the
others' findings notify people only.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections.abc import Iterable
from typing import Any

from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

from wardkeeper.continuity.choices import FindingKind, FindingState, RunStatus
from wardkeeper.continuity.models import (
    BackupDestination,
    BackupJob,
    BackupRun,
    Finding,
    ProtectedSystem,
)
from wardkeeper.continuity.services import findings, rpo, rule321
from wardkeeper.inventory.choices import Criticality

__all__ = ["KINDS", "check_job", "evaluate"]

# The kinds these checks own: an open one no check raised this round (its job
# was disabled or deleted, its system lost its jobs) is resolved.
KINDS = (
    FindingKind.RPO_MISSED,
    FindingKind.RUN_FAILED,
    FindingKind.SIZE_ANOMALY,
    FindingKind.DESTINATION_STALE,
    FindingKind.RULE_321,
)
RECENT_RUNS = 10
MIN_HISTORY = 3
SUCCESSFUL = (RunStatus.SUCCESS, RunStatus.WARNING)

Subject = str


def wants_ticket(system: ProtectedSystem | None) -> bool:
    return system is not None and system.criticality <= Criticality.HIGH


def when(moment: dt.datetime | None) -> str:
    if moment is None:
        return ""
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


def evaluate(now: dt.datetime | None = None) -> dict[str, int]:
    """Run every check once; returns how many findings are open per kind."""
    now = now or timezone.now()
    jobs = list(
        BackupJob.objects.filter(enabled=True).select_related("system", "destination")
    )
    raised: set[Subject] = set()
    for job in jobs:
        raised |= check_job(job, now)
    systems = list({job.system_id: job.system for job in jobs}.values())
    raised |= check_rpo(systems, now)
    raised |= check_321(systems, now)
    raised |= check_destinations(jobs, now)
    sweep(raised, now)
    return {
        kind: Finding.objects.filter(kind=kind, state=FindingState.OPEN).count()
        for kind in KINDS
    }


def check_job(job: BackupJob, now: dt.datetime) -> set[Subject]:
    """The job's failed-run and size checks; the subjects it raised."""
    raised = set()
    if _check_failed(job, now):
        raised.add(findings.subject_of(FindingKind.RUN_FAILED, job.system, job))
    if _check_size(job, now):
        raised.add(findings.subject_of(FindingKind.SIZE_ANOMALY, job.system, job))
    return raised


def _check_failed(job: BackupJob, now: dt.datetime) -> bool:
    newest = job.runs.exclude(status=RunStatus.RUNNING).order_by("-started_at").first()
    if newest is None or newest.status != RunStatus.FAILED:
        findings.resolve_finding(
            FindingKind.RUN_FAILED,
            note=_("%(job)s ran successfully again.") % {"job": job},
            system=job.system,
            job=job,
            now=now,
        )
        return False
    message = _("%(job)s: the run of %(time)s failed") % {
        "job": job,
        "time": when(newest.started_at),
    }
    if newest.message:
        message += f": {newest.message}"
    findings.raise_finding(
        FindingKind.RUN_FAILED,
        message=message,
        evidence={
            "run": newest.pk,
            "started_at": newest.started_at.isoformat(),
            "tool_message": newest.message[:300],
        },
        ticket=wants_ticket(job.system),
        system=job.system,
        job=job,
        now=now,
    )
    return True


def size_verdict(job: BackupJob) -> dict[str, Any] | None:
    """The newest successful run's size against the recent median, when it is
    out of range (None: in range, or too little history to judge)."""
    sized = (
        job.runs.filter(status__in=SUCCESSFUL, size_bytes__isnull=False)
        .order_by("-started_at")
        .values_list("pk", "size_bytes", "started_at")[: RECENT_RUNS + 1]
    )
    rows = [(pk, int(size or 0), started) for pk, size, started in sized]
    if len(rows) < MIN_HISTORY + 1:
        return None
    (run_id, size, started), earlier = rows[0], rows[1:]
    median = statistics.median(row[1] for row in earlier)
    ratio = job.size_change_ratio
    low, high = median * (1 - ratio), median * (1 + ratio)
    if low <= size <= high:
        return None
    return {
        "run": run_id,
        "started_at": started.isoformat(),
        "size_bytes": size,
        "median_bytes": median,
        "ratio": ratio,
        "runs_in_median": len(earlier),
        "change": round(size / median - 1, 3) if median else None,
    }


def _check_size(job: BackupJob, now: dt.datetime) -> bool:
    verdict = size_verdict(job)
    if verdict is None:
        findings.resolve_finding(
            FindingKind.SIZE_ANOMALY,
            note=_("%(job)s: the backup size is back in its usual range.")
            % {"job": job},
            system=job.system,
            job=job,
            now=now,
        )
        return False
    direction = (
        _("fell") if verdict["size_bytes"] < verdict["median_bytes"] else _("grew")
    )
    message = _(
        "%(job)s: the backup of %(time)s %(direction)s to %(size)s (usual: %(median)s)"
    ) % {
        "job": job,
        "time": when(dt.datetime.fromisoformat(verdict["started_at"])),
        "direction": direction,
        "size": filesizeformat(verdict["size_bytes"]),
        "median": filesizeformat(verdict["median_bytes"]),
    }
    findings.raise_finding(
        FindingKind.SIZE_ANOMALY,
        message=message,
        evidence=verdict,
        ticket=wants_ticket(job.system),
        system=job.system,
        job=job,
        now=now,
    )
    return True


def check_rpo(systems: list[ProtectedSystem], now: dt.datetime) -> set[Subject]:
    """Each system's last good backup against its RPO."""
    raised = set()
    states = rpo.rpo_states(systems, now)
    for system in systems:
        state = states[system.pk]
        if state.is_ok:
            findings.resolve_finding(
                FindingKind.RPO_MISSED,
                system=system,
                note=_("%(system)s has a backup within its RPO again.")
                % {"system": system},
                now=now,
            )
            continue
        behind = _jobs_behind(system, now)
        if state.last is None:
            message = _("%(system)s: no successful backup on record") % {
                "system": system
            }
        else:
            message = _("%(system)s: no successful backup since %(time)s") % {
                "system": system,
                "time": when(state.last),
            }
        message += " " + _("(RPO %(rpo)s; behind: %(jobs)s)") % {
            "rpo": _minutes(system.rpo_minutes),
            "jobs": ", ".join(job.name for job in behind) or "-",
        }
        findings.raise_finding(
            FindingKind.RPO_MISSED,
            system=system,
            message=message,
            evidence={
                "last_success": state.last.isoformat() if state.last else None,
                "rpo_minutes": system.rpo_minutes,
                "jobs": [job.pk for job in behind],
            },
            ticket=wants_ticket(system),
            now=now,
        )
        raised.add(findings.subject_of(FindingKind.RPO_MISSED, system))
    return raised


def _minutes(total: int) -> str:
    if total % (24 * 60) == 0:
        return _("%d d") % (total // (24 * 60))
    if total % 60 == 0:
        return _("%d h") % (total // 60)
    return _("%d min") % total


def _jobs_behind(system: ProtectedSystem, now: dt.datetime) -> list[BackupJob]:
    jobs = system.jobs.filter(enabled=True)
    lasts = rpo.last_success_by_job(jobs)
    return [
        job
        for job in jobs
        if lasts.get(job.pk) is None or now - lasts[job.pk] > system.rpo  # type: ignore[operator]
    ]


def check_321(systems: list[ProtectedSystem], now: dt.datetime) -> set[Subject]:
    raised = set()
    results = rule321.evaluate_many(systems, now)
    for system in systems:
        result = results[system.pk]
        if result.met:
            findings.resolve_finding(
                FindingKind.RULE_321, system=system, note=result.message, now=now
            )
            continue
        findings.raise_finding(
            FindingKind.RULE_321,
            system=system,
            message=f"{system}: {result.message}",
            evidence={
                "copies": result.copies,
                "media": list(result.media),
                "offsite": result.offsite,
                "missing": list(result.missing),
                "stores": result.failing_stores,
            },
            ticket=wants_ticket(system),
            now=now,
        )
        raised.add(findings.subject_of(FindingKind.RULE_321, system))
    return raised


def check_destinations(jobs: Iterable[BackupJob], now: dt.datetime) -> set[Subject]:
    """Each destination an enabled job writes to, against its stale days. The
    finding belongs to the most critical system writing there."""
    raised = set()
    users: dict[int, list[BackupJob]] = {}
    for job in jobs:
        users.setdefault(job.destination_id, []).append(job)
    for jobs_there in users.values():
        destination = jobs_there[0].destination
        system = min(
            (job.system for job in jobs_there), key=lambda s: (s.criticality, s.name)
        )
        last = _last_written(destination)
        if last is not None and now - last <= dt.timedelta(days=destination.stale_days):
            findings.resolve_finding(
                FindingKind.DESTINATION_STALE,
                note=_("%(dest)s was written again.") % {"dest": destination},
                system=system,
                destination=destination,
                now=now,
            )
            continue
        message = _("%(dest)s: not written for over %(days)d days") % {
            "dest": destination,
            "days": destination.stale_days,
        }
        if last is not None:
            message += " " + _("(last: %(time)s)") % {"time": when(last)}
        findings.raise_finding(
            FindingKind.DESTINATION_STALE,
            message=message,
            evidence={
                "last_written": last.isoformat() if last else None,
                "stale_days": destination.stale_days,
                "jobs": [job.pk for job in jobs_there],
            },
            ticket=wants_ticket(system),
            system=system,
            destination=destination,
            now=now,
        )
        raised.add(
            findings.subject_of(
                FindingKind.DESTINATION_STALE, system, None, destination
            )
        )
    return raised


def _last_written(destination: BackupDestination) -> dt.datetime | None:
    run = (
        BackupRun.objects.filter(
            job__destination=destination, job__enabled=True, status__in=SUCCESSFUL
        )
        .order_by("-started_at")
        .first()
    )
    return run.ended_at if run is not None else None


def sweep(raised: set[Subject], now: dt.datetime) -> int:
    """Resolve the open findings of these checks that no check raised this
    round: their subject is gone (job disabled or deleted, destination no
    longer used)."""
    gone = (
        Finding.objects.filter(state=FindingState.OPEN, kind__in=KINDS)
        .exclude(subject__in=raised)
        .select_related("system", "job", "destination")
    )
    count = 0
    for finding in gone:
        findings.resolve_finding(
            FindingKind(finding.kind),
            system=finding.system,
            job=finding.job,
            destination=finding.destination,
            note=_("No longer checked."),
            now=now,
        )
        count += 1
    return count
