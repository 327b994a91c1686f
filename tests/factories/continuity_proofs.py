"""Real repositories for restore tests: restic and borg repositories made
with the real tools from a small live folder, PostgreSQL dumps made with
pg_dump, and the damage a test does to them."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import psycopg
import pytest

from tests.factories.continuity import (
    BackupJobFactory,
    ProtectedSystemFactory,
    RestoreTestFactory,
)
from wardkeeper.continuity.choices import BackupTool, CompareWith, RestoreMethod

PASSWORD = "correct horse battery staple"
PG_SERVER = "postgresql://postgres@127.0.0.1:5432/postgres"


@pytest.fixture
def scratch(settings, tmp_path):
    """Restores land in a folder the test can look into afterwards; the
    scratch databases go to the real PostgreSQL."""
    settings.CONTINUITY_SCRATCH_DIR = str(tmp_path / "scratch")
    settings.CONTINUITY_PG_RESTORE_URL = PG_SERVER
    return tmp_path / "scratch"


def scratch_left() -> list[str]:
    """What a restore left in the scratch folder (nothing, if it cleaned up)."""
    from django.conf import settings

    root = Path(settings.CONTINUITY_SCRATCH_DIR)
    return sorted(p.name for p in root.iterdir()) if root.exists() else []


def live_folder(root: Path, files: int = 12) -> Path:
    """A folder of small files of different sizes (one in a subfolder, one
    with glob characters in its name)."""
    live = root / "live"
    (live / "scans").mkdir(parents=True)
    for n in range(files):
        (live / f"report-{n:02d}.txt").write_bytes(os.urandom(100 + n * 997))
    (live / "scans" / "ct [1]*.dcm").write_bytes(os.urandom(300_000))
    return live


def _run(args: list[str], env: dict[str, str], cwd: Path | None = None) -> str:
    done = subprocess.run(
        args, env={**os.environ, **env}, cwd=cwd, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def restic_repo(root: Path, live: Path) -> Path:
    repo = root / "restic-repo"
    env = {"RESTIC_PASSWORD": PASSWORD, "RESTIC_CACHE_DIR": str(root / "cache")}
    _run(["restic", "init", "-q", "-r", str(repo)], env)
    _run(["restic", "backup", "-q", "-r", str(repo), str(live)], env)
    return repo


def borg_repo(root: Path, live: Path) -> Path:
    repo = root / "borg-repo"
    env = {"BORG_PASSPHRASE": PASSWORD, "BORG_BASE_DIR": str(root / "borgbase")}
    _run(["borg", "init", "-e", "repokey", str(repo)], env)
    # From the live folder's parent, as a cron job often does: "live/…".
    _run(["borg", "create", f"{repo}::nightly-1", "live"], env, cwd=live.parent)
    return repo


def corrupt_largest_file(folder: Path) -> Path:
    """Flip bytes through the largest file under ``folder`` (restic's pack of
    file data, borg's segment): what a failing disk does."""
    files = [p for p in folder.rglob("*") if p.is_file()]
    target = max(files, key=lambda p: p.stat().st_size)
    target.chmod(0o600)
    data = bytearray(target.read_bytes())
    for i in range(200, len(data) - 200, 4096):
        data[i] ^= 0xFF
    target.write_bytes(bytes(data))
    return target


def file_job(tool: str, repo: Path, live: Path, **system):
    system_row = (
        ProtectedSystemFactory(**system) if system else ProtectedSystemFactory()
    )
    return BackupJobFactory(
        system=system_row,
        tool=tool,
        repository=str(repo),
        repository_password=PASSWORD,
        source_path=str(live),
    )


def file_test(job, method=RestoreMethod.SAMPLE, compare=CompareWith.SNAPSHOT, **kw):
    return RestoreTestFactory(job=job, method=method, compare_with=compare, **kw)


def source_database(name: str, patients: int) -> str:
    """A small clinical database on the real PostgreSQL, made afresh."""
    with psycopg.connect(PG_SERVER, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    url = PG_SERVER.rsplit("/", 1)[0] + f"/{name}"
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(
            "CREATE TABLE admission (id serial PRIMARY KEY, patient text,"
            " admitted_at timestamptz NOT NULL DEFAULT now())"
        )
        conn.execute(
            "INSERT INTO admission (patient) SELECT 'patient ' || n"
            " FROM generate_series(1, %s) n",
            [patients],
        )
    return url


def drop_database(name: str) -> None:
    with psycopg.connect(PG_SERVER, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def dump_into(folder: Path, url: str, name: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / name
    _run(["pg_dump", "--format=custom", f"--file={target}", url], {})
    return target


def scratch_databases() -> list[str]:
    with psycopg.connect(PG_SERVER) as conn:
        rows = conn.execute(
            "SELECT datname FROM pg_database WHERE datname LIKE 'wk_restore_%%'"
        ).fetchall()
    return [row[0] for row in rows]


def database_job(folder: Path, **system):
    system_row = (
        ProtectedSystemFactory(**system) if system else ProtectedSystemFactory()
    )
    return BackupJobFactory(
        system=system_row, tool=BackupTool.PG_DUMP, repository=str(folder)
    )
