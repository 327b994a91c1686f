"""Backup runs from a CSV or XLSX file (products that can only export a
report): the inventory's import framework reads the file, maps its headings
and parses its cells (inventory/transfer); the runs are stored through
services/ingest.py like any other report. The file is checked whole: any bad
row and nothing is written; a run already stored (same job and tool's id, or
same start when it has none) is counted as unchanged, not doubled.

Columns: ``job`` (the job's name; needed when the page is not a job's own),
``system`` (to tell apart jobs of the same name), ``started_at``,
``finished_at``, ``status`` (success, warning, failed, running — or their
labels), ``size_bytes``, ``added_bytes``, ``files``, ``message``,
``external_id``. Times without a zone are in the configured zone.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _

from wardkeeper.continuity.choices import RunSource, RunStatus
from wardkeeper.continuity.models import BackupJob, ProtectedSystem
from wardkeeper.continuity.services import ingest
from wardkeeper.continuity.services.ingest import RunReport
from wardkeeper.core import audit
from wardkeeper.core.models.audit import AuditSource
from wardkeeper.inventory.transfer import cells
from wardkeeper.inventory.transfer.columns import Column, cells_of, map_header
from wardkeeper.inventory.transfer.reading import read_table
from wardkeeper.inventory.transfer.report import (
    CellError,
    FileRefused,
    ImportReport,
    RowError,
)
from wardkeeper.network.importers.cells import integer

KIND = "backup-runs"
BIG = 2**63 - 1
PREVIEW_ROWS = 50  # the review shows this many of the runs it would store


@dataclass(frozen=True)
class PreviewRow:
    """A run the file would store, as the review lists it."""

    job: BackupJob
    run: RunReport

    @property
    def status_label(self) -> str:
        return str(RunStatus(self.run.status).label)


@dataclass
class RunImportReport(ImportReport):
    """The import's report, with the first runs a dry run would store."""

    preview: list[PreviewRow] = field(default_factory=list)


def moment(value: Any) -> dt.datetime | None:
    """A time: a workbook's date-time cell or ISO text (``2026-03-01 01:30``,
    ``…T01:30:00Z``, ``…+08:00``); without a zone, the configured one."""
    if isinstance(value, dt.datetime):
        found = value
    else:
        word = cells.cell_text(value)
        if not word:
            return None
        try:
            found = dt.datetime.fromisoformat(word)
        except ValueError:
            raise CellError(
                _t("“%(value)s” is not a time; write it as 2026-03-01 01:30.")
                % {"value": word}
            ) from None
    if timezone.is_naive(found):
        found = timezone.make_aware(found)
    return found


def required_moment(value: Any) -> dt.datetime:
    found = moment(value)
    if found is None:
        raise CellError(_t("This column needs a value."))
    return found


COLUMNS: Sequence[Column] = (
    Column("job", _("job"), cells.text(120)),
    Column("system", _("system"), cells.text(120)),
    Column("started_at", _("started"), required_moment, required=True),
    Column("finished_at", _("finished"), moment),
    Column(
        "status", _("status"), cells.choice(RunStatus, required=True), required=True
    ),
    Column("size_bytes", _("size (bytes)"), integer(0, BIG)),
    Column("added_bytes", _("new data (bytes)"), integer(0, BIG)),
    Column("files", _("files"), integer(0, BIG)),
    Column("message", _("message"), cells.text(4000)),
    Column("external_id", _("tool's id"), cells.text(200)),
)
REPORT_FIELDS = (
    "status",
    "started_at",
    "finished_at",
    "size_bytes",
    "added_bytes",
    "files",
    "message",
    "external_id",
)


class JobFinder:
    """Jobs by the names a file gives, loaded once."""

    def __init__(self, job: BackupJob | None) -> None:
        self.job = job
        self.by_name: dict[str, list[BackupJob]] = defaultdict(list)
        self.systems: set[str] = set()
        if job is None:
            for found in BackupJob.objects.select_related("system"):
                self.by_name[found.name.casefold()].append(found)
            self.systems = {
                name.casefold()
                for name in ProtectedSystem.objects.values_list("name", flat=True)
            }

    def find(self, row: int, name: str, system: str) -> BackupJob | RowError:
        if self.job is not None:
            if name and name.casefold() != self.job.name.casefold():
                return RowError(
                    row,
                    "job",
                    _t("This page takes runs of “%(job)s” only.")
                    % {"job": self.job.name},
                )
            return self.job
        if not name:
            return RowError(row, "job", _t("Name the job."))
        if system and system.casefold() not in self.systems:
            return RowError(
                row,
                "system",
                _t("No protected system is named “%(name)s”.") % {"name": system},
            )
        found = self.by_name.get(name.casefold(), [])
        if system:
            found = [j for j in found if j.system.name.casefold() == system.casefold()]
        if len(found) == 1:
            return found[0]
        if not found and system:
            return RowError(
                row,
                "job",
                _t("%(system)s has no backup job named “%(name)s”.")
                % {"system": system, "name": name},
            )
        if not found:
            return RowError(
                row, "job", _t("No backup job is named “%(name)s”.") % {"name": name}
            )
        return RowError(
            row,
            "system",
            _t("%(n)d jobs are named “%(name)s”; add a system column.")
            % {"n": len(found), "name": name},
        )


def read_rows(
    source: BinaryIO | Path,
    filename: str,
    job: BackupJob | None,
    max_bytes: int | None,
) -> tuple[dict[BackupJob, list[RunReport]], RunImportReport]:
    """Every row as a report of its job, or the file's errors."""
    report = RunImportReport(kind=KIND, dry_run=True)
    try:
        table = read_table(source, filename=filename, max_bytes=max_bytes)
    except FileRefused as exc:
        report.errors.append(RowError(0, "", exc.message))
        return {}, report
    header, report.errors = map_header(table.header, COLUMNS)
    if report.errors:
        return {}, report
    if job is None and not header.present("job"):
        report.errors.append(
            RowError(1, "job", _t("The file has no “job” column, which is required."))
        )
        return {}, report
    report.total = len(table.rows) + len(table.errors)
    report.errors = list(table.errors)
    columns = {column.key: column for column in COLUMNS}
    finder = JobFinder(job)
    runs: dict[BackupJob, list[RunReport]] = defaultdict(list)
    seen: dict[tuple[int, str], int] = {}
    for number, row_cells in table.rows:
        # Every error of a row is reported at once: its cells, its job, its
        # times, whichever of them could be read.
        values, errors = cells_of(number, row_cells, header, columns)
        report.errors += errors
        target = _target(finder, number, values, errors)
        run = _run_of(values)
        if run is not None:
            report.errors += [
                RowError(number, name, message)
                for name, message in ingest.problems_of(run)
            ]
        if isinstance(target, RowError):
            report.errors.append(target)
        if errors or target is None or isinstance(target, RowError) or run is None:
            continue
        key = (target.pk, run.external_id or run.started_at.isoformat())
        if key in seen:
            report.errors.append(
                RowError(
                    number,
                    "external_id",
                    _t("The same run is already on row %(first)d.")
                    % {"first": seen[key]},
                )
            )
        seen[key] = number
        runs[target].append(run)
    report.errors.sort(key=lambda e: (e.row, e.column))
    return runs, report


def _target(
    finder: JobFinder, number: int, values: dict[str, Any], errors: list[RowError]
) -> BackupJob | RowError | None:
    """The row's job, why it has none, or None when its job or system cell
    could not be read (that cell's error says why)."""
    if any(error.column in ("job", "system") for error in errors):
        return None
    return finder.find(number, values.get("job", ""), values.get("system", ""))


def _run_of(values: dict[str, Any]) -> RunReport | None:
    """The row as a report, when its status and start could be read."""
    if "status" not in values or "started_at" not in values:
        return None
    return RunReport(**{name: values[name] for name in REPORT_FIELDS if name in values})


def import_runs(
    source: BinaryIO | Path,
    *,
    filename: str,
    job: BackupJob | None = None,
    dry_run: bool,
    actor: Any,
    max_bytes: int | None = None,
) -> RunImportReport:
    """Check a file of runs and, unless ``dry_run`` or it has errors, store
    them in one transaction (one audit entry per job). ``created`` counts
    new runs, ``unchanged`` those stored before; a dry run's ``preview``
    holds the first new runs, oldest first."""
    runs, report = read_rows(source, filename, job, max_bytes)
    report.dry_run = dry_run
    if report.errors:
        return report
    if dry_run:
        for target, reports in runs.items():
            new = ingest.new_reports(target, reports)
            report.created += len(new)
            report.unchanged += len(reports) - len(new)
            report.preview += [PreviewRow(target, run) for run in new]
        report.preview.sort(key=lambda row: row.run.started_at)
        del report.preview[PREVIEW_ROWS:]
        return report
    note = Path(filename).name
    with (
        transaction.atomic(),
        audit.audit_context(source=AuditSource.IMPORT, actor=actor),
    ):
        for target, reports in runs.items():
            result = ingest.record_runs(
                target, reports, source=RunSource.CSV, note=note
            )
            report.created += result.created
            report.unchanged += result.skipped
    return report
