"""The traffic part's periodic jobs (imported by ``network/tasks.py`` so the
worker's discovery finds them): counters every five minutes, interfaces and
LLDP neighbours every six hours, old samples pruned daily."""

from __future__ import annotations

import datetime as dt
import logging

from wardkeeper.core.tasks import periodic
from wardkeeper.network.services import lldp, traffic

logger = logging.getLogger(__name__)


@periodic("network.traffic.poll", every=dt.timedelta(minutes=5))
def poll_counters(now: dt.datetime) -> dict[str, int]:
    summary = traffic.poll()
    return {
        "devices": summary.devices,
        "samples": summary.samples,
        "failed": len(summary.failed),
    }


@periodic("network.traffic.discover", every=dt.timedelta(hours=6))
def discover_interfaces(now: dt.datetime) -> dict[str, int]:
    """Interfaces, then neighbours, device by device; one unreachable device
    is counted and skipped."""
    created = updated = neighbours = failed = 0
    for device in traffic.devices_in():
        try:
            found = traffic.discover(device)
            neighbours += len(lldp.refresh(device))
        except traffic.DeviceUnreachable as error:
            logger.info("traffic discovery: %s", error)
            failed += 1
            continue
        created, updated = created + len(found.created), updated + len(found.updated)
    return {
        "created": created,
        "updated": updated,
        "neighbours": neighbours,
        "failed": failed,
    }


@periodic("network.traffic.prune", every=dt.timedelta(days=1))
def prune_samples(now: dt.datetime) -> dict[str, int]:
    return {"pruned": traffic.prune(now)}
