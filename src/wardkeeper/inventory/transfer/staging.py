"""Keeping an uploaded file between the dry run and the confirmed import.

The file waits in ``<data dir>/imports/`` under a random name; the session
remembers which token belongs to which kind and original file name, so a user
can only confirm a file they uploaded themselves. Files are deleted after the
import or the cancel, and any left behind for a day are swept.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings

SESSION_KEY = "inventory_transfer"
MAX_AGE_SECONDS = 24 * 3600


@dataclass(frozen=True)
class Staged:
    """An uploaded file waiting for confirmation."""

    token: str
    kind: str
    filename: str
    path: Path


def folder() -> Path:
    path = Path(settings.DATA_DIR) / "imports"
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    return path


def stage(session: Any, kind: str, filename: str, chunks: Iterable[bytes]) -> Staged:
    """Store an upload under a new random name and remember it in the session."""
    sweep()
    token = secrets.token_urlsafe(18)
    suffix = Path(filename).suffix.lower()
    path = folder() / f"{token}{suffix}"
    with path.open("xb") as handle:
        path.chmod(0o600)
        for chunk in chunks:
            handle.write(chunk)
    waiting = dict(session.get(SESSION_KEY, {}))
    waiting[token] = {"kind": kind, "filename": Path(filename).name, "file": path.name}
    session[SESSION_KEY] = waiting
    return Staged(token, kind, Path(filename).name, path)


def find(session: Any, token: str) -> Staged | None:
    """The file this session staged under ``token``, if it is still there."""
    entry = session.get(SESSION_KEY, {}).get(token)
    if not entry:
        return None
    path = folder() / entry["file"]
    if not path.is_file():
        return None
    return Staged(token, entry["kind"], entry["filename"], path)


def discard(session: Any, token: str) -> None:
    """Forget a staged file and delete it."""
    waiting = dict(session.get(SESSION_KEY, {}))
    entry = waiting.pop(token, None)
    session[SESSION_KEY] = waiting
    if entry:
        (folder() / entry["file"]).unlink(missing_ok=True)


def sweep(now: float | None = None) -> None:
    """Delete staged files older than a day (abandoned dry runs)."""
    limit = (now or time.time()) - MAX_AGE_SECONDS
    for path in folder().iterdir():
        if path.is_file() and path.stat().st_mtime < limit:
            path.unlink(missing_ok=True)
