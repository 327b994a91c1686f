"""Exports: a kind's records as rows, written as streamed CSV or as an XLSX
workbook (openpyxl's write-only mode, so memory stays flat). Every export is
one entry in the audit trail."""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterable, Iterator, Mapping
from decimal import Decimal
from typing import IO, Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from wardkeeper.core import audit
from wardkeeper.core.errors import DomainError
from wardkeeper.core.models.audit import AuditAction
from wardkeeper.inventory.transfer.cells import export_text
from wardkeeper.inventory.transfer.kinds import importer_for

ROWS_PER_CHUNK = 500  # CSV lines per piece of a streamed response


class ExportRefused(DomainError):
    """The filter of an export is not valid; nothing was exported."""

    code = "invalid_filter"


def export_rows(
    kind: str, source: QuerySet[Any] | Mapping[str, Any] | None = None
) -> tuple[list[str], Iterator[list[Any]]]:
    """The header and the rows of an export of ``kind``: of a queryset, or of
    the kind's FilterSet applied to ``source`` (query parameters).

    Raises ``ExportRefused`` for a filter value the FilterSet rejects."""
    importer = importer_for(kind)
    if not importer.exportable:
        raise ExportRefused(_("This kind of file is imported only."))
    base = importer.export_queryset()
    if isinstance(source, QuerySet):
        queryset = base.filter(pk__in=source.values("pk"))
    else:
        filterset = importer.filterset(data=source or {}, queryset=base)
        if not filterset.is_valid():
            field, messages = next(iter(filterset.errors.items()))
            raise ExportRefused(f"{field}: {' '.join(messages)}", field=field)
        queryset = filterset.qs
    header = [column.key for column in importer.columns()]
    rows = (importer.export_row(obj) for obj in queryset.iterator(chunk_size=2000))
    return header, rows


def template_header(kind: str) -> list[str]:
    """The headings an import of ``kind`` accepts (for an empty template)."""
    return [c.key for c in importer_for(kind).columns() if not c.export_only]


def text_value(value: Any) -> str:
    """A value as CSV text: ISO dates, plain decimals, yes/no."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dt.date | Decimal | int):
        return value.isoformat() if isinstance(value, dt.date) else str(value)
    return export_text(str(value))


class _Line:
    """A file that hands back what is written to it (for csv.writer)."""

    def write(self, line: str) -> str:
        return line


def csv_chunks(header: list[str], rows: Iterable[list[Any]]) -> Iterator[str]:
    """UTF-8 CSV text in pieces, starting with a byte-order mark so that
    spreadsheet programs read Chinese text correctly."""
    writer = csv.writer(_Line())
    yield "\ufeff" + writer.writerow(header)
    buffer: list[str] = []
    for row in rows:
        buffer.append(writer.writerow([text_value(value) for value in row]))
        if len(buffer) >= ROWS_PER_CHUNK:
            yield "".join(buffer)
            buffer = []
    if buffer:
        yield "".join(buffer)


def xlsx_value(value: Any) -> Any:
    """A value for a workbook cell: dates and amounts stay typed."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if value is None or isinstance(value, dt.date | Decimal | int):
        return value
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    return export_text(ILLEGAL_CHARACTERS_RE.sub("", str(value)))


def write_xlsx(
    header: list[str], rows: Iterable[list[Any]], target: IO[bytes], title: str
) -> None:
    """Write one sheet named ``title`` holding the header and the rows."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet(title[:31])
    sheet.append(header)
    for row in rows:
        sheet.append([xlsx_value(value) for value in row])
    book.save(target)


def file_name(kind: str, fmt: str) -> str:
    return f"wardkeeper-{kind}-{timezone.localdate():%Y%m%d}.{fmt}"


def record_export(kind: str, fmt: str, params: Mapping[str, Any] | None) -> None:
    """One audit entry saying what was exported, as what, with which filter."""
    shown = ", ".join(
        f"{key}={value}"
        for key, value in filter_items(params)
        if value not in ("", None) and key != "format"
    )
    audit.record(
        AuditAction.EXPORT,
        message=_("Exported %(kind)s as %(format)s; filter: %(filter)s")
        % {"kind": kind, "format": fmt.upper(), "filter": shown or _("none")},
    )


def filter_items(params: Mapping[str, Any] | None) -> list[tuple[str, Any]]:
    """``(key, value)`` pairs of query parameters, every value of a repeated key."""
    if params is None:
        return []
    lists = getattr(params, "lists", None)
    if lists is not None:
        return sorted((key, value) for key, values in lists() for value in values)
    return sorted(params.items())
