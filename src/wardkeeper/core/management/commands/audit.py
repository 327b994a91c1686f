"""``wardkeeper audit verify|export|prune``: the operator's side of the trail."""

from __future__ import annotations

import datetime as dt
import json
from argparse import ArgumentParser
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TextIO

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from wardkeeper.core.auditing import chain, export, prune


class Command(BaseCommand):
    help = _("Verify, export or prune the audit trail.")

    def add_arguments(self, parser: ArgumentParser) -> None:
        commands = parser.add_subparsers(dest="subcommand", required=True)
        verify = commands.add_parser(
            "verify",
            help=_("Recompute the hash chain; exit 1 naming the first broken link."),
        )
        verify.add_argument(
            "--file", help=_("Check an exported JSON Lines file instead.")
        )
        verify.add_argument("--batch-size", type=int, default=chain.BATCH_SIZE)
        out = commands.add_parser(
            "export", help=_("Write entries with their hashes for off-system keeping.")
        )
        out.add_argument("--since", help=_("today, yesterday, YYYY-MM-DD or a time"))
        out.add_argument(
            "--until", help=_("inclusive for a date; exclusive for a time")
        )
        out.add_argument(
            "--format", choices=[f.value for f in export.ExportFormat], default="jsonl"
        )
        out.add_argument(
            "--output", help=_("A file to write (default: standard output)")
        )
        cut = commands.add_parser(
            "prune", help=_("Delete entries older than the retention period.")
        )
        cut.add_argument(
            "--dry-run", action="store_true", help=_("Only count what would go.")
        )

    def handle(self, *args: Any, subcommand: str, **options: Any) -> None:
        if subcommand == "verify":
            self.verify(**options)
        elif subcommand == "export":
            self.export(**options)
        else:
            self.prune(**options)

    def verify(self, *, file: str | None, batch_size: int, **options: Any) -> None:
        result = (
            chain.verify_rows(_read_jsonl(Path(file)))
            if file
            else chain.verify_chain(batch_size=max(1, batch_size))
        )
        if result.breakage is None:
            self.stdout.write(
                _("audit trail intact: %(count)s entries") % {"count": result.checked}
            )
            return
        broken = result.breakage
        at = broken.at.isoformat() if isinstance(broken.at, dt.datetime) else broken.at
        if broken.entry_id is None:
            self.stderr.write(
                _("audit trail BROKEN: %(detail)s") % {"detail": broken.detail}
            )
        else:
            self.stderr.write(
                _("audit trail BROKEN at entry #%(id)s (recorded %(at)s): %(detail)s")
                % {"id": broken.entry_id, "at": at or "—", "detail": broken.detail}
            )
        self.stderr.write(
            _("%(count)s entries before it are intact.") % {"count": result.checked}
        )
        raise SystemExit(1)

    def export(
        self,
        *,
        since: str | None,
        until: str | None,
        format: str,
        output: str | None,
        **options: Any,
    ) -> None:
        try:
            start = export.parse_bound(since) if since else None
            end = export.parse_bound(until, end=True) if until else None
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        queryset = export.frozen(export.in_range(start, end))
        count = 0
        with _target(output, self.stdout) as write:
            for line in export.lines(queryset, format):
                write(line)
                count += 1
        rows = count - 1 if format == export.ExportFormat.CSV else count
        scope = (
            f"since {start.isoformat() if start else 'the start'}, "
            f"before {end.isoformat() if end else 'now'}, to {output or 'stdout'}"
        )
        export.record_export(rows, format, scope)
        if output:
            self.stdout.write(
                _("exported %(count)s entries to %(file)s")
                % {"count": rows, "file": output}
            )

    def prune(self, *, dry_run: bool, **options: Any) -> None:
        result = prune.prune(dry_run=dry_run)
        values = {
            "count": result.count,
            "cutoff": result.cutoff.isoformat(timespec="seconds"),
            "days": prune.retention_days(),
        }
        if dry_run:
            message = _(
                "would prune %(count)s entries recorded before %(cutoff)s "
                "(retention %(days)s days)"
            )
        else:
            message = _(
                "pruned %(count)s entries recorded before %(cutoff)s "
                "(retention %(days)s days)"
            )
        self.stdout.write(message % values)


@contextmanager
def _target(path: str | None, stdout: Any) -> Iterator[Callable[[str], Any]]:
    """A write function for the named file (UTF-8, replaced) or for stdout."""
    if path is None:
        # Django's OutputWrapper adds a newline per write; lines bring their own.
        yield lambda line: stdout.write(line, ending="")
        return
    try:
        with Path(path).open("w", encoding="utf-8", newline="") as handle:
            yield handle.write
    except OSError as exc:  # cannot create, or the disk filled up
        raise CommandError(str(exc)) from exc


def _read_jsonl(path: Path) -> Iterator[dict[str, Any]]:
    try:
        handle: TextIO = path.open(encoding="utf-8")
    except OSError as exc:
        raise CommandError(str(exc)) from exc
    with handle:
        for number, line in enumerate(handle, start=1):
            if line.strip():
                try:
                    yield json.loads(line)
                except json.JSONDecodeError as exc:
                    raise CommandError(
                        _("%(file)s line %(line)s is not JSON: %(error)s")
                        % {"file": path, "line": number, "error": exc}
                    ) from exc
