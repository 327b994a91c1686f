"""``wardkeeper restore FILE``: bring a backup back into an empty data directory."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from wardkeeper.core.backup import BackupError, restore
from wardkeeper.core.backup.finish import finish
from wardkeeper.core.backup.manifest import Manifest, differences, per_app


class Command(BaseCommand):
    help = _(
        "Restore a Wardkeeper backup into an empty data directory and database, "
        "then check it (counts, encrypted fields, the audit trail)."
    )
    # Nothing may touch the database before the restore has checked it is empty.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help=_("The archive written by wardkeeper backup."))
        parser.add_argument(
            "--data-dir",
            help=_(
                "The empty data directory to restore into (default: WARDKEEPER_DATA_DIR)."
            ),
        )
        # Run by the restore itself, in a fresh process that loads the restored keys.
        parser.add_argument("--finish", action="store_true", help=argparse.SUPPRESS)

    def handle(
        self, *args: Any, file: str, data_dir: str | None, **options: Any
    ) -> None:
        if options["finish"]:
            self.stdout.write(json.dumps(finish(Path(file).name)))
            return
        target = Path(data_dir) if data_dir else Path(settings.DATA_DIR)
        try:
            manifest = restore.restore(Path(file), target)
            self.stdout.write(
                _(
                    "Restored the backup of %(created)s (Wardkeeper %(version)s, "
                    "%(vendor)s) into %(dir)s."
                )
                % {
                    "created": manifest.created_at,
                    "version": manifest.wardkeeper_version,
                    "vendor": manifest.database_vendor,
                    "dir": target.resolve(),
                }
            )
            report = restore.check_restored(Path(file), target)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        if not self.show(manifest, report):
            raise SystemExit(1)

    def show(self, manifest: Manifest, report: dict[str, Any]) -> bool:
        """Print what the check found; whether everything is right."""
        ok = True
        if report["migrated"]:
            self.stdout.write(
                _("Applied %(count)s migrations the archive's database lacked.")
                % {"count": len(report["migrated"])}
            )
        counts = report["counts"]
        self.stdout.write(
            _("%(total)s records in %(tables)s tables (%(apps)s).")
            % {
                "total": sum(counts.values()),
                "tables": len(counts),
                "apps": ", ".join(f"{app} {count}" for app, count in per_app(counts)),
            }
        )
        changed = differences(manifest.counts, counts)
        if not changed:
            self.stdout.write(
                _("Every table holds as many records as the archive says.")
            )
        for label, (expected, found) in changed.items():
            self.stderr.write(
                _("%(table)s: %(expected)s records in the archive, %(found)s restored.")
                % {"table": label, "expected": expected, "found": found}
            )
        # Migrations may add or fill tables; without them counts must match.
        ok = ok and (not changed or bool(report["migrated"]))
        if report["encrypted_failed"]:
            ok = False
            self.stderr.write(
                _(
                    "Encrypted values in %(fields)s do not decrypt: the keys are not "
                    "the ones they were written with. Set WARDKEEPER_FIELD_ENCRYPTION_KEYS "
                    "as on the original installation."
                )
                % {"fields": ", ".join(report["encrypted_failed"])}
            )
        else:
            self.stdout.write(
                _("%(count)s encrypted values decrypt with the restored keys.")
                % {"count": report["encrypted_checked"]}
            )
        if report["audit_problem"]:
            ok = False
            self.stderr.write(
                _("audit trail BROKEN at entry #%(id)s: %(detail)s")
                % {"id": report["audit_entry"], "detail": report["audit_problem"]}
            )
        else:
            self.stdout.write(
                _("audit trail intact: %(count)s entries")
                % {"count": report["audit_checked"]}
            )
        for name in manifest.keys_from_environment:
            self.stdout.write(
                _("The original installation set %(name)s: set it here too.")
                % {"name": name}
            )
        return ok
