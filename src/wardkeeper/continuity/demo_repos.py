"""Small real repositories for the demo's restic and borg jobs, so that
reading a repository and restoring from it work in the demo as they do in a
hospital: a few files of demo data per job, backed up twice with the real
tool into ``<data dir>/demo-backups/<build>/``, the two snapshots dated like the
job's two newest successful runs (the rest of the history stays synthetic)
and known by the same ids, so a read finds nothing new. While the demo runs,
``take_snapshot`` adds one more, a generation of data newer (demo_live.py).

When a tool is not installed its jobs get no repository: nothing is read,
and their restore tests are not scheduled (demo_proofs.py)."""

from __future__ import annotations

import datetime as dt
import secrets
import shutil
import subprocess
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings

from wardkeeper.continuity.choices import BackupTool, RunStatus
from wardkeeper.continuity.services.readers.tool import (
    borg_env,
    child_env,
    restic_env,
    tool_path,
)

__all__ = [
    "DemoRepository",
    "available_tools",
    "build_root",
    "fill_repositories",
    "is_demo_repository",
    "plan_for",
    "take_snapshot",
]

ROOT = "demo-backups"
TIMEOUT = 120  # seconds per command: a few kilobytes each
SNAPSHOTS = 2


@dataclass(frozen=True)
class DemoRepository:
    """Where a demo job's repository goes and the password that opens it."""

    path: str
    password: str


def available_tools() -> set[str]:
    """The repository tools installed here (restic, borg); none when the
    demo is to make no repositories (CONTINUITY_DEMO_REPOSITORIES)."""
    if not settings.CONTINUITY_DEMO_REPOSITORIES:
        return set()
    return {
        tool
        for tool in (BackupTool.RESTIC, BackupTool.BORG)
        if shutil.which(tool_path(str(tool)))
    }


def build_root() -> Path:
    """A folder of this build's own: two builds (the test suite's workers)
    never share a repository."""
    return Path(settings.DATA_DIR) / ROOT / secrets.token_hex(4)


def plan_for(
    root: Path, system: str, job: str, tool: str, tools: set[str]
) -> DemoRepository:
    """The repository of a demo job, or an empty one (not read) when its
    tool is missing or it is not a repository job."""
    if tool not in tools:
        return DemoRepository("", "")
    slug = f"{system}-{job}".lower().replace(" ", "-")
    path = root / "repositories" / f"{slug}-{tool}"
    return DemoRepository(str(path), secrets.token_urlsafe(18))


def fill_repositories(jobs: Sequence[Any], runs: list[list[Any]]) -> None:
    """Create each job's repository with two snapshots dated as its newest
    successful runs (rows of demo._runs, by job), and give those rows the
    snapshots' ids. Runs the tools side by side: the demo builds in seconds."""
    work = [(job, rows) for job, rows in zip(jobs, runs, strict=True) if job.repository]
    with ThreadPoolExecutor(max_workers=4) as pool:
        made = list(pool.map(lambda item: _fill(*item), work))
    for (_job, rows), ids in zip(work, made, strict=True):
        for index, snapshot_id in ids.items():
            rows[index][1] = snapshot_id


def _fill(job: Any, rows: list[list[Any]]) -> dict[int, str]:
    """The repository of one job; ``{row index: snapshot id}``."""
    newest = [i for i in range(len(rows)) if rows[i][2] == RunStatus.SUCCESS][
        -SNAPSHOTS:
    ]
    repo = Path(job.repository)
    source = _data_folder(repo)
    repo.parent.mkdir(parents=True, exist_ok=True)
    if job.tool == BackupTool.RESTIC:
        _run([tool_path("restic"), "init"], restic_env(job))
    else:
        _run([tool_path("borg"), "init", "--encryption=repokey"], borg_env(job))
    made: dict[int, str] = {}
    for n, index in enumerate(newest):
        _write_data(source, job, n)
        made[index] = _snapshot(job, source, rows[index][3], rows[index][1])
    return made


def is_demo_repository(path: str) -> bool:
    """Whether ``path`` is a repository the demo made (one Wardkeeper may
    write to), not one of the hospital's own."""
    if not path:
        return False
    root = (Path(settings.DATA_DIR) / ROOT).resolve()
    return Path(path).resolve().is_relative_to(root)


def take_snapshot(job: Any, at: dt.datetime) -> str:
    """Back up the demo job's data once more, one generation newer, as a
    snapshot or archive dated ``at``; its id (the one the reader stores).
    Raises the tool's error (``subprocess.CalledProcessError``, ``OSError``
    when it is missing, ``subprocess.TimeoutExpired``)."""
    tool = tool_path(str(job.tool))
    if not shutil.which(tool):  # before the data grows a generation for nothing
        raise FileNotFoundError(f"{tool} is not installed")
    source = _data_folder(Path(job.repository))
    _write_data(source, job, _generation(source) + 1)
    name = f"{job.pk:03d}-{at.astimezone(dt.UTC):%Y-%m-%dT%H%M%S}"
    return _snapshot(job, source, at, name)


def _data_folder(repo: Path) -> Path:
    """The demo data a job backs up, beside the repositories."""
    return repo.parent.parent / "data" / repo.name


def _snapshot(job: Any, source: Path, at: dt.datetime, name: str) -> str:
    """One backup of ``source`` dated ``at``; the snapshot's id (restic), or
    the archive, named ``name`` (borg)."""
    if job.tool == BackupTool.RESTIC:
        return _restic_backup(restic_env(job), source, at)
    stamp = at.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S")
    _run(
        [tool_path("borg"), "create", "--timestamp", stamp, f"::{name}", "."],
        borg_env(job),
        cwd=source,
    )
    return name


def _restic_backup(env: dict[str, str], source: Path, at: dt.datetime) -> str:
    """Back up ``source`` as of ``at``; the snapshot's full id, the one the
    reader stores. A local repository names each snapshot's file by it:
    reading it there spares another opening of the repository (its key
    derivation is what makes restic slow to start)."""
    stamp = at.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M:%S")
    folder = Path(env["RESTIC_REPOSITORY"]) / "snapshots"
    before = set(folder.iterdir())
    _run([tool_path("restic"), "backup", "--quiet", "--time", stamp, str(source)], env)
    (made,) = set(folder.iterdir()) - before
    return made.name


def _write_data(source: Path, job: Any, generation: int) -> None:
    """A few files of demo data; each generation adds twenty records."""
    source.mkdir(parents=True, exist_ok=True)
    (source / "README.txt").write_text(
        f"Demo data of {job.system.name}, backed up by the job “{job.name}”.\n"
    )
    (source / "config").mkdir(exist_ok=True)
    (source / "config" / "settings.ini").write_text(
        f"[{job.system.name}]\nnode = {job.system.name.lower()}-app-01\nport = 8443\n"
    )
    (source / "export").mkdir(exist_ok=True)
    lines = "".join(f"{n},record {n},ok\n" for n in range(200 + 20 * generation))
    (source / "export" / "records.csv").write_text("id,name,state\n" + lines)


def _generation(source: Path) -> int:
    """The generation of the data in ``source`` (-1: none written yet)."""
    try:
        lines = (source / "export" / "records.csv").read_text().count("\n")
    except FileNotFoundError:
        return -1
    return (lines - 1 - 200) // 20


def _run(argv: list[str], env: dict[str, str], cwd: Path | None = None) -> str:
    done = subprocess.run(
        argv,
        env=child_env(env),
        cwd=cwd,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=True,
    )
    return done.stdout
