"""``wardkeeper backup``: one archive with the database, the uploads and the keys."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from wardkeeper.core.backup import BackupError, archive
from wardkeeper.core.backup.manifest import per_app


class Command(BaseCommand):
    help = _(
        "Write a consistent backup of the database, the uploads and the keys "
        "into one archive (tar.gz, mode 0600)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--output",
            help=_("The archive to write (default: wardkeeper-backup-<time>.tar.gz)."),
        )
        parser.add_argument(
            "--no-uploads",
            action="store_true",
            help=_("Leave the uploaded files out (back them up another way)."),
        )

    def handle(
        self, *args: Any, output: str | None, no_uploads: bool, **options: Any
    ) -> None:
        path = Path(output or archive.default_name(dt.datetime.now(dt.UTC)))
        try:
            written = archive.write(path, uploads=not no_uploads)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        manifest = written.manifest
        uploads = sum(1 for name in manifest.members if name.startswith("uploads/"))
        self.stdout.write(
            _("Backup written: %(path)s (%(size)s)")
            % {"path": written.path, "size": filesizeformat(written.size)}
        )
        self.stdout.write(
            _(
                "%(total)s records in %(tables)s tables (%(apps)s); %(files)s uploaded files."
            )
            % {
                "total": manifest.total,
                "tables": len(manifest.counts),
                "apps": ", ".join(
                    f"{app} {count}" for app, count in per_app(manifest.counts)
                ),
                "files": uploads if manifest.uploads else _("no"),
            }
        )
        self.stderr.write(
            _(
                "This archive holds the encryption keys: keep it like a password, "
                "where only the operators can read it."
            )
        )
        for name in manifest.keys_from_environment:
            self.stderr.write(
                _(
                    "%(name)s is set in the environment: those keys are not in the "
                    "archive. Keep them with it; a restore needs them."
                )
                % {"name": name}
            )
