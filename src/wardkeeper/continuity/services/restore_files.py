"""Restoring files from restic and borg repositories into scratch and
comparing them (``restore_compare``).

restic: the newest snapshot; its listing (``restic ls --json``) gives each
file's size; ``restic restore --verify`` re-reads every restored file and
checks its content against the blob hashes the snapshot's trees record (the
snapshot's own SHA-256 of each chunk), and reading a damaged pack fails its
authentication. borg: the newest archive; ``borg extract`` checks each
chunk's id as it reads, and ``borg list --format {sha256}`` gives each listed
file's SHA-256 from the archive, compared with the restored file's."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from wardkeeper.continuity.choices import BackupTool, CompareWith, RestoreMethod
from wardkeeper.continuity.models import RestoreTest
from wardkeeper.continuity.services import restore_compare as cmp
from wardkeeper.continuity.services.readers.tool import (
    borg_env,
    parse_time,
    restic_env,
    tool_path,
)
from wardkeeper.continuity.services.restore_tools import (
    Outcome,
    ToolFailed,
    first_error,
    run_tool,
    scratch_dir,
    tool_env,
)

GLOB_SPECIALS = "\\*?["
# borg waits this long for a lock held by a running backup.
BORG_LOCK_WAIT = "600"


def restore_files(test: RestoreTest) -> Outcome:
    """Restore the job's newest snapshot (a sample or all of it) and compare."""
    job = test.job
    log: list[dict[str, Any]] = []
    reader = Restic(test, log) if job.tool == BackupTool.RESTIC else Borg(test, log)
    evidence: dict[str, Any] = {"tool": job.tool, "commands": log}
    try:
        snapshot_id, snapshot_time, ids = reader.newest()
    except ToolFailed as failed:
        evidence["error"] = failed.message
        return Outcome(
            False,
            _("Could not read the repository: %s") % failed.message,
            evidence=evidence,
        )
    if not snapshot_id:
        return Outcome(False, _("The repository holds no snapshot."), evidence=evidence)
    evidence["snapshot"] = {"id": snapshot_id, "time": snapshot_time.isoformat()}
    count = None if test.method == RestoreMethod.FULL else test.sample_files
    with scratch_dir("files-") as target:
        try:
            listed = cmp.pick(
                reader.files(snapshot_id), count, f"{test.pk}:{snapshot_id}"
            )
        except ToolFailed as failed:
            evidence["error"] = failed.message
            return Outcome(
                False,
                _("Could not list the snapshot: %s") % failed.message,
                snapshot_id,
                ids,
                evidence,
            )
        evidence["sample"] = count is not None
        chosen = listed if count is not None else None
        error = reader.restore(snapshot_id, chosen, target)
        listed = (
            reader.with_checksums(snapshot_id, listed, chosen) if not error else listed
        )
        live = job.source_path if test.compare_with == CompareWith.LIVE else None
        found = cmp.compare(
            listed, target, live_source=live, snapshot_time=snapshot_time
        )
    evidence.update(found.as_evidence())
    return _judge(evidence, error, found, snapshot_id, ids)


def _judge(
    evidence: dict[str, Any],
    error: str,
    found: cmp.Comparison,
    snapshot_id: str,
    ids: list[str],
) -> Outcome:
    if error:
        evidence["error"] = error
        message = _("The restore failed: %s") % error
    elif not found.compared:
        message = _("The snapshot holds no files to compare.")
    elif found.problems:
        message = _("%(bad)d of %(all)d restored files do not match.") % {
            "bad": found.problems,
            "all": found.compared,
        }
    else:
        message = _("%(all)d restored files match.") % {"all": found.compared}
    passed = not error and found.compared > 0 and not found.problems
    return Outcome(passed, message, snapshot_id, ids, evidence)


class Restic:
    def __init__(self, test: RestoreTest, log: list[dict[str, Any]]) -> None:
        job = test.job
        self.env = tool_env(restic_env(job))
        self.log = log

    def run(self, *args: str, check: bool = True) -> Any:
        return run_tool(
            [tool_path("restic"), *args], env=self.env, log=self.log, check=check
        )

    def newest(self) -> tuple[str, dt.datetime, list[str]]:
        found = json.loads(self.run("snapshots", "--json").stdout or "[]")
        if not found:
            return "", dt.datetime.now(dt.UTC), []
        newest = max(found, key=lambda snap: parse_time(snap["time"]))
        return (
            newest["id"],
            parse_time(newest["time"]),
            [newest["id"], newest["short_id"]],
        )

    def files(self, snapshot: str) -> Iterator[cmp.Entry]:
        for line in self.run("ls", "--json", snapshot).stdout.splitlines():
            node = json.loads(line)
            if node.get("struct_type") == "node" and node.get("type") == "file":
                yield cmp.Entry(
                    node["path"], int(node.get("size", 0)), parse_time(node["mtime"])
                )

    def restore(
        self, snapshot: str, chosen: list[cmp.Entry] | None, target: Path
    ) -> str:
        """Restore ``chosen`` (None: everything); the tool's error, or ""."""
        includes: list[str] = []
        for entry in chosen or []:
            includes += ["--include", _escape(entry.path)]
        done = self.run(
            "restore",
            snapshot,
            "--target",
            str(target),
            "--verify",
            *includes,
            check=False,
        )
        return first_error(done.stderr) if done.returncode else ""

    def with_checksums(
        self, snapshot: str, entries: list[cmp.Entry], chosen: list[cmp.Entry] | None
    ) -> list[cmp.Entry]:
        return entries  # --verify already compared contents with the snapshot


def _escape(path: str) -> str:
    """A literal path as a restic include pattern."""
    return "".join("\\" + ch if ch in GLOB_SPECIALS else ch for ch in path)


class Borg:
    def __init__(self, test: RestoreTest, log: list[dict[str, Any]]) -> None:
        job = test.job
        self.repo = job.repository
        self.env = tool_env(borg_env(job))
        self.log = log

    def run(self, *args: str, check: bool = True, cwd: Path | None = None) -> Any:
        return run_tool(
            [tool_path("borg"), "--lock-wait", BORG_LOCK_WAIT, *args],
            env=self.env,
            log=self.log,
            check=check,
            cwd=cwd,
        )

    def newest(self) -> tuple[str, dt.datetime, list[str]]:
        found = json.loads(self.run("list", "--json", "--last", "1", self.repo).stdout)
        archives = found.get("archives") or []
        if not archives:
            return "", dt.datetime.now(dt.UTC), []
        newest = archives[-1]
        return (
            newest["name"],
            parse_time(newest["time"]),
            [newest["name"], newest["id"]],
        )

    def _lines(self, snapshot: str, fmt: str, paths: list[str]) -> Iterator[Any]:
        done = self.run(
            "list", "--json-lines", "--format", fmt, f"{self.repo}::{snapshot}", *paths
        )
        for line in done.stdout.splitlines():
            item = json.loads(line)
            if item.get("type") == "-":
                yield item

    def files(self, snapshot: str) -> Iterator[cmp.Entry]:
        for item in self._lines(snapshot, "{size}{mtime}", []):
            yield cmp.Entry(item["path"], int(item["size"]), parse_time(item["mtime"]))

    def restore(
        self, snapshot: str, chosen: list[cmp.Entry] | None, target: Path
    ) -> str:
        paths = [f"pp:{entry.path}" for entry in chosen or []]
        done = self.run(
            "extract", f"{self.repo}::{snapshot}", *paths, check=False, cwd=target
        )
        return first_error(done.stderr) if done.returncode else ""

    def with_checksums(
        self, snapshot: str, entries: list[cmp.Entry], chosen: list[cmp.Entry] | None
    ) -> list[cmp.Entry]:
        """The entries with the archive's SHA-256 of each (read from its chunks)."""
        paths = [f"pp:{entry.path}" for entry in chosen or []]
        sums = {
            item["path"]: item["sha256"]
            for item in self._lines(snapshot, "{sha256}", paths)
        }
        return [cmp.Entry(e.path, e.size, e.mtime, sums.get(e.path)) for e in entries]
