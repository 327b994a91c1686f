"""The service desk's background jobs (run by ``wardkeeper worker``).

Each is idempotent: running it twice, or late, sends and makes nothing twice.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from wardkeeper.core.tasks import periodic
from wardkeeper.servicedesk.services import escalation, maintenance, rollups


@periodic("servicedesk.sla_sweep", every=dt.timedelta(minutes=1))
def sla_sweep(now: dt.datetime) -> Any:
    """SLA warnings, breaches and escalations of open tickets."""
    return escalation.sweep(now)


@periodic("servicedesk.figures", every=dt.timedelta(minutes=1))
def figures(now: dt.datetime) -> int:
    """Recount the days whose tickets changed (the dashboard's roll-ups)."""
    return rollups.refresh_stale()


@periodic("servicedesk.work_orders", every=dt.timedelta(hours=1))
def work_orders(now: dt.datetime) -> int:
    """Work orders coming due within their plan's lead time (hourly, so a
    restarted worker or a new asset in scope is not left a day behind)."""
    return maintenance.generate(timezone.localdate(now))


@periodic("servicedesk.overdue_work_orders", every=dt.timedelta(hours=1))
def overdue_work_orders(now: dt.datetime) -> int:
    """Tell team leads of overdue work orders, once each."""
    return maintenance.escalate_overdue(now)
