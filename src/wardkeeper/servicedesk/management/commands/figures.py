"""``wardkeeper figures rebuild``: recount the service-desk roll-ups."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _

from wardkeeper.servicedesk.services import rollups


class Command(BaseCommand):
    help = "Recount the daily roll-ups behind the service-desk figures."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["rebuild", "refresh"])

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "rebuild":
            days = rollups.rebuild()
        else:
            days = rollups.refresh_stale(limit=100_000)
        self.stdout.write(_("%(n)s days recounted.") % {"n": days})
