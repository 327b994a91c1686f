"""``wardkeeper createadmin``: the first administrators, and the sealed
break-glass account. There are no default accounts; this (or the demo) is how
the first person gets in."""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from wardkeeper.core import accounts, audit, roles
from wardkeeper.core.errors import DomainError
from wardkeeper.core.models import User
from wardkeeper.core.models.audit import AuditSource

DUTIES = ("system_admin", "security_admin", "audit_admin")


class Command(BaseCommand):
    help = (
        "Create an administrator holding one of the three duties (system, "
        "security, audit), or the sealed break-glass emergency account."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument(
            "--role",
            choices=DUTIES,
            default="system_admin",
            help="the one administrator duty the account holds (default: system_admin)",
        )
        parser.add_argument("--email", default="")
        parser.add_argument(
            "--password-stdin",
            action="store_true",
            help="read the password from standard input instead of generating one",
        )
        parser.add_argument(
            "--break-glass",
            action="store_true",
            help="create the sealed emergency account (see docs/security.md)",
        )
        parser.add_argument(
            "--reseal",
            action="store_true",
            help="with --break-glass: give an existing emergency account new secrets",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        with audit.audit_context(source=AuditSource.CLI, actor=None):
            try:
                if options["reseal"]:
                    self._reseal(options["username"], options)
                elif options["break_glass"]:
                    self._break_glass(options["username"], options)
                else:
                    self._admin(options["username"], options)
            except DomainError as exc:
                raise CommandError(exc.message, returncode=1) from exc

    def _admin(self, username: str, options: dict[str, Any]) -> None:
        password = self._read_password() if options["password_stdin"] else None
        user, generated = accounts.create_account(
            actor=None,
            username=username,
            email=options["email"],
            password=password,
            roles_held=[options["role"]],
        )
        self.stdout.write(
            _("Created %(name)s (%(role)s).")
            % {"name": user.username, "role": roles.label(options["role"])}
        )
        if generated:
            self.stdout.write(
                _("Password (shown once; only a hash of it is kept):")
                + f"\n  {generated}\n"
                + _("At the first sign-in the account sets up its authenticator app.")
            )

    def _break_glass(self, username: str, options: dict[str, Any]) -> None:
        if options["password_stdin"]:
            raise CommandError(
                _("The break-glass password is always generated."), returncode=1
            )
        user, password, secret = accounts.create_break_glass(
            actor=None, username=username, email=options["email"]
        )
        self.stdout.write(
            _("Created break-glass account %(name)s.") % {"name": user.username}
        )
        self._print_envelopes(password, secret)

    def _reseal(self, username: str, options: dict[str, Any]) -> None:
        if not options["break_glass"]:
            raise CommandError(_("--reseal goes with --break-glass."), returncode=1)
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(
                _("There is no account named %(name)s.") % {"name": username},
                returncode=1,
            )
        password, secret = accounts.seal_break_glass(user, actor=None)
        self.stdout.write(
            _("Resealed break-glass account %(name)s.") % {"name": user.username}
        )
        self._print_envelopes(password, secret)

    def _print_envelopes(self, password: str, secret: str) -> None:
        self.stdout.write(
            _(
                "Seal these in two envelopes kept by two different people "
                "(docs/security.md). They are shown once."
            )
        )
        self.stdout.write(f"  {_('Envelope 1, password:')} {password}")
        self.stdout.write(f"  {_('Envelope 2, authenticator secret:')} {secret}")

    def _read_password(self) -> str:
        password = sys.stdin.readline().rstrip("\r\n")
        if not password:
            raise CommandError(_("No password on standard input."), returncode=1)
        return password
