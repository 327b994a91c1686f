"""``wardkeeper worker``: runs the periodic background jobs (sending
notifications, the service desk's sweeps, …) until stopped.

SIGTERM or SIGINT lets the current round finish, then the worker exits.
``--once`` runs every job once and exits (tests, or a cron entry).
"""

from __future__ import annotations

import signal
import threading
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections
from django.utils import timezone
from django.utils.translation import gettext as _

from wardkeeper.core import tasks


class Command(BaseCommand):
    help = _("Run Wardkeeper's background jobs (notifications, sweeps) until stopped.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--once",
            action="store_true",
            help=_("Run every job once, then exit."),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        self.verbosity = int(options["verbosity"])
        modules = tasks.discover()
        names = ", ".join(sorted(tasks.REGISTRY))
        self.stdout.write(_("Worker jobs: %s") % (names or "—"))
        if options["once"]:
            self.report(tasks.run_due(timezone.now(), every_job=True))
            return
        stop = threading.Event()

        def request_stop(signum: int, frame: Any) -> None:
            stop.set()

        signal.signal(signal.SIGTERM, request_stop)
        signal.signal(signal.SIGINT, request_stop)
        self.stdout.write(_("Worker started (%d task modules).") % len(modules))
        self.stdout.flush()
        while not stop.is_set():
            # Like a request: drop a connection the database closed or aged.
            close_old_connections()
            self.report(tasks.run_due(timezone.now()))
            # Sleep until the next job is due, waking at once on a stop request.
            stop.wait(min(5.0, max(0.5, tasks.seconds_until_next(timezone.now()))))
        self.stdout.write(_("Worker stopped."))

    def report(self, results: dict[str, Any]) -> None:
        for name, summary in results.items():
            # A job's exception is already logged, with its traceback.
            if not isinstance(summary, Exception) and (
                self.verbosity > 1 or did_work(summary)
            ):
                self.stdout.write(f"{name}: {summary}")
        self.stdout.flush()


def did_work(summary: Any) -> bool:
    """A summary worth a log line: ``{"sent": 0, "failed": 0}`` is not."""
    if isinstance(summary, dict):
        return any(summary.values())
    return bool(summary)
