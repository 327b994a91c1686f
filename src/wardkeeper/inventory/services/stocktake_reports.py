"""The stocktake report, as PDF (to sign and file) and XLSX (to work through).

Both show the counts first, then the lines grouped by result, the ones that
need action (missing, wrong place, unexpected) before the found ones. The PDF
prints in the embedded font of ``core.pdf_fonts``, which has Chinese as well
as Latin letters.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    LongTable,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from wardkeeper.core.pdf_fonts import paragraph, pdf_font
from wardkeeper.inventory.choices import Reconciliation
from wardkeeper.inventory.models import Stocktake, StocktakeLine
from wardkeeper.inventory.services.stocktake_reconcile import result_counts

# Actionable results first: what someone must go and look for.
REPORT_ORDER = (
    Reconciliation.MISSING,
    Reconciliation.WRONG_PLACE,
    Reconciliation.UNEXPECTED,
    Reconciliation.FOUND,
)
# A PDF of 100,000 table rows takes minutes to lay out and nobody reads it;
# past this many lines of one result the PDF points to the XLSX, which has all.
PDF_LINES_PER_RESULT = 3000

Row = tuple[str, str, str, str]


def _when(value: Any) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else "—"


def _summary(stocktake: Stocktake) -> list[tuple[str, str]]:
    """The heading facts of a report, as (label, value) pairs."""
    scope = ", ".join(str(place) for place in stocktake.locations.all())
    return [
        (_("Stocktake"), stocktake.name),
        (_("Status"), str(stocktake.get_status_display())),
        (_("Places counted"), scope),
        (_("Opened"), f"{_when(stocktake.opened_at)} {stocktake.opened_by or ''}"),
        (_("Closed"), f"{_when(stocktake.closed_at)} {stocktake.closed_by or ''}"),
        (_("Reconciled"), _when(stocktake.reconciled_at)),
    ]


def _lines(stocktake: Stocktake, result: str) -> Iterator[Row]:
    """Each line of one result as (tag, name, booked place, found place)."""
    rows = (
        StocktakeLine.objects.filter(stocktake=stocktake, result=result)
        .order_by("tag")
        .values_list(
            "tag",
            "asset__name",
            "expected_location__full_name",
            "found_location__full_name",
        )
    )
    for tag, name, booked, found in rows.iterator(2000):
        yield tag, name or _("(unknown tag)"), booked or "", found or ""


def _headings() -> Row:
    return (_("Asset tag"), _("Name"), _("On the books in"), _("Found in"))


def _grid(font: str) -> TableStyle:
    """Thin grey rules, a tinted heading row, all text in ``font``."""
    return TableStyle(
        [
            ("FONTNAME", (0, 0), (-1, -1), font),
            ("FONTSIZE", (0, 0), (-1, -1), 8),
            ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e9eef0")),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ]
    )


def stocktake_report_pdf(stocktake: Stocktake) -> bytes:
    """The stocktake report as an A4 PDF: summary, counts, lines by result."""
    font = pdf_font()
    body = ParagraphStyle("body", fontName=font, fontSize=8, leading=10)
    title = ParagraphStyle("title", fontName=font, fontSize=16, leading=20)
    heading = ParagraphStyle("heading", fontName=font, fontSize=12, leading=16)
    grid = _grid(font)
    story: list[Any] = [paragraph(_("Stocktake report"), title)]
    facts = [[paragraph(k, body), paragraph(v, body)] for k, v in _summary(stocktake)]
    story += [
        Table(facts, colWidths=[35 * mm, 145 * mm], style=grid),
        Spacer(1, 4 * mm),
    ]
    counts = result_counts(stocktake)
    count_rows = [[_("Result"), _("Lines")]] + [
        [str(result.label), str(counts[result])] for result in REPORT_ORDER
    ]
    story += [Table(count_rows, colWidths=[60 * mm, 25 * mm], style=grid)]
    for result in REPORT_ORDER:
        story += _pdf_section(stocktake, result, counts[result], body, heading, grid)
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=15 * mm,
        bottomMargin=15 * mm,
        title=f"{_('Stocktake report')}: {stocktake.name}",
        initialFontName=font,
    )
    document.build(story)
    return buffer.getvalue()


def _pdf_section(
    stocktake: Stocktake,
    result: Reconciliation,
    count: int,
    body: ParagraphStyle,
    heading: ParagraphStyle,
    grid: TableStyle,
) -> list[Any]:
    flow: list[Any] = [
        Spacer(1, 5 * mm),
        paragraph(f"{str(result.label).capitalize()} ({count})", heading),
    ]
    if not count:
        return flow
    rows: list[list[Any]] = [list(_headings())]
    for index, row in enumerate(_lines(stocktake, result)):
        if index == PDF_LINES_PER_RESULT:
            break
        rows.append([paragraph(cell, body) for cell in row])
    widths = [30 * mm, 50 * mm, 50 * mm, 50 * mm]
    flow.append(LongTable(rows, colWidths=widths, style=grid, repeatRows=1))
    if count > PDF_LINES_PER_RESULT:
        note = _("Only the first %(n)d lines are shown; the XLSX report lists all.")
        flow.append(paragraph(note % {"n": PDF_LINES_PER_RESULT}, body))
    return flow


def stocktake_report_xlsx(stocktake: Stocktake) -> bytes:
    """The stocktake report as a workbook: a summary sheet, one sheet per result."""
    book = Workbook(write_only=True)
    summary = book.create_sheet(_("Summary"))
    for label, value in _summary(stocktake):
        summary.append([label, value])
    summary.append([])
    summary.append([_("Result"), _("Lines")])
    counts = result_counts(stocktake)
    for result in REPORT_ORDER:
        summary.append([str(result.label), counts[result]])
    for result in REPORT_ORDER:
        # Sheet titles: at most 31 characters, none of []:*?/\
        sheet = book.create_sheet(str(result.label)[:31])
        sheet.append(list(_headings()))
        for row in _lines(stocktake, result):
            sheet.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
