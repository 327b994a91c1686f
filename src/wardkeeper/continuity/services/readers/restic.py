"""restic repositories: ``restic snapshots --json`` lists the snapshots;
each new one's size is what restoring it would write, from ``restic stats
--mode restore-size`` (restic 0.14 keeps no summary in the snapshot; from
0.17 on, its ``summary`` fields are used instead, with the backup's end).

The figure is the snapshot's whole size (files, not the new data it added),
so a sudden fall means the job backed up less than before. The file count
includes directories. Snapshots carry no failure: each one is a success.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from django.utils.translation import gettext as _

from wardkeeper.continuity.models import BackupJob
from wardkeeper.continuity.services.ingest import RunReport
from wardkeeper.continuity.services.readers.tool import (
    load_json,
    read_tool,
    restic_env,
    sized_newest,
    success,
    tool_path,
)


def read(job: BackupJob, known: Collection[str]) -> list[RunReport]:
    """The repository's snapshots not in ``known``, oldest first."""
    env = restic_env(job)
    # --no-lock: reading must work on append-only and immutable storage.
    base = [tool_path("restic"), "--json", "--no-lock"]
    snapshots = _load(read_tool([*base, "snapshots"], env))
    new = sorted(
        (snap for snap in snapshots if snap.get("id") not in known),
        key=lambda snap: str(snap.get("time", "")),
    )
    sized = sized_newest(new)
    reports = []
    for snap in new:
        figures = _figures(snap, base, env) if id(snap) in sized else {}
        reports.append(_report(snap, figures))
    return reports


def _load(output: str) -> list[dict[str, Any]]:
    data = load_json(output, "restic", "[]")
    return [item for item in data or [] if isinstance(item, dict) and item.get("id")]


def _figures(
    snap: dict[str, Any], base: list[str], env: dict[str, str]
) -> dict[str, Any]:
    summary = snap.get("summary")
    if isinstance(summary, dict):
        return {
            "size": summary.get("total_bytes_processed"),
            "files": summary.get("total_files_processed"),
            "added": summary.get("data_added"),
            "start": summary.get("backup_start"),
            "end": summary.get("backup_end"),
        }
    output = read_tool([*base, "stats", "--mode", "restore-size", snap["id"]], env)
    stats = load_json(output, "restic")
    return {"size": stats.get("total_size"), "files": stats.get("total_file_count")}


def _report(snap: dict[str, Any], figures: dict[str, Any]) -> RunReport:
    message = _("snapshot %(id)s of %(paths)s on %(host)s") % {
        "id": snap.get("short_id") or snap["id"][:8],
        "paths": ", ".join(snap.get("paths") or []),
        "host": snap.get("hostname", ""),
    }
    return success(
        snap["id"],
        figures.get("start") or snap["time"],
        figures.get("end"),
        message,
        size_bytes=figures.get("size"),
        added_bytes=figures.get("added"),
        files=figures.get("files"),
    )
