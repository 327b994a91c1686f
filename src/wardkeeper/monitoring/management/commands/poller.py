"""``wardkeeper poller --server URL --token TOKEN [--zone NAME]``: a remote
poller inside a network zone (docs/monitoring-pollers.md).

It needs no database: it fetches its checks from the server's API with its
own token, runs them on the engine (uvloop when installed) and posts the
results back, with a heartbeat even when it has no checks. SIGTERM or
SIGINT stops it after the buffered results are sent (for a few seconds).
With ``--sink [HOST]:PORT`` it is also a throughput sink, the far end of
other pollers' throughput checks (engine/probes/throughput.py).
The token may come from ``WARDKEEPER_POLLER_TOKEN`` instead of the command
line (which other users of the machine can read).
"""

from __future__ import annotations

import asyncio
import logging
import os
import ssl
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from wardkeeper import __version__
from wardkeeper.monitoring.engine import run as engine_run
from wardkeeper.monitoring.engine.poller_client import Client, Poller
from wardkeeper.monitoring.engine.probes.throughput import Sink, listen_address

TOKEN_ENV = "WARDKEEPER_POLLER_TOKEN"


class Command(BaseCommand):
    help = _("Run a remote monitoring poller that reports to a Wardkeeper server.")
    requires_system_checks: list[str] = []  # no database here

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--server", required=True, help=_("The server's URL."))
        parser.add_argument(
            "--token",
            default=os.environ.get(TOKEN_ENV, ""),
            help=_("The poller's token (default: $%(env)s).") % {"env": TOKEN_ENV},
        )
        parser.add_argument(
            "--zone", default="", help=_("The zone's name, for the logs.")
        )
        parser.add_argument(
            "--reload",
            type=float,
            default=60.0,
            help=_("Seconds between loads of the checks (default 60)."),
        )
        parser.add_argument(
            "--heartbeat",
            type=float,
            default=0.0,
            help=_("Seconds between heartbeats (default: as the server says)."),
        )
        parser.add_argument(
            "--ca-file", default="", help=_("CA bundle to verify the server with.")
        )
        parser.add_argument(
            "--insecure",
            action="store_true",
            help=_("Do not verify the server's certificate (tests only)."),
        )
        parser.add_argument(
            "--sink",
            default="",
            metavar="[HOST]:PORT",
            help=_(
                "Also receive throughput checks on this address, e.g. :5201 "
                "(the far end of a throughput path)."
            ),
        )
        parser.add_argument(
            "--max-buffer",
            type=int,
            default=100_000,
            help=_("Most results kept while the server is unreachable."),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        token = options["token"].strip()
        if not token:
            raise CommandError(
                _("Give the poller's token (--token or $%s).") % TOKEN_ENV
            )
        sink_at = None
        if options["sink"]:
            try:
                sink_at = listen_address(options["sink"])
            except ValueError as error:
                raise CommandError(
                    _("--sink takes [HOST]:PORT, e.g. :5201.")
                ) from error
        server = options["server"]
        if not server.startswith(("http://", "https://")):
            raise CommandError(_("The server's URL starts with https:// or http://."))
        context = None
        if server.startswith("https://"):
            context = ssl.create_default_context(cafile=options["ca_file"] or None)
            if options["insecure"]:
                context.check_hostname = False
                context.verify_mode = ssl.CERT_NONE
        logging.basicConfig(
            stream=sys.stderr,
            level=logging.INFO,
            format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        )
        client = Client(server, token, version=__version__, ssl_context=context)
        poller = Poller(
            client,
            zone=options["zone"],
            reload_every=max(1.0, options["reload"]),
            heartbeat_every=options["heartbeat"] or None,
            max_buffer=max(1, options["max_buffer"]),
            retry_max=30.0,
        )

        async def main() -> None:
            stop = asyncio.Event()
            engine_run.stop_on_signals(stop)
            listening = None
            if sink_at is not None:
                try:
                    listening = await Sink().start(*sink_at)
                except OSError as error:
                    raise CommandError(
                        _("Cannot listen on %(at)s: %(error)s")
                        % {"at": options["sink"], "error": error}
                    ) from error
                self.stdout.write(
                    _("Throughput sink listening on port %(port)d.")
                    % {"port": sink_at[1]}
                )
            self.stdout.write(
                _("Poller started (zone %(zone)s), reporting to %(server)s.")
                % {"zone": options["zone"] or "-", "server": server}
            )
            self.stdout.flush()
            try:
                await poller.run(stop)
            finally:
                if listening is not None:
                    listening.close()

        engine_run.run(main())
        self.stdout.write(_("Poller stopped."))
