"""Restore tests' periodic jobs (imported by ``continuity/tasks.py`` so the
worker's discovery finds them).

A restore can take hours, and the worker runs its jobs one after another:
so the queued runs are worked off by one background thread of the worker
process, started by a quick job when there is work, and the loop keeps
sending notifications meanwhile. Each run is claimed by a conditional update
(``restore.claim_next``), so a second worker never runs it twice."""

from __future__ import annotations

import datetime as dt
import logging
import threading

from django.db import close_old_connections, connection

from wardkeeper.continuity.choices import ProofStatus
from wardkeeper.continuity.models import RestoreRun
from wardkeeper.continuity.services import proofs, restore
from wardkeeper.core.audit import audit_context
from wardkeeper.core.models.audit import AuditSource
from wardkeeper.core.tasks import periodic

logger = logging.getLogger(__name__)

_runner: threading.Thread | None = None
_lock = threading.Lock()


@periodic("continuity.restore_tests.schedule", every=dt.timedelta(minutes=10))
def queue_due_tests(now: dt.datetime) -> dict[str, int]:
    """Queue the tests whose interval (every N days) has passed."""
    return {"queued": len(restore.schedule_due(now))}


@periodic("continuity.restore_tests.run", every=dt.timedelta(seconds=10))
def start_queued_runs(now: dt.datetime) -> dict[str, int]:
    """Fail runs a stopped worker left behind; start the restore thread when
    runs wait for it and it is not already at work."""
    global _runner
    abandoned = restore.abandon_stale(now)
    waiting = RestoreRun.objects.filter(
        status=ProofStatus.RUNNING, claimed_at__isnull=True
    ).exists()
    with _lock:
        if not waiting or (_runner is not None and _runner.is_alive()):
            return {"started": 0, "abandoned": abandoned}
        _runner = threading.Thread(target=_work_off, name="restore-tests", daemon=True)
        _runner.start()
    return {"started": 1, "abandoned": abandoned}


def _work_off() -> None:
    """The restore thread: run every queued run, then end."""
    try:
        with audit_context(source=AuditSource.TASK, reason="continuity.restore_tests"):
            restore.run_pending()
    except Exception:
        logger.exception("restore thread stopped")
    finally:
        close_old_connections()
        connection.close()


@periodic("continuity.restore_proofs", every=dt.timedelta(days=1))
def flag_missing_proofs(now: dt.datetime) -> dict[str, int]:
    """Backups with no passing restore test (automatic or recorded by hand)
    within their system's limit."""
    return proofs.flag_missing(now)
