"""Comparing restored files: with what the snapshot's listing says (size,
and the SHA-256 where the tool can give it) and, when the test asks, with
the live data.

A live file that differs from its restored copy is normal when it changed
after the backup (its modification time is later than the snapshot): that is
a note, not a failure. It is a failure when the live file was not touched
since the backup and still differs: the backup did not give back what was
there. A file gone from the live data is a note."""

from __future__ import annotations

import datetime as dt
import hashlib
import random
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

# Each file's result, stored as a code in the evidence (the pages translate).
MATCH = "match"
NOT_RESTORED = "not_restored"
DIFFERS = "differs"
LIVE_DIFFERS = "live_differs"
LIVE_CHANGED = "live_changed"
LIVE_MISSING = "live_missing"
FAILING = frozenset({NOT_RESTORED, DIFFERS, LIVE_DIFFERS})

# Rows of matching files kept in the evidence (problems are always kept).
MATCHES_KEPT = 200
PROBLEMS_KEPT = 1000


@dataclass(frozen=True)
class Entry:
    """One regular file as the snapshot lists it."""

    path: str
    size: int
    mtime: dt.datetime | None = None
    sha256: str | None = None


def pick(entries: Iterable[Entry], count: int | None, seed: str) -> list[Entry]:
    """All entries (``count`` None), or ``count`` of them chosen at random
    but the same for the same seed (test and snapshot): a reservoir, so a
    listing of millions of files is never held whole."""
    if count is None:
        return sorted(entries, key=lambda e: e.path)
    rng = random.Random(seed)
    chosen: list[Entry] = []
    for seen, entry in enumerate(entries):
        if seen < count:
            chosen.append(entry)
        else:
            slot = rng.randint(0, seen)
            if slot < count:
                chosen[slot] = entry
    return sorted(chosen, key=lambda e: e.path)


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def live_path(source: str, path: str) -> Path:
    """Where a snapshot's file lives on the live side: the path below the
    backed-up folder, joined to ``source``. A listing may hold the absolute
    path (borg from /), the folder's own name first (restic, borg from its
    parent) or the path below the folder (borg from inside it)."""
    parts = PurePosixPath(path.lstrip("/")).parts
    root = PurePosixPath(source.lstrip("/")).parts
    if root and parts[: len(root)] == root:
        parts = parts[len(root) :]
    elif root and parts and parts[0] == root[-1]:
        parts = parts[1:]
    return Path(source).joinpath(*parts)


@dataclass
class Comparison:
    rows: list[dict[str, Any]]
    compared: int = 0
    bytes: int = 0
    problems: int = 0
    notes: int = 0

    def as_evidence(self) -> dict[str, Any]:
        return {
            "files_compared": self.compared,
            "bytes_compared": self.bytes,
            "problems": self.problems,
            "notes": self.notes,
            "files": self.rows,
        }


def compare(
    entries: list[Entry],
    restored: Path,
    *,
    live_source: str | None,
    snapshot_time: dt.datetime | None,
) -> Comparison:
    """Check each restored file against its listing and (``live_source``)
    the live data; see the module's note for what fails."""
    result = Comparison(rows=[])
    matches = 0
    for entry in entries:
        code, detail, digest = _one(entry, restored, live_source, snapshot_time)
        result.compared += 1
        result.bytes += entry.size
        failing = code in FAILING
        result.problems += failing
        result.notes += code not in FAILING and code != MATCH
        if code == MATCH:
            matches += 1
            if matches > MATCHES_KEPT:
                continue
        elif len(result.rows) >= PROBLEMS_KEPT + MATCHES_KEPT:
            continue
        result.rows.append(
            {
                "path": entry.path,
                "size": entry.size,
                "sha256": digest,
                "result": code,
                "detail": detail,
            }
        )
    # Problems first, so the page shows them before the matches.
    result.rows.sort(key=lambda row: (row["result"] == MATCH, row["path"]))
    return result


def _one(
    entry: Entry,
    restored: Path,
    live_source: str | None,
    snapshot_time: dt.datetime | None,
) -> tuple[str, str, str]:
    """(result code, detail, restored file's SHA-256) of one file."""
    copy = restored / entry.path.lstrip("/")
    if not copy.is_file():
        return NOT_RESTORED, "", ""
    digest = sha256_of(copy)
    size = copy.stat().st_size
    if size != entry.size:
        return DIFFERS, f"size {size}, listed {entry.size}", digest
    if entry.sha256 and entry.sha256 != digest:
        return DIFFERS, f"listed sha256 {entry.sha256}", digest
    if not live_source:
        return MATCH, "", digest
    live = live_path(live_source, entry.path)
    if not live.is_file():
        return LIVE_MISSING, str(live), digest
    if sha256_of(live) == digest:
        return MATCH, "", digest
    changed = dt.datetime.fromtimestamp(live.stat().st_mtime, tz=dt.UTC)
    if snapshot_time is not None and changed > snapshot_time:
        return LIVE_CHANGED, f"{live} changed {changed:%Y-%m-%d %H:%M:%S} UTC", digest
    return LIVE_DIFFERS, str(live), digest
