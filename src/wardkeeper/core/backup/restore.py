"""Restoring an archive into an empty data directory and database.

Nothing is put in place before the whole archive has been extracted to a
staging folder inside the data directory (same file system, so the moves are
renames) and verified. The database goes first, as it is the step most likely
to fail; PostgreSQL loads it in one transaction. The restored data is then
checked by a fresh ``wardkeeper`` process (``finish``), because this one has
already loaded the keys the data directory held before.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from django.db import connection
from django.utils.translation import gettext as _

from wardkeeper.core.backup import BackupError, archive, database
from wardkeeper.core.backup.manifest import Manifest, check_restorable

# Made by every start of Wardkeeper (keys, collected static files): a data
# directory holding only these, an empty database and no uploads is empty.
_REGENERATED = {*archive.KEY_FILES, "static"}
_SQLITE_SIDE_FILES = (f"{database.SQLITE_FILE}-wal", f"{database.SQLITE_FILE}-shm")


def restore(path: Path, data_dir: Path) -> Manifest:
    """Restore the archive at ``path`` into ``data_dir`` and the configured
    database; raises BackupError, changing nothing, if either is not empty or
    the archive cannot be restored here."""
    vendor = database.vendor()
    data_dir = data_dir.resolve()
    data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    refuse_unless_empty(data_dir, vendor)
    staging = Path(tempfile.mkdtemp(prefix=".restore-", dir=data_dir))
    try:
        manifest = archive.extract(path, staging)
        check_restorable(manifest, vendor)
        _place_database(manifest, staging, data_dir)
        _place_keys(staging / "keys", data_dir)
        _place_uploads(staging / "uploads", data_dir / "uploads")
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return manifest


def refuse_unless_empty(data_dir: Path, vendor: str) -> None:
    """Raise BackupError, saying how to empty them, unless the data directory
    and the configured database hold nothing."""
    occupied = _occupied(data_dir)
    if occupied:
        raise BackupError(
            _(
                "The data directory %(dir)s is not empty: it holds %(names)s. "
                "Restore into an empty one: stop Wardkeeper and move these "
                "aside, or give another directory with --data-dir."
            )
            % {"dir": data_dir, "names": ", ".join(occupied)}
        )
    if vendor == database.POSTGRESQL and database.postgresql_tables():
        raise BackupError(
            _(
                "The database %(name)s already has tables. Restore needs an empty "
                "database: recreate it (dropdb %(name)s; createdb --owner "
                "<owner> %(name)s) or empty its schema (DROP SCHEMA public "
                "CASCADE; CREATE SCHEMA public;), then run the restore again."
            )
            % {"name": connection.settings_dict["NAME"]}
        )


def _occupied(data_dir: Path) -> list[str]:
    """What in the data directory would be overwritten or left mixed in."""
    sqlite_empty = database.sqlite_state(data_dir / database.SQLITE_FILE) is None
    found = []
    for entry in sorted(data_dir.iterdir()):
        name = entry.name
        if name in _REGENERATED:
            continue
        if name == "uploads" and entry.is_dir() and not _has_files(entry):
            continue
        if sqlite_empty and name in (database.SQLITE_FILE, *_SQLITE_SIDE_FILES):
            continue
        found.append(name)
    return found


def _has_files(folder: Path) -> bool:
    return any(not path.is_dir() for path in folder.rglob("*"))


def _place_database(manifest: Manifest, staging: Path, data_dir: Path) -> None:
    copy = staging.joinpath(*manifest.database_member.split("/"))
    if manifest.database_vendor == database.POSTGRESQL:
        database.load_postgresql(copy)
        return
    connection.close()  # this process must not hold the file being replaced
    for name in _SQLITE_SIDE_FILES:
        (data_dir / name).unlink(missing_ok=True)
    os.replace(copy, data_dir / database.SQLITE_FILE)


def _place_keys(keys: Path, data_dir: Path) -> None:
    for name in archive.KEY_FILES:
        if (keys / name).is_file():
            os.replace(keys / name, data_dir / name)
            (data_dir / name).chmod(0o600)


def _place_uploads(source: Path, target: Path) -> None:
    if not source.is_dir():
        return
    if target.exists():
        shutil.rmtree(target)  # checked above: folders only, no files
    os.replace(source, target)


def check_restored(path: Path, data_dir: Path) -> dict[str, Any]:
    """Run ``finish`` in a fresh ``wardkeeper`` process on the restored data
    directory and return its report; raises BackupError if it fails."""
    result = subprocess.run(
        [sys.executable, "-m", "wardkeeper", "restore", str(path), "--finish"],
        env={**os.environ, "WARDKEEPER_DATA_DIR": str(data_dir.resolve())},
        stdout=subprocess.PIPE,
        text=True,
        check=False,
    )
    lines = result.stdout.strip().splitlines()
    if result.returncode != 0 or not lines:
        raise BackupError(
            _(
                "The data was restored into %(dir)s, but checking it failed (see "
                "the messages above). Fix the cause and run "
                "`wardkeeper migrate` and `wardkeeper audit verify` there."
            )
            % {"dir": data_dir}
        )
    report: dict[str, Any] = json.loads(lines[-1])
    return report
