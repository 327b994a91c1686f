"""The demo hospital's backup and recovery: its protected systems (HIS, EMR,
LIS, PACS, the website, mail, Wardkeeper) on the inventory's demo servers
and storage, their data stores, four destinations (the data centre's NAS,
offsite rotated disks, an offline tape library, an immutable object store),
the jobs and sixty days of their runs.

So that the pages and the findings have something true to say, the history
holds a few failed runs, the PACS image archive's nightly job silently
stopped three weeks ago, the LIS object-store copy shrank to a fraction of
its usual size two nights ago, and mail's last two runs failed. EMR keeps
all its copies on disks (3-2-1 asks for a second kind of medium); the
website and mail have no third copy.

Deterministic from the seed (the runs' times count back from now). Written
in bulk, audited like the inventory's demo; runs are not audited one by one
(as with the ingestion, see ``BackupRun``).
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import Q
from django.utils import timezone

from wardkeeper.continuity import demo_repos
from wardkeeper.continuity.choices import (
    BackupTool,
    DataStoreKind,
    Media,
    RunSource,
    RunStatus,
)
from wardkeeper.continuity.models import (
    BackupDestination,
    BackupJob,
    BackupRun,
    DataStore,
    ProtectedSystem,
)
from wardkeeper.core.models import User
from wardkeeper.inventory.choices import Criticality, LocationKind
from wardkeeper.inventory.demo.writer import insert
from wardkeeper.inventory.models import Asset, Location, Vendor
from wardkeeper.servicedesk.models import Team

__all__ = ["ContinuityResult", "write_continuity"]

DAYS = 60
GB = 1024**3
# Rows per INSERT statement: 11 values each, within SQLite's 32,766.
RUNS_PER_INSERT = 1000
C = Criticality


@dataclass
class ContinuityResult:
    systems: int
    destinations: int
    jobs: int
    runs: int


# name, criticality, RPO min, RTO min, owner (the demo's sign-in, else the
# service desk's colleague of the same role), team, service, vendor (part of
# its name), host stems of its servers (both campuses), storage arrays?
SYSTEMS = (
    (
        "HIS",
        C.CRITICAL,
        15,
        240,
        "amy.apps|bo.apps",
        "database",
        "HIS",
        "HIS",
        ("his-",),
        0,
    ),
    (
        "EMR",
        C.CRITICAL,
        15,
        240,
        "amy.apps|bo.apps",
        "database",
        "EMR",
        "",
        ("emr-",),
        0,
    ),
    (
        "LIS",
        C.CRITICAL,
        60,
        240,
        "amy.apps|bo.apps",
        "database",
        "LIS",
        "",
        ("lis-",),
        0,
    ),
    (
        "PACS",
        C.CRITICAL,
        1440,
        480,
        "dan.dba|kai.dba",
        "database",
        "PACS",
        "United",
        ("pacs-",),
        1,
    ),
    (
        "Hospital website",
        C.NORMAL,
        1440,
        1440,
        "will.web",
        "web",
        "Web",
        "",
        ("web-",),
        0,
    ),
    ("Mail", C.NORMAL, 1440, 480, "will.web", "web", "Mail", "", ("mail-",), 0),
    (
        "Wardkeeper",
        C.HIGH,
        1440,
        240,
        "dan.dba|kai.dba",
        "database",
        "",
        "",
        ("mon-",),
        0,
    ),
)
# system -> (data store, kind, where)
STORES = {
    "HIS": (("HIS database", DataStoreKind.DATABASE, "HISDB"),
            ("HIS application files", DataStoreKind.FILES, "/opt/his")),
    "EMR": (("EMR database", DataStoreKind.DATABASE, "emr"),
            ("EMR documents", DataStoreKind.FILES, "/srv/emr/documents")),
    "LIS": (("LIS database", DataStoreKind.DATABASE, "lis"),),
    "PACS": (("PACS database", DataStoreKind.DATABASE, "pacs"),
             ("Image archive", DataStoreKind.IMAGES, "/archive/dicom")),
    "Hospital website": (("Website content", DataStoreKind.FILES, "/var/www"),),
    "Mail": (("Mailboxes", DataStoreKind.FILES, "/var/vmail"),),
    "Wardkeeper": (("Wardkeeper database", DataStoreKind.DATABASE, "wardkeeper"),
                   ("Wardkeeper data directory", DataStoreKind.FILES, "/var/lib/wardkeeper")),
}  # fmt: skip
# name, medium, offsite, immutable, offline, stale days, on the campus of code
DESTINATIONS = (
    ("Data-centre NAS", Media.NAS, False, False, False, 1, "MAIN"),
    ("Offsite disk rotation", Media.DISK, True, False, True, 8, "EAST"),
    ("Tape library (LTO-8)", Media.TAPE, True, False, True, 8, "MAIN"),
    ("Immutable object store", Media.CLOUD, True, True, False, 2, ""),
)
NAS, ROTATION, TAPE, OBJECTS = (d[0] for d in DESTINATIONS)
# system, job, tool, destination, every (minutes), size GB, its data stores
# (indexes into STORES; empty: all), schedule, retention
JOBS = (
    ("HIS", "Database logs", BackupTool.WEBHOOK, NAS, 15, 1.5, (0,), "every 15 minutes", "7 days"),
    ("HIS", "Nightly full", BackupTool.RESTIC, OBJECTS, 1440, 380, (), "daily at 01:00", "14 daily, 8 weekly, 12 monthly"),
    ("HIS", "Weekly tape", BackupTool.CSV, TAPE, 10080, 420, (), "Sundays at 22:00", "13 weekly tapes"),
    ("HIS", "File snapshots", BackupTool.WEBHOOK, NAS, 15, 0.2, (1,), "every 15 minutes", "2 days"),
    ("EMR", "Database logs", BackupTool.WEBHOOK, NAS, 15, 1.0, (0,), "every 15 minutes", "7 days"),
    ("EMR", "Document snapshots", BackupTool.WEBHOOK, NAS, 15, 0.4, (1,), "every 15 minutes", "2 days"),
    ("EMR", "Nightly full", BackupTool.BORG, ROTATION, 1440, 260, (), "daily at 02:00", "7 daily, 4 weekly"),
    ("LIS", "Hourly dump", BackupTool.PG_DUMP, NAS, 60, 12, (), "hourly", "48 hourly"),
    ("LIS", "Nightly object-store copy", BackupTool.RESTIC, OBJECTS, 1440, 40, (), "daily at 03:00", "30 daily"),
    ("PACS", "Database nightly", BackupTool.PG_DUMP, NAS, 1440, 35, (0,), "daily at 00:30", "14 daily"),
    ("PACS", "Image archive nightly", BackupTool.RESTIC, NAS, 1440, 2400, (1,), "daily at 20:00", "30 daily, 12 monthly"),
    ("PACS", "Weekly tape", BackupTool.CSV, TAPE, 10080, 2600, (), "Saturdays at 18:00", "52 weekly tapes"),
    ("Hospital website", "Nightly", BackupTool.RESTIC, NAS, 1440, 6, (), "daily at 04:00", "14 daily"),
    ("Mail", "Mailboxes nightly", BackupTool.BORG, ROTATION, 1440, 180, (), "daily at 23:00", "14 daily"),
    ("Wardkeeper", "Database dump", BackupTool.PG_DUMP, NAS, 1440, 2, (0,), "daily at 01:30", "30 daily"),
    ("Wardkeeper", "Data directory", BackupTool.RESTIC, OBJECTS, 1440, 4, (), "daily at 02:30", "30 daily"),
)  # fmt: skip
STOPPED = ("PACS", "Image archive nightly")  # silently stopped 21 days ago
SHRUNK = ("LIS", "Nightly object-store copy")  # the last 2 runs: 35 % of usual
FAILING = ("Mail", "Mailboxes nightly")  # the last 2 runs failed
# The deliberate faults: the demo's live backups (demo_live.py) must not
# heal them; a new fault is added here too.
FAULTS = (STOPPED, SHRUNK, FAILING)
SOURCE: dict[str, RunSource] = {
    BackupTool.RESTIC: RunSource.REPOSITORY,
    BackupTool.BORG: RunSource.REPOSITORY,
    BackupTool.CSV: RunSource.CSV,
}


def write_continuity(seed: object, today: dt.date) -> ContinuityResult:
    """The systems, destinations, jobs and runs; returns the counts."""
    rng = random.Random(f"{seed}:continuity")
    now = timezone.now().replace(second=0, microsecond=0)
    systems = _systems()
    stores = _stores(systems)
    destinations = _destinations()
    jobs = _jobs(systems, stores, destinations, demo_repos.available_tools())
    by_job = [
        [list(row) for row in _runs(rng, job, (system, name), tool, every, size, now)]
        for (system, name, tool, _d, every, size, *_rest), job in zip(
            JOBS, jobs, strict=True
        )
    ]
    # Real restic and borg repositories hold the newest runs' snapshots.
    demo_repos.fill_repositories(jobs, by_job)
    runs = [tuple(row) for rows in by_job for row in rows]
    _insert_runs(runs)
    return ContinuityResult(len(systems), len(destinations), len(jobs), len(runs))


def _systems() -> dict[str, ProtectedSystem]:
    users = {u.username: u for u in User.objects.filter(username__contains=".")}
    teams = {t.code: t for t in Team.objects.all()}
    rows = []
    for name, crit, rpo, rto, owner, team, service, vendor, _s, _a in SYSTEMS:
        rows.append(
            ProtectedSystem(
                name=name,
                criticality=crit,
                rpo_minutes=rpo,
                rto_minutes=rto,
                owner=next((users[u] for u in owner.split("|") if u in users), None),
                team=teams.get(team),
                service=service,
                vendor=Vendor.objects.filter(name__contains=vendor).first()
                if vendor
                else None,
                description=f"{name} of the demo hospital.",
            )
        )
    systems = {s.name: s for s in insert(ProtectedSystem, rows)}
    links = []
    for name, *_middle, stems, arrays in SYSTEMS:
        hosts = Q()
        for stem in stems:
            hosts |= Q(hostname__startswith=stem) | Q(hostname__startswith=f"ec-{stem}")
        found = Asset.objects.filter(hosts, asset_type__code="server")
        if arrays:
            found = found | Asset.objects.filter(asset_type__code="storage")
        links += [(systems[name].pk, pk) for pk in found.values_list("pk", flat=True)]
    through = ProtectedSystem.assets.through
    through.objects.bulk_create(
        [through(protectedsystem_id=s, asset_id=a) for s, a in links]
    )
    return systems


def _stores(systems: dict[str, ProtectedSystem]) -> dict[str, list[DataStore]]:
    rows = []
    for system_name, stores in STORES.items():
        system = systems[system_name]
        # A database lives on the system's database server where there is one.
        server = system.assets.filter(hostname__contains="-db-").first()
        for name, kind, where in stores:
            on = server if kind == DataStoreKind.DATABASE else None
            rows.append(
                DataStore(system=system, name=name, kind=kind, where=where, asset=on)
            )
    made = insert(DataStore, rows)
    by_system: dict[str, list[DataStore]] = {}
    for store in made:
        by_system.setdefault(store.system.name, []).append(store)
    return by_system


def _destinations() -> dict[str, BackupDestination]:
    campuses = {
        loc.code: loc for loc in Location.objects.filter(kind=LocationKind.CAMPUS)
    }
    rows = [
        BackupDestination(
            name=name,
            media=media,
            offsite=offsite,
            immutable=immutable,
            offline=offline,
            stale_days=stale,
            location=campuses.get(campus) if campus else None,
        )
        for name, media, offsite, immutable, offline, stale, campus in DESTINATIONS
    ]
    return {d.name: d for d in insert(BackupDestination, rows)}


def _jobs(
    systems: dict[str, ProtectedSystem],
    stores: dict[str, list[DataStore]],
    destinations: dict[str, BackupDestination],
    tools: set[str],
) -> list[BackupJob]:
    root = demo_repos.build_root()
    rows = []
    for system, name, tool, destination, _e, size, _s, schedule, retention in JOBS:
        repo = demo_repos.plan_for(root, system, name, tool, tools)
        rows.append(
            BackupJob(
                system=systems[system],
                name=name,
                tool=tool,
                destination=destinations[destination],
                schedule=schedule,
                retention=retention,
                expected_size_bytes=int(size * GB),
                repository=repo.path,
                repository_password=repo.password,
            )
        )
    jobs = insert(BackupJob, rows)
    through = BackupJob.data_stores.through
    links = []
    for job, (system, *_m, picked, _sc, _r) in zip(jobs, JOBS, strict=True):
        chosen = [stores[system][i] for i in picked] if picked else stores[system]
        links += [through(backupjob_id=job.pk, datastore_id=s.pk) for s in chosen]
    through.objects.bulk_create(links)
    return jobs


def _runs(
    rng: random.Random,
    job: BackupJob,
    key: tuple[str, str],
    tool: str,
    every: int,
    size_gb: float,
    now: dt.datetime,
) -> list[tuple[Any, ...]]:
    """The job's runs over the last sixty days, oldest first, as rows."""
    step = dt.timedelta(minutes=every)
    count = DAYS * 24 * 60 // every
    # The newest run has finished by now, however long a run of it takes; a
    # weekly job last ran two to three days ago.
    if every >= 7 * 1440:
        lead = 2 * 1440 + rng.uniform(0, 1440)
    else:
        lead = rng.randrange(1, min(every, 120)) + size_gb / 40 + 6
    last_start = now - dt.timedelta(minutes=lead)
    stop = now - dt.timedelta(days=21) if key == STOPPED else None
    runs = []
    for n in range(count):
        started = last_start - step * (count - 1 - n)
        if stop is not None and started > stop:
            break
        from_end = count - 1 - n
        growth = 1 + 0.1 * n / count  # data grows a tenth over the period
        size = size_gb * growth * rng.uniform(0.97, 1.03)
        if key == SHRUNK and from_end < 2:
            size *= 0.35
        failed = (key == FAILING and from_end < 2) or rng.random() < 0.015
        status = RunStatus.FAILED if failed else RunStatus.SUCCESS
        if not failed and rng.random() < 0.02:
            status = RunStatus.WARNING
        took = dt.timedelta(minutes=max(1, size / 40 + rng.uniform(0, 5)))
        ok = not failed
        runs.append(
            (
                job.pk,
                f"{job.pk:03d}{n:06x}" if tool != BackupTool.CSV else "",
                str(status),
                started,
                started + took,
                int(size * GB) if ok else None,
                int(size * GB * rng.uniform(0.01, 0.04)) if ok else None,
                int(size * 900) if ok else None,
                _message(status, rng),
                str(SOURCE.get(tool, RunSource.WEBHOOK)),
                started + took,
            )
        )
    return runs


RUN_COLUMNS = (
    "job_id, external_id, status, started_at, finished_at, size_bytes, "
    "added_bytes, files, message, source, received_at"
)


def _insert_runs(rows: list[tuple[Any, ...]]) -> None:
    """Runs are measurements, not audited records: PostgreSQL's COPY, or
    plain multi-row inserts (the ORM's bulk_create, and psycopg's parsing of
    long parameter lists, cost seconds for the demo's ten thousand runs)."""
    table = connection.ops.quote_name(BackupRun._meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            raw = cursor.cursor  # psycopg's own cursor
            with raw.copy(f"COPY {table} ({RUN_COLUMNS}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        adapt = connection.ops.adapt_datetimefield_value
        one = "(" + ", ".join(["%s"] * 11) + ")"
        for start in range(0, len(rows), RUNS_PER_INSERT):
            chunk = rows[start : start + RUNS_PER_INSERT]
            params = [
                adapt(value) if isinstance(value, dt.datetime) else value
                for row in chunk
                for value in row
            ]
            sql = f"INSERT INTO {table} ({RUN_COLUMNS}) VALUES "
            cursor.execute(sql + ", ".join([one] * len(chunk)), params)


def _message(status: str, rng: random.Random) -> str:
    if status == RunStatus.FAILED:
        return rng.choice(
            (
                "repository locked by another process",
                "destination not reachable: connection timed out",
                "no space left on device",
            )
        )
    if status == RunStatus.WARNING:
        return "some files changed while being read"
    return ""
