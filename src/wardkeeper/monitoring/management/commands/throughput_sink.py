"""``wardkeeper throughput_sink --listen 0.0.0.0:5201``: the far end of
throughput checks on a server (a PACS, a file server) that runs no poller.

It reads and discards each transfer and answers the byte count (the
protocol is in engine/probes/throughput.py); it needs no database.
SIGTERM or SIGINT stops it.
"""

from __future__ import annotations

import asyncio
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from wardkeeper.monitoring.engine import run as engine_run
from wardkeeper.monitoring.engine.probes.throughput import (
    MB,
    Sink,
    SinkLimits,
    listen_address,
)


class Command(BaseCommand):
    help = _("Receive throughput checks: read, discard, answer the byte count.")
    requires_system_checks: list[str] = []  # no database here

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--listen",
            default=":5201",
            metavar="[HOST]:PORT",
            help=_("Address to listen on (default :5201, every address)."),
        )
        parser.add_argument(
            "--max-mb",
            type=int,
            default=SinkLimits.max_bytes // MB,
            help=_("Most megabytes one transfer may send."),
        )
        parser.add_argument(
            "--max-connections",
            type=int,
            default=SinkLimits.max_connections,
            help=_("Most transfers at once; more are turned away as busy."),
        )
        parser.add_argument(
            "--idle",
            type=float,
            default=SinkLimits.idle_seconds,
            help=_("Seconds a silent connection is kept."),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            host, port = listen_address(options["listen"])
        except ValueError as error:
            raise CommandError(_("--listen takes [HOST]:PORT, e.g. :5201.")) from error
        limits = SinkLimits(
            max_bytes=max(1, options["max_mb"]) * MB,
            max_connections=max(1, options["max_connections"]),
            idle_seconds=max(1.0, options["idle"]),
        )
        sink = Sink(limits)

        async def main() -> None:
            stop = asyncio.Event()
            engine_run.stop_on_signals(stop)
            try:
                server = await sink.start(host, port)
            except OSError as error:
                raise CommandError(
                    _("Cannot listen on %(at)s: %(error)s")
                    % {"at": options["listen"], "error": error}
                ) from error
            self.stdout.write(
                _("Throughput sink listening on port %(port)d.") % {"port": port}
            )
            self.stdout.flush()
            try:
                await stop.wait()
            finally:
                server.close()

        engine_run.run(main())
        self.stdout.write(
            ngettext(
                "Throughput sink stopped after %(n)d transfer.",
                "Throughput sink stopped after %(n)d transfers.",
                sink.transfers,
            )
            % {"n": sink.transfers}
        )
