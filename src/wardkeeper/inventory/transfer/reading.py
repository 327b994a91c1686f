"""Reading an uploaded table: CSV (UTF-8) or XLSX, into a header and rows.

Whole-file problems (not UTF-8, not a workbook, too big, empty, quotes that
never close) raise ``FileRefused`` with a message the user can act on.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from django.utils.translation import gettext as _

from wardkeeper.inventory.transfer.report import FileRefused, RowError

FORMATS = ("csv", "xlsx")
# Raw rows: the row number the user sees (header = 1) and the cells.
Rows = list[tuple[int, list[Any]]]


@dataclass
class Table:
    """The header cells, the data rows, and the rows that could not be split
    into the header's columns."""

    header: list[str]
    rows: Rows
    errors: list[RowError]


def file_format(filename: str) -> str:
    """``csv`` or ``xlsx`` from the file's name; anything else is refused."""
    suffix = Path(filename).suffix.lower().lstrip(".")
    if suffix not in FORMATS:
        raise FileRefused(
            _("Upload a .csv or .xlsx file (this one is “%(name)s”).")
            % {"name": Path(filename).name}
        )
    return suffix


def read_bytes(source: BinaryIO | Path, max_bytes: int | None) -> bytes:
    """The file's content, refused when larger than ``max_bytes``."""
    if isinstance(source, Path):
        with source.open("rb") as handle:
            return read_bytes(handle, max_bytes)
    data = source.read() if max_bytes is None else source.read(max_bytes + 1)
    if max_bytes is not None and len(data) > max_bytes:
        raise FileRefused(
            _("The file is larger than the %(mb)d MB allowed.")
            % {"mb": max_bytes // (1024 * 1024)}
        )
    if not data.strip():
        raise FileRefused(_("The file is empty."))
    return data


def read_table(
    source: BinaryIO | Path, *, filename: str, max_bytes: int | None = None
) -> Table:
    """Read a CSV or XLSX file (chosen by ``filename``'s extension)."""
    kind = file_format(filename)
    data = read_bytes(source, max_bytes)
    table = read_csv(data) if kind == "csv" else read_xlsx(data)
    if not any(cell not in (None, "") for cell in table.header):
        raise FileRefused(_("The first row must hold the column headings."))
    return table


def decode_utf8(data: bytes) -> str:
    """The text of a UTF-8 file (a byte-order mark is allowed)."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise FileRefused(
            _(
                "The file is not UTF-8 text (the first bad byte is on line %(line)d); "
                "save it as CSV UTF-8."
            )
            % {"line": line}
        ) from None


def read_csv(data: bytes) -> Table:
    """Split UTF-8 CSV text into rows; ragged rows are row errors."""
    reader = csv.reader(io.StringIO(decode_utf8(data), newline=""), strict=True)
    try:
        header = [cell.strip() for cell in next(reader)]
        rows: Rows = []
        errors: list[RowError] = []
        for number, cells in enumerate(reader, start=2):
            if not any(cell.strip() for cell in cells):
                continue
            if len(cells) != len(header):
                errors.append(ragged(number, len(cells), len(header)))
                continue
            rows.append((number, cells))
    except csv.Error as exc:
        reason = csv_problem(str(exc))
        raise FileRefused(
            _("The CSV file is malformed near line %(line)d: %(reason)s.")
            % {"line": reader.line_num, "reason": reason}
        ) from None
    except StopIteration:
        raise FileRefused(_("The file is empty.")) from None
    return Table(header, rows, errors)


def csv_problem(detail: str) -> str:
    """The csv module's complaint in the user's words."""
    if "end of data" in detail:
        return _("a quoted value is never closed")
    if "expected after" in detail:
        return _("a quote in the middle of a value")
    if "field larger" in detail:
        return _("a value is longer than %(n)d characters") % {
            "n": csv.field_size_limit()
        }
    return detail


def ragged(row: int, cells: int, columns: int) -> RowError:
    return RowError(
        row,
        "",
        _("This row has %(cells)d values but the header has %(columns)d columns.")
        % {"cells": cells, "columns": columns},
    )


def read_xlsx(data: bytes) -> Table:
    """The first sheet of a workbook, with the values its cells hold."""
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            if not book.worksheets:
                raise FileRefused(_("The workbook has no sheet."))
            return _sheet_rows(book.worksheets[0])
        finally:
            book.close()
    except FileRefused:
        raise
    # openpyxl raises many kinds of error for a damaged or renamed file
    # (BadZipFile, KeyError, InvalidFileException, XML errors): all mean the same.
    except Exception as exc:
        raise FileRefused(
            _("The file is not a readable XLSX workbook (%(reason)s).")
            % {"reason": type(exc).__name__}
        ) from None


def _sheet_rows(sheet: Any) -> Table:
    lines = sheet.iter_rows(values_only=True)
    header_cells = next(lines, None)
    if header_cells is None:
        raise FileRefused(_("The file is empty."))
    header = ["" if cell is None else str(cell).strip() for cell in header_cells]
    width = len(header)
    rows: Rows = []
    errors: list[RowError] = []
    for number, cells in enumerate(lines, start=2):
        values = list(cells)
        if not any(cell not in (None, "") for cell in values):
            continue
        if len(values) > width:
            if any(cell not in (None, "") for cell in values[width:]):
                errors.append(ragged(number, len(values), width))
                continue
            values = values[:width]
        rows.append((number, values + [None] * (width - len(values))))
    return Table(header, rows, errors)
