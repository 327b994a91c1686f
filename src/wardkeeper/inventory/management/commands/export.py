"""``wardkeeper export KIND``: write locations, departments, vendors, models
or assets as CSV or XLSX, optionally filtered like the lists
(``wardkeeper export assets status=in_use campus=3``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.http import QueryDict
from django.utils.translation import gettext as _

from wardkeeper.core import audit
from wardkeeper.core.models.audit import AuditSource
from wardkeeper.inventory.transfer import (
    ExportRefused,
    csv_chunks,
    export_rows,
    record_export,
    write_xlsx,
)
from wardkeeper.inventory.transfer.cli import acting_user
from wardkeeper.inventory.transfer.kinds import all_kinds, importer_for


class Command(BaseCommand):
    help = (
        "Export one kind of inventory record as CSV (to standard output or a "
        "file) or XLSX (to a file). Filters are NAME=VALUE pairs with the names "
        "of the list filters, e.g. status=in_use."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", choices=all_kinds())
        parser.add_argument(
            "filters", nargs="*", metavar="NAME=VALUE", help="filter the records"
        )
        parser.add_argument("--format", choices=("csv", "xlsx"), default="csv")
        parser.add_argument("--output", type=Path, help="the file to write")
        parser.add_argument(
            "--as", dest="username", help="record the export as done by this account"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        actor = acting_user(
            options["username"], importer_for(options["kind"]).export_permissions
        )
        fmt, output = options["format"], options["output"]
        if fmt == "xlsx" and output is None:
            raise CommandError(_("An XLSX export needs --output FILE."), returncode=1)
        params = parse_filters(options["filters"])
        try:
            header, rows = export_rows(options["kind"], params)
        except ExportRefused as exc:
            raise CommandError(exc.message, returncode=1) from exc
        with audit.audit_context(source=AuditSource.CLI, actor=actor):
            record_export(options["kind"], fmt, params)
        if fmt == "xlsx":
            with output.open("wb") as handle:
                write_xlsx(header, rows, handle, options["kind"])
        elif output is not None:
            with output.open("w", encoding="utf-8", newline="") as handle:
                handle.writelines(csv_chunks(header, rows))
        else:
            for number, chunk in enumerate(csv_chunks(header, rows)):
                # No byte-order mark on standard output: it is read by programs.
                self.stdout.write(
                    chunk.lstrip("\ufeff") if number == 0 else chunk, ending=""
                )


def parse_filters(pairs: list[str]) -> QueryDict:
    """``["status=in_use", "status=in_stock"]`` as query parameters."""
    params = QueryDict(mutable=True)
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name:
            raise CommandError(
                _("Write a filter as NAME=VALUE, not “%(pair)s”.") % {"pair": pair},
                returncode=1,
            )
        params.appendlist(name.strip(), value.strip())
    return params
