"""borg repositories: ``borg list --json`` lists the archives (checkpoints
left out, as borg 1.2 does by default); ``borg info --json --last N`` gives
the new ones' start, end and statistics in one call.

The size is the archive's original size (the data it holds before
compression and deduplication), so a sudden fall means the job backed up
less. The new-data figure is left empty: borg's "deduplicated size" is what
only that archive holds *now*, which changes as later archives arrive.
Archives are named by the job; that name is the run's id.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from django.utils.translation import gettext as _

from wardkeeper.continuity.models import BackupJob
from wardkeeper.continuity.services.ingest import RunReport
from wardkeeper.continuity.services.readers.tool import (
    borg_env,
    load_json,
    read_tool,
    sized_newest,
    success,
    tool_path,
)


def read(job: BackupJob, known: Collection[str]) -> list[RunReport]:
    """The repository's archives not in ``known``, oldest first."""
    env = borg_env(job)
    # --bypass-lock: a backup running for hours must not block the read.
    base = [tool_path("borg"), "--bypass-lock"]
    archives = _archives(read_tool([*base, "list", "--json"], env))
    new = [archive for archive in archives if archive["name"] not in known]
    sized = sized_newest(new)
    details: dict[str, dict[str, Any]] = {}
    if sized:
        oldest = min(archives.index(archive) for archive in new if id(archive) in sized)
        last = str(len(archives) - oldest)
        output = read_tool([*base, "info", "--json", "--last", last], env)
        details = {item["name"]: item for item in _archives(output)}
    return [_report(archive, details.get(archive["name"])) for archive in new]


def _archives(output: str) -> list[dict[str, Any]]:
    data = load_json(output, "borg", "{}")
    found = [
        item
        for item in data.get("archives") or []
        if isinstance(item, dict) and item.get("name")
    ]
    return sorted(found, key=lambda item: str(item.get("start", "")))


def _report(archive: dict[str, Any], info: dict[str, Any] | None) -> RunReport:
    info = info or {}
    stats = info.get("stats") or {}
    return success(
        archive["name"],
        info.get("start") or archive["start"],
        info.get("end"),
        _("archive %(name)s") % {"name": archive["name"]},
        size_bytes=stats.get("original_size"),
        files=stats.get("nfiles"),
    )
