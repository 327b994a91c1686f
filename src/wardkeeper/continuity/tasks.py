"""Backup and recovery's periodic jobs, run by ``wardkeeper worker``:
reading restic and borg repositories, and the backup checks."""

from __future__ import annotations

import datetime as dt

from django.conf import settings

from wardkeeper.continuity import (  # noqa: F401  (their jobs register)
    tasks_demo,
    tasks_proofs,
    tasks_storage,
)
from wardkeeper.core.tasks import periodic

READ_MINUTES = int(getattr(settings, "CONTINUITY_READ_MINUTES", 15))


@periodic("continuity.read", every=dt.timedelta(minutes=READ_MINUTES))
def read_repositories(now: dt.datetime) -> dict[str, int]:
    """Store the new snapshots and archives of every readable job."""
    from wardkeeper.continuity.services import readers

    return readers.read_due(now)


@periodic("continuity.checks", every=dt.timedelta(minutes=5))
def check_backups(now: dt.datetime) -> dict[str, int]:
    """Raise and resolve the findings: RPO, failed runs, sizes, stale
    destinations, 3-2-1."""
    from wardkeeper.continuity.services import compliance

    return compliance.evaluate(now)
