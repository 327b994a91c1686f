"""``wardkeeper backup``: one archive with the database, the uploads and the keys."""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

from wardkeeper.core.backup import BackupError, archive
from wardkeeper.core.backup.manifest import per_app
from wardkeeper.core.backup.signals import backup_finished

logger = logging.getLogger(__name__)


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
        started = timezone.now()
        try:
            written = archive.write(path, uploads=not no_uploads)
        except BackupError as exc:
            self._tell(started, path, None, str(exc))
            raise CommandError(str(exc)) from exc
        manifest = written.manifest
        uploads = sum(1 for name in manifest.members if name.startswith("uploads/"))
        self.stdout.write(
            _("Backup written: %(path)s (%(size)s)")
            % {"path": written.path, "size": filesizeformat(written.size)}
        )
        self._tell(started, written.path, written.size, "")
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

    def _tell(
        self, started: dt.datetime, path: Path, size: int | None, error: str
    ) -> None:
        """Send ``backup_finished``; print what its receivers say. A receiver
        that fails is logged: the archive is written (or not) either way."""
        answers = backup_finished.send_robust(
            sender=self.__class__,
            started_at=started,
            finished_at=timezone.now(),
            path=str(path),
            size=size,
            error=error,
        )
        for receiver, answer in answers:
            if isinstance(answer, Exception):
                logger.error(
                    "%s failed: %s", getattr(receiver, "__qualname__", receiver), answer
                )
            elif answer:
                self.stdout.write(str(answer))
