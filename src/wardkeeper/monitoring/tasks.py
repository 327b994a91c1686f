"""Monitoring's periodic jobs, run by ``wardkeeper worker``."""

from __future__ import annotations

import datetime as dt

from wardkeeper.core.tasks import periodic
from wardkeeper.monitoring.services import alerts, incidents, rollups, templates


@periodic("monitoring.rollups", every=dt.timedelta(minutes=10))
def roll_up(now: dt.datetime) -> dict[str, int]:
    return rollups.roll_up_due(now)


@periodic("monitoring.prune", every=dt.timedelta(hours=6))
def prune(now: dt.datetime) -> dict[str, int]:
    return {"pruned": rollups.prune(now)}


@periodic("monitoring.alerts", every=dt.timedelta(minutes=1))
def follow_alerts(now: dt.datetime) -> dict[str, int]:
    """Escalate unacknowledged alerts, end silences, settle recovered tickets."""
    return {
        "escalated": alerts.escalate_due(now),
        "unsilenced": alerts.expire_silences(now),
        **incidents.settle(now),
    }


@periodic("monitoring.templates", every=dt.timedelta(minutes=15))
def apply_templates(now: dt.datetime) -> dict[str, int]:
    return {"created": templates.apply_all()}


@periodic("monitoring.pollers", every=dt.timedelta(seconds=15))
def judge_pollers(now: dt.datetime) -> dict[str, int]:
    """Remote pollers not heard from within three heartbeats are offline:
    one alert each, their checks unreachable (services/pollers.py)."""
    from wardkeeper.monitoring.services import pollers

    return pollers.judge(now)
