"""The storage check of backup and recovery: a system whose storage (RAID
arrays, drives, cache batteries, as the monitoring checks read them) is
degraded gets a STORAGE_DEGRADED finding, with its alert and ticket."""

from __future__ import annotations

import datetime as dt

from wardkeeper.core.tasks import periodic


@periodic("continuity.storage", every=dt.timedelta(minutes=5))
def check_storage(now: dt.datetime) -> dict[str, int]:
    from wardkeeper.continuity.services import storage

    return storage.sweep(now)
