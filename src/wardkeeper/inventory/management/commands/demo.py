"""``wardkeeper demo``: migrate, build the demo hospital once, then serve it.

Running it again changes nothing: the demo is detected by its campuses and
left as it is. Passwords are shown only when the accounts are made; they are
also kept in ``<data dir>/demo-accounts.txt`` (mode 0600).
"""

from __future__ import annotations

import os
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from wardkeeper.inventory.demo import DEFAULT_SEED, DemoRefused, build_demo, is_built
from wardkeeper.inventory.demo.accounts import (
    persona_accounts,
    sign_in_table,
    write_accounts_file,
)

ACCOUNTS_FILE = "demo-accounts.txt"


class Command(BaseCommand):
    help = _("Build the demo hospital (once) and start the server.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--no-serve",
            action="store_true",
            help=_("Build the demo hospital and exit without starting the server."),
        )
        parser.add_argument(
            "--seed",
            type=int,
            default=DEFAULT_SEED,
            help=_("Seed of the generator: the same seed builds the same hospital."),
        )
        parser.add_argument(
            "--scale",
            type=float,
            default=1.0,
            help=_("Size relative to the full demo (1.0: about 6,000 assets)."),
        )
        parser.add_argument(
            "--bind", default=None, help=_("Address and port for the server.")
        )
        parser.add_argument(
            "--workers", type=int, default=None, help=_("Server worker processes.")
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not 0 < options["scale"] <= 20:
            raise CommandError(_("--scale must be more than 0 and at most 20."))
        call_command("migrate", interactive=False, verbosity=0)
        if options["bind"]:
            # The demo's web checks watch the server it is about to start.
            os.environ["WARDKEEPER_BIND"] = options["bind"]
        path = settings.DATA_DIR / ACCOUNTS_FILE
        if is_built():
            self.stdout.write(_("demo hospital already present"))
            self.show_existing(path)
        else:
            self.build(options["seed"], options["scale"], path)
        if not options["no_serve"]:
            call_command("serve", bind=options["bind"], workers=options["workers"])

    def build(self, seed: int, scale: float, path: Any) -> None:
        self.stdout.write(_("Building the demo hospital…"))
        try:
            result = build_demo(seed=seed, scale=scale)
        except DemoRefused as exc:
            raise CommandError(exc.message) from exc
        summary = ", ".join(f"{count} {kind}" for kind, count in result.counts.items())
        self.stdout.write(
            _("Built in %(seconds).1f s: %(summary)s.")
            % {"seconds": result.seconds, "summary": summary}
        )
        if result.accounts:
            write_accounts_file(path, result.accounts, settings.SITE_URL)
            self.stdout.write(
                "\n"
                + _("Demo sign-ins (shown once; also kept in %(path)s):")
                % {"path": path}
            )
            self.stdout.write(sign_in_table(result.accounts, passwords=True) + "\n")

    def show_existing(self, path: Any) -> None:
        accounts = persona_accounts()
        if not accounts:
            return
        self.stdout.write(
            "\n" + _("Demo sign-ins (passwords in %(path)s):") % {"path": path}
        )
        self.stdout.write(sign_in_table(accounts, passwords=False) + "\n")
