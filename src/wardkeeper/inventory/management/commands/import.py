"""``wardkeeper import KIND FILE``: check a CSV or XLSX file and import it,
all or nothing. Exit status 0 when the file was imported (or, with
``--dry-run``, would be), 1 when it has errors, which are listed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from wardkeeper.inventory.transfer import ImportReport, run_import
from wardkeeper.inventory.transfer.cli import ProgressLine, acting_user
from wardkeeper.inventory.transfer.kinds import all_kinds, importer_for


class Command(BaseCommand):
    help = (
        "Import locations, departments, vendors, models, assets or network "
        "records (racks, cables, VLANs…, NetBox exports) from a CSV "
        "(UTF-8) or XLSX file. The whole file is checked first; with any error "
        "nothing is written. Re-importing the same file changes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", choices=all_kinds())
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--dry-run", action="store_true", help="check the file; write nothing"
        )
        parser.add_argument(
            "--as",
            dest="username",
            help="record the import as done by this account (it needs the import "
            "permission)",
        )
        limit = parser.add_mutually_exclusive_group()
        limit.add_argument(
            "--max-mb",
            type=int,
            default=settings.UPLOAD_MAX_MB,
            help="refuse files larger than this (default: the upload limit, "
            "WARDKEEPER_UPLOAD_MAX_MB)",
        )
        limit.add_argument(
            "--no-size-limit", action="store_true", help="accept a file of any size"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        kind = options["kind"]
        actor = acting_user(options["username"], importer_for(kind).import_permissions)
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(_("No file at %(path)s.") % {"path": path}, returncode=1)
        dry_run = options["dry_run"]
        progress = ProgressLine(
            self.stderr, _("Checking") if dry_run else _("Importing")
        )
        report = run_import(
            kind,
            path,
            filename=path.name,
            dry_run=dry_run,
            actor=actor,
            progress=progress,
            max_bytes=None
            if options["no_size_limit"]
            else options["max_mb"] * 1024 * 1024,
        )
        progress.close()
        self._report(report, path.name)

    def _report(self, report: ImportReport, name: str) -> None:
        for note in report.notes:
            self.stderr.write(f"{name}: {note}")
        if not report.ok:
            for error in report.errors:
                self.stderr.write(f"{name}: {error}")
            raise CommandError(
                _("%(n)d errors; nothing was imported.") % {"n": len(report.errors)},
                returncode=1,
            )
        summary = _(
            "%(file)s: %(created)d created, %(updated)d updated, %(unchanged)d unchanged."
        ) % {
            "file": name,
            "created": report.created,
            "updated": report.updated,
            "unchanged": report.unchanged,
        }
        if report.dry_run:
            summary += " " + _("Dry run: nothing was written.")
        self.stdout.write(summary)
