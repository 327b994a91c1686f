"""Running an import: read, validate the whole file, then write it all or
nothing, with one audit entry per created or changed record."""

from __future__ import annotations

import gc
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, BinaryIO

from django.db import IntegrityError, connection, transaction
from django.utils.translation import gettext as _

from wardkeeper.core import audit
from wardkeeper.core.models.audit import AuditAction, AuditSource
from wardkeeper.inventory.transfer.base import Importer, Planned
from wardkeeper.inventory.transfer.columns import cells_of, map_header
from wardkeeper.inventory.transfer.kinds import importer_for
from wardkeeper.inventory.transfer.reading import read_table
from wardkeeper.inventory.transfer.report import FileRefused, ImportReport, RowError

Progress = Callable[[int, int], None]
TICK = 1000  # rows between two progress calls


def run_import(
    kind: str,
    source: BinaryIO | Path,
    *,
    filename: str,
    dry_run: bool,
    actor: Any,
    progress: Progress | None = None,
    max_bytes: int | None = None,
) -> ImportReport:
    """Validate a file of ``kind`` and, unless ``dry_run`` or it has errors,
    write it in one transaction. Whole-file problems come back as errors on
    row 0; nothing is written whenever the report is not ``ok``."""
    with collector_paused():
        return _run(kind, source, filename, dry_run, actor, progress, max_bytes)


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector. A large import allocates
    millions of small containers, and each automatic collection rescans the
    growing heap: it took a third of the time. Reference counting still frees
    everything; cycles are collected once the collector resumes."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _run(
    kind: str,
    source: BinaryIO | Path,
    filename: str,
    dry_run: bool,
    actor: Any,
    progress: Progress | None,
    max_bytes: int | None,
) -> ImportReport:
    importer_class = importer_for(kind)
    report = ImportReport(kind=kind, dry_run=dry_run)
    try:
        table = read_table(source, filename=filename, max_bytes=max_bytes)
    except FileRefused as exc:
        report.errors.append(RowError(0, "", exc.message))
        return report
    header, report.errors = map_header(
        table.header,
        importer_class.columns(),
        ignore_unknown=importer_class.ignore_unknown_columns,
    )
    if report.errors:
        return report
    importer = importer_class(header)
    report.notes = unknown_columns(table.header, header)
    report.total = len(table.rows) + len(table.errors)
    ticker = Ticker(progress, report.total * (1 if dry_run else 2))
    plan, errors = build_plan(importer, table.rows, ticker)
    report.errors = sorted(table.errors + errors, key=lambda e: (e.row, e.column))
    report.notes += sorted(importer.notes, key=lambda e: (e.row, e.column))
    if report.errors:
        return report
    to_write = classify(plan, report)
    if to_write and not dry_run:
        write(
            importer,
            to_write,
            actor=actor,
            filename=filename,
            report=report,
            ticker=ticker,
        )
        if report.ok:
            refresh_statistics(importer.model, len(to_write))
    ticker.finish()
    return report


def unknown_columns(headings: list[str], header: Any) -> list[RowError]:
    """A note for each named column left out (files of other programs)."""
    return [
        RowError(1, headings[index], _("This column is not imported."))
        for index in header.unknown
    ]


# Below this many rows the database's own statistics stay close enough.
ANALYZE_AFTER_ROWS = 5000


def refresh_statistics(model: Any, written: int) -> None:
    """After a large import on PostgreSQL, refresh the planner's statistics of
    the table at once: until autovacuum gets to it, the planner believes the
    table is as small as it was and picks plans that sort every row."""
    if written < ANALYZE_AFTER_ROWS or connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(f'ANALYZE "{model._meta.db_table}"')


def write(
    importer: Importer[Any],
    to_write: list[Planned[Any]],
    *,
    actor: Any,
    filename: str,
    report: ImportReport,
    ticker: Ticker,
) -> None:
    """Write the planned rows and their audit entries in one transaction. A
    record another user made meanwhile with the same key fails the whole
    import, which is then reported instead of raised."""
    try:
        with (
            transaction.atomic(),
            audit.audit_context(source=AuditSource.IMPORT, actor=actor),
        ):
            importer.write(to_write, ticker.advance)
            record_audit(importer, to_write, Path(filename).name)
    except IntegrityError:
        report.created = report.updated = 0
        report.errors.append(
            RowError(
                0,
                "",
                _(
                    "The records changed while the file was imported; nothing was "
                    "written. Import the file again."
                ),
            )
        )


def build_plan(
    importer: Importer[Any], rows: list[tuple[int, list[Any]]], ticker: Ticker
) -> tuple[list[Planned[Any]], list[RowError]]:
    """Read every row, then set each on its record; errors for the whole file."""
    columns = {column.key: column for column in importer.columns()}
    parsed: list[tuple[int, dict[str, Any], bool]] = []
    errors: list[RowError] = []
    for number, cells in rows:
        values, cell_errors = cells_of(number, cells, importer.header, columns)
        errors.extend(cell_errors)
        parsed.append((number, values, not cell_errors))
    importer.preload([values for _number, values, _ok in parsed])
    plan: list[Planned[Any]] = []
    seen: dict[Hashable, int] = {}
    for number, values, readable in parsed:
        ticker.advance(1)
        key = importer.key(values)
        if key is not None:
            if key in seen:
                errors.append(duplicate(importer, number, seen[key]))
                continue
            seen[key] = number
        if key is None or not readable:
            continue  # its cell errors are reported already
        obj = importer.existing(key)
        before = None if obj is None else dict(obj._audit_snapshot or {})
        planned = Planned(number, values, obj or importer.new(), before)
        row_errors = importer.apply(planned)
        errors.extend(row_errors)
        if not row_errors:
            plan.append(planned)
    if not errors:
        errors = importer.resolve(plan)
    return plan, errors


def duplicate(importer: Importer[Any], row: int, first: int) -> RowError:
    return RowError(
        row,
        importer.key_column,
        _("The same %(column)s is already on row %(first)d.")
        % {"column": importer.key_column, "first": first},
    )


def classify(plan: list[Planned[Any]], report: ImportReport) -> list[Planned[Any]]:
    """Count created, updated and unchanged rows; return those to write."""
    to_write = []
    for planned in plan:
        if planned.before is None:
            report.created += 1
            to_write.append(planned)
            continue
        planned.changes = audit.diff(planned.before, planned.obj.audit_values())
        for name in planned.new_refs:
            planned.changes.setdefault(name, [planned.before.get(name), None])
        if planned.changes:
            report.updated += 1
            to_write.append(planned)
        else:
            report.unchanged += 1
    return to_write


def record_audit(
    importer: Importer[Any], plan: list[Planned[Any]], filename: str
) -> None:
    """Record the import in the audit trail: first the records made along the
    way (a model import's manufacturers), then one entry per written row.
    The rows go through the audit's bulk path: for a large file, an
    ``AuditEntry`` instance per row cost most of the import's time."""
    audit.append(importer.side_entries())
    audit.append_events(events_for(plan, filename))


def events_for(plan: list[Planned[Any]], filename: str) -> Iterator[audit.Event]:
    """One audit event per written row, with the values it changed; each
    record's snapshot becomes its values as written."""
    # Translated once: looking the text up again for each row cost a sixth
    # of the audit's time.
    text = _("Imported from %(file)s, row %(row)d.")
    for planned in plan:
        after = planned.obj.audit_values()
        message = text % {"file": filename, "row": planned.row}
        action: str
        if planned.before is None:
            action, changes = AuditAction.CREATE, audit.diff(None, after)
        else:
            action, changes = planned.action, audit.diff(planned.before, after)
        planned.obj._audit_snapshot = after
        yield audit.Event(action, planned.obj, changes, message)


class Ticker:
    """Calls ``progress(done, total)`` every thousand rows and at the end."""

    def __init__(self, progress: Progress | None, total: int) -> None:
        self.progress = progress
        self.total = total
        self.done = 0
        self.last = 0

    def advance(self, rows: int) -> None:
        self.done = min(self.total, self.done + rows)
        if self.progress and self.done - self.last >= TICK:
            self.last = self.done
            self.progress(self.done, self.total)

    def finish(self) -> None:
        if self.progress:
            self.progress(self.total, self.total)
