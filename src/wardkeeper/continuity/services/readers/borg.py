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

import json
from collections.abc import Collection
from typing import Any

from django.utils.translation import gettext as _

from wardkeeper.continuity.choices import RunStatus
from wardkeeper.continuity.models import BackupJob
from wardkeeper.continuity.services.ingest import RunReport
from wardkeeper.continuity.services.readers.tool import (
    ReadError,
    borg_env,
    parse_time,
    run_tool,
    sized_newest,
    timeout,
    tool_path,
)


def read(job: BackupJob, known: Collection[str]) -> list[RunReport]:
    """The repository's archives not in ``known``, oldest first."""
    env = borg_env(job)
    # --bypass-lock: a backup running for hours must not block the read.
    base = [tool_path("borg"), "--bypass-lock"]
    archives = _archives(run_tool([*base, "list", "--json"], env, timeout=timeout()))
    new = [archive for archive in archives if archive["name"] not in known]
    sized = sized_newest(new)
    details: dict[str, dict[str, Any]] = {}
    if sized:
        oldest = min(archives.index(archive) for archive in new if id(archive) in sized)
        output = run_tool(
            [*base, "info", "--json", "--last", str(len(archives) - oldest)],
            env,
            timeout=timeout(),
        )
        details = {item["name"]: item for item in _archives(output)}
    return [_report(archive, details.get(archive["name"])) for archive in new]


def _archives(output: str) -> list[dict[str, Any]]:
    try:
        data = json.loads(output or "{}")
    except json.JSONDecodeError as error:
        raise ReadError(_("borg answered something that is not JSON.")) from error
    found = [
        item
        for item in data.get("archives") or []
        if isinstance(item, dict) and item.get("name")
    ]
    return sorted(found, key=lambda item: str(item.get("start", "")))


def _report(archive: dict[str, Any], info: dict[str, Any] | None) -> RunReport:
    info = info or {}
    stats = info.get("stats") or {}
    end = info.get("end")
    return RunReport(
        external_id=archive["name"],
        status=RunStatus.SUCCESS,
        started_at=parse_time(info.get("start") or archive["start"]),
        finished_at=parse_time(end) if end else None,
        size_bytes=stats.get("original_size"),
        files=stats.get("nfiles"),
        message=_("archive %(name)s") % {"name": archive["name"]},
    )
