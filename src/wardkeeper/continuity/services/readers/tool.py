"""Running a backup tool and reading its answer: environment, timeout,
errors in words, JSON, times, and a snapshot or archive as a run."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from wardkeeper.continuity.choices import RunStatus
from wardkeeper.continuity.services.ingest import RunReport

__all__ = [
    "ReadError",
    "load_json",
    "parse_time",
    "read_tool",
    "run_tool",
    "success",
    "timeout",
    "tool_path",
]

DEFAULT_TIMEOUT = 300  # seconds: a large remote repository lists slowly


class ReadError(Exception):
    """A repository could not be read; the message says why, in words."""


def tool_path(name: str) -> str:
    """The tool's executable: CONTINUITY_RESTIC / CONTINUITY_BORG, else its name."""
    return str(getattr(settings, f"CONTINUITY_{name.upper()}", name))


def cache_dir(name: str) -> Path:
    path = Path(settings.DATA_DIR) / "cache" / name
    path.mkdir(parents=True, exist_ok=True)
    return path


def child_env(extra: Mapping[str, str]) -> dict[str, str]:
    """The process environment without Wardkeeper's own settings (they hold
    its secrets), in UTC, plus ``extra``. The rest passes through: a cloud
    repository's credentials (AWS_*, B2_*, …) and ssh's agent live there."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("WARDKEEPER_")}
    env.update({"TZ": "UTC", "LC_ALL": "C.UTF-8", **extra})
    return env


def run_tool(argv: list[str], env: Mapping[str, str], *, timeout: float) -> str:
    """Run a tool and return its standard output; ``ReadError`` if it cannot
    start, takes too long or fails."""
    try:
        done = subprocess.run(
            argv,
            env=child_env(env),
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
    except FileNotFoundError as error:
        raise ReadError(
            _("%(tool)s is not installed (looked for %(path)s).")
            % {"tool": Path(argv[0]).name, "path": argv[0]}
        ) from error
    except subprocess.TimeoutExpired as error:
        raise ReadError(
            _("%(tool)s did not answer within %(seconds)d seconds.")
            % {"tool": Path(argv[0]).name, "seconds": int(timeout)}
        ) from error
    if done.returncode != 0:
        raise ReadError(
            last_words(done.stderr) or _("exit status %d") % done.returncode
        )
    return done.stdout


def read_tool(argv: list[str], env: Mapping[str, str]) -> str:
    """``run_tool`` for reading a repository, with the reading timeout."""
    return run_tool(argv, env, timeout=timeout())


def last_words(stderr: str) -> str:
    """The tool's error: its last non-empty lines, the ones that say why."""
    lines = [line.strip() for line in stderr.splitlines() if line.strip()]
    return " ".join(lines[-2:])[:400]


def load_json(output: str, tool: str, empty: str = "") -> Any:
    """The tool's answer read as JSON (``empty`` when it said nothing);
    ``ReadError`` when it is not JSON."""
    try:
        return json.loads(output or empty)
    except json.JSONDecodeError as error:
        raise ReadError(
            _("%(tool)s answered something that is not JSON.") % {"tool": tool}
        ) from error


def success(
    external_id: str,
    start: str,
    end: str | None,
    message: str,
    *,
    size_bytes: int | None = None,
    added_bytes: int | None = None,
    files: int | None = None,
) -> RunReport:
    """A snapshot or archive as a run: the tools keep only the backups that
    were written, so each one is a success."""
    return RunReport(
        external_id=external_id,
        status=RunStatus.SUCCESS,
        started_at=parse_time(start),
        finished_at=parse_time(end) if end else None,
        size_bytes=size_bytes,
        added_bytes=added_bytes,
        files=files,
        message=message,
    )


def parse_time(value: str) -> dt.datetime:
    """An ISO time from a tool (restic's nanoseconds included); one without
    a zone is UTC (the tools run with TZ=UTC)."""
    moment = dt.datetime.fromisoformat(value.strip())
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment


def timeout() -> float:
    return float(getattr(settings, "CONTINUITY_READ_TIMEOUT", DEFAULT_TIMEOUT))


# The sizes of the newest new snapshots are read (one call each for restic):
# the size check looks at the last ten, and a first read of a repository
# with years of snapshots must not take hours. Older ones are stored without.
SIZED_PER_READ = 20


def sized_newest(new: list[dict[str, Any]]) -> set[int]:
    """The ids (``id()``) of the newest new items whose sizes are read."""
    return {id(item) for item in new[-SIZED_PER_READ:]}


def restic_env(job: Any) -> dict[str, str]:
    """What restic needs to open ``job``'s repository (never on the
    command line): the repository, its password and Wardkeeper's cache."""
    return {
        "RESTIC_REPOSITORY": job.repository,
        "RESTIC_PASSWORD": job.repository_password or "",
        "RESTIC_CACHE_DIR": str(cache_dir("restic")),
    }


def borg_env(job: Any) -> dict[str, str]:
    """What borg needs to open ``job``'s repository without a question."""
    return {
        "BORG_REPO": job.repository,
        "BORG_PASSPHRASE": job.repository_password or "",
        "BORG_CACHE_DIR": str(cache_dir("borg")),
        "BORG_SECURITY_DIR": str(cache_dir("borg-security")),
        # Wardkeeper only reads and restores into scratch: a moved or
        # unencrypted repository is the operator's business, and no one is
        # there to answer borg's question.
        "BORG_RELOCATED_REPO_ACCESS_IS_OK": "yes",
        "BORG_UNKNOWN_UNENCRYPTED_REPO_ACCESS_IS_OK": "yes",
        "BORG_DISPLAY_PASSPHRASE": "no",
    }
