"""What every restore test shares: running the backup tools (with their
secrets in the environment, never on the command line), a scratch directory
that is removed even when the test fails, and the outcome a method returns.

The tools are the real ones (restic, borg, pg_restore); a command's line,
exit code, time and last error lines go into the run's evidence."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings

from wardkeeper.continuity.services.readers.tool import child_env

# Restore tests are long by nature (a full restore of an image archive); a
# command that runs past this is stopped and the test fails.
DEFAULT_TIMEOUT_SECONDS = 6 * 3600
# The stderr lines kept as evidence per command.
STDERR_LINES = 12


class ToolFailed(Exception):
    """A tool exited with an error: ``message`` is what it said."""

    def __init__(self, message: str, record: dict[str, Any]) -> None:
        super().__init__(message)
        self.message = message
        self.record = record


@dataclass
class Outcome:
    """What one restore test found: passed or not, in one sentence, with the
    evidence (files compared, mismatches, query answers, commands run)."""

    passed: bool
    message: str
    snapshot: str = ""
    external_ids: list[str] = field(default_factory=list)
    evidence: dict[str, Any] = field(default_factory=dict)


def timeout_seconds() -> int:
    return int(
        getattr(settings, "CONTINUITY_RESTORE_TIMEOUT_SECONDS", DEFAULT_TIMEOUT_SECONDS)
    )


def scratch_root() -> Path:
    """Where restores land (``CONTINUITY_SCRATCH_DIR``, default the data
    directory's ``restore-scratch``)."""
    default = Path(settings.DATA_DIR) / "restore-scratch"
    root = Path(getattr(settings, "CONTINUITY_SCRATCH_DIR", None) or default)
    root.mkdir(parents=True, exist_ok=True)
    return root


@contextlib.contextmanager
def scratch_dir(prefix: str) -> Iterator[Path]:
    """A fresh directory under the scratch root, removed afterwards whatever
    happened (restored files may be read-only: they are made writable)."""
    path = Path(tempfile.mkdtemp(prefix=prefix, dir=scratch_root()))
    try:
        yield path
    finally:
        shutil.rmtree(path, onerror=_force_remove)


def _force_remove(func: Any, path: str, excinfo: Any) -> None:
    with contextlib.suppress(OSError):
        os.chmod(os.path.dirname(path), 0o700)
        os.chmod(path, 0o700)
        func(path)


def tool_env(extra: dict[str, str]) -> dict[str, str]:
    """The readers' child environment (no Wardkeeper secrets, UTC) plus ``extra``."""
    return child_env(extra)


def _tail(text: str) -> list[str]:
    lines = [line for line in text.splitlines() if line.strip()]
    return lines[-STDERR_LINES:]


def run_tool(
    args: list[str],
    *,
    env: dict[str, str],
    log: list[dict[str, Any]],
    cwd: Path | None = None,
    check: bool = True,
) -> subprocess.CompletedProcess[str]:
    """Run one command, record it in ``log``; raises ToolFailed when it exits
    with an error (``check``) or runs past the timeout."""
    started = time.monotonic()
    record: dict[str, Any] = {"command": " ".join(args)}
    log.append(record)
    try:
        done = subprocess.run(
            args,
            env=env,
            stdin=subprocess.DEVNULL,
            cwd=cwd,
            capture_output=True,
            text=True,
            errors="replace",
            timeout=timeout_seconds(),
            check=False,
        )
    except subprocess.TimeoutExpired:
        record.update(exit=None, seconds=round(time.monotonic() - started, 2))
        raise ToolFailed(
            f"{args[0]} did not finish within {timeout_seconds()} s", record
        ) from None
    except FileNotFoundError:
        record.update(exit=None, seconds=0)
        raise ToolFailed(f"{args[0]} is not installed", record) from None
    record.update(exit=done.returncode, seconds=round(time.monotonic() - started, 2))
    if done.returncode != 0:
        record["stderr"] = _tail(done.stderr)
        if check:
            raise ToolFailed(
                first_error(done.stderr) or f"exit {done.returncode}", record
            )
    return done


def first_error(stderr: str) -> str:
    """The tool's own words for what went wrong, without a traceback."""
    useful = []
    for line in stderr.splitlines():
        if line.startswith("Traceback"):
            break
        text = line.strip()
        if text and not text.startswith(("restoring <", "verifying files")):
            useful.append(text)
    return "; ".join(useful[:5])[:500]
