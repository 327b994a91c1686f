"""Background jobs: a small registry of periodic functions, run by
``wardkeeper worker``.

An area registers a job in its own ``tasks.py`` with ``@periodic(name, every)``;
the worker imports the ``tasks`` module of every installed Wardkeeper app
(``discover``) and calls ``run_due`` in a loop. A job is a plain function
``job(now) -> summary`` that must be idempotent: the same function may later
run on Celery (ARCHITECTURE.md, background work). This module also registers
the core's own jobs (sending notifications).
"""

from __future__ import annotations

import datetime as dt
import importlib
import importlib.util
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.utils import timezone

from wardkeeper.core.audit import audit_context
from wardkeeper.core.models.audit import AuditSource

logger = logging.getLogger(__name__)

Job = Callable[[dt.datetime], Any]


@dataclass
class Periodic:
    name: str
    every: dt.timedelta
    func: Job
    next_run: dt.datetime | None = None  # None: due at once

    def is_due(self, now: dt.datetime) -> bool:
        return self.next_run is None or self.next_run <= now


REGISTRY: dict[str, Periodic] = {}


def periodic(name: str, every: dt.timedelta) -> Callable[[Job], Job]:
    """Register ``func(now)`` to run every ``every``; the name is its key (a
    second registration under one name replaces the first)."""

    def register(func: Job) -> Job:
        REGISTRY[name] = Periodic(name, every, func)
        return func

    return register


def discover() -> list[str]:
    """Import each installed Wardkeeper app's ``tasks`` module, if it has one."""
    found = []
    for config in apps.get_app_configs():
        module = f"{config.name}.tasks"
        if config.name.startswith("wardkeeper.") and importlib.util.find_spec(module):
            importlib.import_module(module)
            found.append(module)
    return found


def run_due(
    now: dt.datetime | None = None, *, every_job: bool = False
) -> dict[str, Any]:
    """Run every job that is due (``every_job``: all of them), each in its own
    audit context; one job's failure is logged and does not stop the others.
    Returns each run job's summary (or the error it raised)."""
    now = now or timezone.now()
    results: dict[str, Any] = {}
    for job in list(REGISTRY.values()):
        if not (every_job or job.is_due(now)):
            continue
        # A job runs again ``every`` after this round, not after it finishes,
        # so a slow job does not drift.
        job.next_run = now + job.every
        try:
            with audit_context(source=AuditSource.TASK, reason=job.name):
                results[job.name] = job.func(now)
        except Exception as error:
            logger.exception("job %s failed", job.name)
            results[job.name] = error
    return results


def seconds_until_next(now: dt.datetime) -> float:
    """How long the worker may sleep before a job is due."""
    waits = [
        (job.next_run - now).total_seconds() if job.next_run else 0.0
        for job in REGISTRY.values()
    ]
    return max(0.0, min(waits, default=60.0))


@periodic("notifications.deliver", every=dt.timedelta(seconds=10))
def deliver_notifications(now: dt.datetime) -> dict[str, int]:
    from wardkeeper.core.notifications.delivery import deliver_due

    return deliver_due(now)
