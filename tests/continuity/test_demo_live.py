"""The demo's backups keep running while the demo runs (continuity.demo):
a week later its healthy systems are within their RPO through real restic
snapshots and borg archives and webhook-style runs, its deliberate faults
are still the findings, a second pass adds nothing, and a database without
the demo is left alone. One build, with its repositories, for the module."""

from __future__ import annotations

import datetime as dt
import json
import statistics

import pytest
from django.test import override_settings
from django.utils import timezone

from tests.factories.continuity import BackupJobFactory, BackupRunFactory
from wardkeeper.continuity import demo_live, tasks_demo
from wardkeeper.continuity.choices import (
    BackupTool,
    FindingKind,
    FindingState,
    RunSource,
)
from wardkeeper.continuity.models import BackupJob, BackupRun, Finding, ProtectedSystem
from wardkeeper.continuity.services import compliance, rpo, rule321
from wardkeeper.continuity.services.readers.tool import (
    borg_env,
    read_tool,
    restic_env,
)
from wardkeeper.core.tasks import REGISTRY
from wardkeeper.inventory.demo import is_built

pytestmark = pytest.mark.xdist_group("continuity_demo")

HEALTHY = ("HIS", "EMR", "LIS", "Hospital website", "Wardkeeper")


def run_pass(now):
    """The worker's job, as registered."""
    job = REGISTRY["continuity.demo"]
    assert job.func is tasks_demo.run_demo_backups
    assert job.every <= dt.timedelta(minutes=5)
    return job.func(now)


def snapshots(job):
    """The repository's snapshots or archives, as the tool lists them."""
    if job.tool == BackupTool.RESTIC:
        return json.loads(read_tool(["restic", "--json", "snapshots"], restic_env(job)))
    listed = read_tool(["borg", "list", "--json"], borg_env(job))
    return json.loads(listed)["archives"]


def open_findings(kind):
    return sorted(
        Finding.objects.filter(kind=kind, state=FindingState.OPEN).values_list(
            "subject", flat=True
        )
    )


# First in the module: the demo is built only when a later test asks for it.
def test_without_the_demo_nothing_runs(db):
    assert not is_built()
    job = BackupJobFactory(system__name="HIS", name="Database logs", tool="webhook")
    BackupRunFactory(job=job, started_at=timezone.now() - dt.timedelta(days=2))

    assert run_pass(timezone.now()) == {"jobs": 0, "runs": 0, "failed": 0}
    assert job.runs.count() == 1


@pytest.fixture
def db_demo(demo_with_repositories, db):
    return demo_with_repositories


# One test: the pass writes to the repositories, which a rollback keeps.
def test_a_week_later_the_demo_tells_the_same_story(
    db_demo, django_assert_max_num_queries
):
    systems = list(ProtectedSystem.objects.all())
    built_321 = {s.name: r.missing for s, r in _by_system(rule321.evaluate_many)}
    his_nightly = BackupJob.objects.get(system__name="HIS", name="Nightly full")
    emr_nightly = BackupJob.objects.get(system__name="EMR", name="Nightly full")
    his_logs = BackupJob.objects.get(system__name="HIS", name="Database logs")
    logs_usual = statistics.median(
        his_logs.runs.values_list("size_bytes", flat=True)[:10]
    )
    stopped, shrunk, failing = (
        BackupJob.objects.get(system__name=system, name=name)
        for system, name in demo_live.demo.FAULTS
    )
    pacs_tape = BackupJob.objects.get(system__name="PACS", name="Weekly tape")
    still = (stopped, failing, pacs_tape)
    still_runs = {job.pk: job.runs.count() for job in still}
    later = timezone.now() + dt.timedelta(days=7, hours=2)

    done = run_pass(later)

    # Every job ran once but the stopped one, the failing one and the PACS
    # tape (its copy of the image archive would hide the stopped job).
    assert done == {"jobs": 13, "runs": 13, "failed": 0}
    states = rpo.rpo_states(systems, later)
    assert {s.name for s in systems if states[s.pk].is_ok} == set(HEALTHY)
    # Real, new snapshots and archives, known by the runs' ids.
    for job in (his_nightly, emr_nightly):
        held = snapshots(job)
        assert len(held) == 3
        newest = job.runs.first()
        assert newest.source == RunSource.REPOSITORY
        key = "id" if job.tool == BackupTool.RESTIC else "name"
        assert newest.external_id in {s[key] for s in held}
        assert newest.started_at == later.replace(microsecond=0)
        job.refresh_from_db()
        assert (job.last_read_at, job.last_read_error) == (later, "")
    # The log backups reported as by webhook, at their usual size.
    newest = his_logs.runs.first()
    assert (newest.source, newest.finished_at) == (RunSource.WEBHOOK, later)
    assert 0.95 < newest.size_bytes / logs_usual < 1.05
    assert {job.pk: job.runs.count() for job in still} == still_runs
    assert shrunk.runs.first().size_bytes is None

    compliance.evaluate(later)

    # Only the deliberate faults are findings, as at build.
    assert open_findings(FindingKind.RPO_MISSED) == sorted(
        f"rpo_missed:s{s.pk}" for s in systems if s.name in ("PACS", "Mail")
    )
    assert (
        Finding.objects.get(kind=FindingKind.RUN_FAILED, state=FindingState.OPEN).job
        == failing
    )
    assert (
        Finding.objects.get(kind=FindingKind.SIZE_ANOMALY, state=FindingState.OPEN).job
        == shrunk
    )
    assert open_findings(FindingKind.DESTINATION_STALE) == []
    # The same systems miss 3-2-1, the healthy ones for the same reasons
    # (PACS's and mail's last copies grew too old to count meanwhile).
    now_321 = {s.name: r.missing for s, r in _by_system(rule321.evaluate_many, later)}
    assert {name for name, gap in now_321.items() if gap} == {
        name for name, gap in built_321.items() if gap
    }
    assert {k: now_321[k] for k in HEALTHY} == {k: built_321[k] for k in HEALTHY}

    # A second pass at the same moment finds nothing due.
    runs = BackupRun.objects.count()
    with django_assert_max_num_queries(3):
        assert run_pass(later) == {"jobs": 0, "runs": 0, "failed": 0}
    assert BackupRun.objects.count() == runs
    assert len(snapshots(his_nightly)) == 3

    # A day on, without restic: its jobs fail (logged), the others run (the
    # HIS tape is not due: weekly).
    day_on = later + dt.timedelta(days=1, hours=1)
    with override_settings(CONTINUITY_RESTIC="/nonexistent/restic"):
        done = run_pass(day_on)
        assert done == {"jobs": 12, "runs": 8, "failed": 4}
        # A quarter of an hour on, between nightly runs: the 15-minute
        # systems stay within their RPO on their logs and file snapshots.
        quarter = day_on + dt.timedelta(minutes=14)
        assert run_pass(quarter)["runs"] == 4
    states = rpo.rpo_states(systems, quarter)
    assert {s.name for s in systems if states[s.pk].is_ok} >= {"HIS", "EMR"}
    assert emr_nightly.runs.count() == his_nightly.runs.count() + 1


def _by_system(evaluate, now=None):
    systems = list(ProtectedSystem.objects.all())
    results = evaluate(systems, now or timezone.now())
    return [(s, results[s.pk]) for s in systems]
