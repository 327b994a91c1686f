"""The demo hospital's restore tests and their history: weekly proofs of
the main jobs over the last two months, so the dashboard and the restore
pages show what a hospital sees — most proofs passing, the LIS copy's newest
test failed (a damaged pack), the website's proof overdue, mail never
tested, the log and tape jobs proven by restores done by hand (the PACS
tape's too long ago). Runs are reports, written in bulk (not audited); the
tests are, and so are the restores recorded by hand.

The LIS copy's failed run goes through the restore service's findings, as
a real one would: its RESTORE_FAILED finding and ticket exist. A test is
scheduled only when its job has something to restore (a real repository,
demo_repos.py); the others stay as a record, not run."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.contrib.auth import get_user_model
from django.utils import timezone

from wardkeeper.continuity.choices import (
    CompareWith,
    Expectation,
    ProofStatus,
    RestoreMethod,
    Trigger,
)
from wardkeeper.continuity.models import (
    BackupJob,
    RestoreRun,
    RestoreTest,
    SanityQuery,
)
from wardkeeper.continuity.services import proofs, restore, restore_rto
from wardkeeper.inventory.demo.writer import insert

User = get_user_model()

# (system, job name, method, every days, minutes a run takes, weeks of history,
# newest run failed?)
PROOFS = (
    ("HIS", "Nightly full", RestoreMethod.SAMPLE, 7, 18, 8, False),
    ("EMR", "Nightly full", RestoreMethod.SAMPLE, 7, 14, 8, False),
    ("LIS", "Hourly dump", RestoreMethod.DATABASE, 7, 6, 8, False),
    ("LIS", "Nightly object-store copy", RestoreMethod.SAMPLE, 7, 4, 8, True),
    ("PACS", "Database nightly", RestoreMethod.DATABASE, 7, 9, 8, False),
    ("PACS", "Image archive nightly", RestoreMethod.SAMPLE, 14, 55, 4, False),
    ("Hospital website", "Nightly", RestoreMethod.FULL, 30, 2, 2, False),
    ("Wardkeeper", "Database dump", RestoreMethod.DATABASE, 7, 1, 8, False),
    ("Wardkeeper", "Data directory", RestoreMethod.SAMPLE, 7, 1, 8, False),
)
# Restores the team proves by hand, recorded as a person would (audited):
# (system, job name, days ago, minutes, what was restored). The PACS tape's
# is older than PACS's 30-day interval: its job stays "not proven".
BY_HAND = (
    ("HIS", "Database logs", 12, 40,
     "The last 24 h of log backups replayed onto the standby database server"),
    ("EMR", "Database logs", 19, 35,
     "The last 24 h of log backups replayed onto the EMR test server"),
    ("HIS", "Weekly tape", 26, 190,
     "Last Sunday's tape restored by the vendor onto the test array"),
    ("PACS", "Weekly tape", 41, 320,
     "One weekly tape restored by the vendor; 2,000 studies opened in the viewer"),
)  # fmt: skip
# The website's proof is older than its 30-day interval: flagged.
OVERDUE = {("Hospital website", "Nightly"): 45}
QUERIES = {
    "LIS": (
        ("Results in the restored database", "SELECT count(*) FROM lab_result",
         Expectation.AT_LEAST, "1000000"),
        ("Newest result", "SELECT max(reported_at) FROM lab_result",
         Expectation.NEWER_THAN_HOURS, "2"),
    ),
    "PACS": (
        ("Studies indexed", "SELECT count(*) FROM study", Expectation.AT_LEAST, "250000"),
    ),
    "Wardkeeper": (
        ("Audit entries", "SELECT count(*) FROM core_auditentry",
         Expectation.AT_LEAST, "1000"),
    ),
}  # fmt: skip


def write_proofs(seed: object) -> dict[str, int]:
    """Restore tests, their sanity queries and runs; returns the counts."""
    rng = random.Random(f"{seed}:proofs")
    now = timezone.now().replace(second=0, microsecond=0)
    jobs = {
        (job.system.name, job.name): job
        for job in BackupJob.objects.select_related("system")
    }
    planned = [row for row in PROOFS if (row[0], row[1]) in jobs]
    tests = insert(
        RestoreTest,
        [
            RestoreTest(
                job=jobs[system, name],
                name=_name(method),
                method=method,
                sample_files=200,
                compare_with=CompareWith.SNAPSHOT,
                every_days=every if jobs[system, name].repository else 0,
            )
            for system, name, method, every, *_rest in planned
        ],
    )
    queries = [
        SanityQuery(test=test, position=n, label=label, sql=sql, expectation=e, value=v)
        for test, (system, *_r) in zip(tests, planned, strict=True)
        if test.method == RestoreMethod.DATABASE
        for n, (label, sql, e, v) in enumerate(QUERIES.get(system, ()))
    ]
    insert(SanityQuery, queries)
    runs: list[RestoreRun] = []
    for test, row in zip(tests, planned, strict=True):
        runs += _runs(rng, test, row, now)
    RestoreRun.objects.bulk_create(runs, batch_size=500)
    for test in tests:
        _settle_newest_failure(test)
    recorded = _record_by_hand(jobs, now)
    return {"restore tests": len(tests), "restore runs": len(runs) + recorded}


def _record_by_hand(jobs: dict[tuple[str, str], BackupJob], now: dt.datetime) -> int:
    """The restores done by hand, through the service a person's form uses."""
    engineer = User.objects.filter(username="dan.dba").first()
    done = 0
    for system, name, days, minutes, restored in BY_HAND:
        job = jobs.get((system, name))
        if job is None:
            continue
        proofs.record_manual(
            proofs.ManualRestore(
                job=job,
                performed_at=now - dt.timedelta(days=days, hours=3),
                duration=dt.timedelta(minutes=minutes),
                restored=restored,
                passed=True,
            ),
            actor=engineer,
            now=now,
        )
        done += 1
    return done


def _settle_newest_failure(test: RestoreTest) -> None:
    """A test whose newest run failed opens its finding and ticket through
    the restore service, as the worker does."""
    newest = test.runs.order_by("-started_at", "-pk").first()
    if newest is not None and newest.status == ProofStatus.FAILED:
        restore.settle(test.job, newest)


def _name(method: str) -> str:
    return {
        RestoreMethod.SAMPLE: "Weekly sample restore",
        RestoreMethod.FULL: "Monthly full restore",
        RestoreMethod.DATABASE: "Weekly dump restore and checks",
    }[RestoreMethod(method)]


def _runs(
    rng: random.Random, test: RestoreTest, row: tuple[Any, ...], now: dt.datetime
) -> list[RestoreRun]:
    system, name, method, every, minutes, count, newest_fails = row
    rto = test.job.system.rto_minutes
    first = OVERDUE.get((system, name), 1)
    runs = []
    for n in range(count):
        started = now - dt.timedelta(days=first + n * every, hours=rng.randint(1, 4))
        seconds = minutes * 60 * rng.uniform(0.8, 1.3)
        failed = newest_fails and n == 0
        evidence: dict[str, Any] = (
            {"files_compared": 200, "bytes_compared": int(rng.uniform(2, 9) * 1e9),
             "sample": method == RestoreMethod.SAMPLE, "problems": 0, "notes": 0}
            if method != RestoreMethod.DATABASE
            else {"queries": [_answer(rng, q, started) for q in test.queries.all()]}
        )  # fmt: skip
        if failed:
            evidence = {
                "error": "Fatal: pack 3f9a… ciphertext verification failed; "
                "the repository holds a damaged file"
            }
        elif method == RestoreMethod.SAMPLE:
            evidence["full_estimate"] = restore_rto.full_estimate(
                test.job, None, evidence["bytes_compared"], seconds, rto
            )
        runs.append(
            RestoreRun(
                test=test,
                snapshot=f"{rng.getrandbits(32):08x}",
                status=ProofStatus.FAILED if failed else ProofStatus.PASSED,
                trigger=Trigger.SCHEDULE,
                started_at=started,
                finished_at=started + dt.timedelta(seconds=seconds),
                duration_seconds=round(seconds, 1),
                within_rto=restore_rto.within_rto(test, not failed, seconds, rto),
                message="restore failed: damaged pack" if failed else "",
                evidence=evidence,
            )
        )
    return runs


def _answer(
    rng: random.Random, query: SanityQuery, started: dt.datetime
) -> dict[str, Any]:
    """A passing answer as the restore test records it."""
    if query.expectation == Expectation.NEWER_THAN_HOURS:
        value = str(started - dt.timedelta(minutes=rng.randint(20, 70)))
    else:
        value = str(int(int(query.value) * rng.uniform(1.05, 1.4)))
    return {
        "label": query.label,
        "sql": query.sql,
        "expectation": query.expectation,
        "expected": query.value,
        "value": value,
        "passed": True,
        "error": "",
    }
