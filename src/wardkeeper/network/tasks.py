"""The network area's periodic jobs, run by ``wardkeeper worker``."""

from __future__ import annotations

import datetime as dt
from typing import Any

from wardkeeper.core.tasks import periodic
from wardkeeper.network import tasks_traffic  # noqa: F401  (its jobs register)


@periodic("network.segmentation", every=dt.timedelta(minutes=5))
def sync_segmentation(now: dt.datetime) -> dict[str, Any]:
    """Keep the segmentation checks in step with the flow policy."""
    from wardkeeper.network.services import segmentation

    return segmentation.sync(now).as_dict()


@periodic("network.segmentation_alerts", every=dt.timedelta(minutes=1))
def escalate_segmentation(now: dt.datetime) -> dict[str, int]:
    """Every open segmentation alert has its ticket and the security team told."""
    from wardkeeper.network.services import segmentation

    return segmentation.escalate(now)
