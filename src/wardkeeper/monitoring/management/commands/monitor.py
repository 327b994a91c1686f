"""``wardkeeper monitor``: runs the monitoring engine until stopped.

SIGTERM or SIGINT stops the checks in flight and writes the results already
taken, closes the MLLP listeners, then the process exits. ``wardkeeper serve`` starts it beside the web
server unless ``WARDKEEPER_MONITOR=external``.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from wardkeeper.monitoring.runner import Monitor


class Command(BaseCommand):
    help = _("Run Wardkeeper's monitoring engine until stopped.")

    def handle(self, *args: Any, **options: Any) -> None:
        monitor = Monitor()

        def started() -> None:
            self.stdout.write(_("Monitor started."))
            self.stdout.flush()

        # Its own loop (uvloop when installed), the collector tuned for the
        # engine, until SIGTERM or SIGINT.
        monitor.run_forever(started=started)
        self.stdout.write(_("Monitor stopped (%d batches stored).") % monitor.batches)
