"""The availability report as an A4 PDF (to attach to a service review)."""

from __future__ import annotations

import io
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    LongTable,
    SimpleDocTemplate,
    Spacer,
    TableStyle,
)

from wardkeeper.core.pdf_fonts import paragraph, pdf_font
from wardkeeper.monitoring.services.availability import Report, table

# Past this many rows the PDF points to the XLSX, which has them all.
PDF_ROWS = 2000


def _text(value: Any) -> str:
    return "—" if value is None else str(value)


def report_pdf(report: Report) -> bytes:
    """The report's table with its period and definitions above it."""
    font = pdf_font()
    body = ParagraphStyle("body", fontName=font, fontSize=8, leading=10)
    title = ParagraphStyle("title", fontName=font, fontSize=15, leading=19)
    start = timezone.localtime(report.start).strftime("%Y-%m-%d %H:%M")
    end = timezone.localtime(report.end).strftime("%Y-%m-%d %H:%M")
    header, rows = table(report)
    grid = TableStyle(
        [
            ("FONTNAME", (0, 0), (-1, -1), font),
            ("FONTSIZE", (0, 0), (-1, -1), 8),
            ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e9eef0")),
            ("BACKGROUND", (0, -1), (-1, -1), colors.HexColor("#f4f6f7")),
            ("ALIGN", (1, 1), (-1, -1), "RIGHT"),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ]
    )
    cells = [[paragraph(h, body) for h in header]]
    shown = rows[:PDF_ROWS] + ([rows[-1]] if len(rows) > PDF_ROWS else [])
    cells += [[paragraph(_text(c), body) for c in row] for row in shown]
    widths = [70 * mm] + [23 * mm] * (len(header) - 1)
    story: list[Any] = [
        paragraph(_("Availability report"), title),
        paragraph(_("From %(start)s to %(end)s") % {"start": start, "end": end}, body),
        paragraph(
            _(
                "Available: up or degraded. Maintenance excluded: runs in a "
                "maintenance window are left out; counted: they count as down."
            ),
            body,
        ),
        Spacer(1, 4 * mm),
        LongTable(cells, colWidths=widths, style=grid, repeatRows=1),
    ]
    if len(rows) > PDF_ROWS:
        note = _("Only the first %(n)d rows are shown; the XLSX report lists all.")
        story.append(paragraph(note % {"n": PDF_ROWS}, body))
    buffer = io.BytesIO()
    margin = 12 * mm
    SimpleDocTemplate(
        buffer,
        pagesize=landscape(A4),
        leftMargin=margin,
        rightMargin=margin,
        topMargin=margin,
        bottomMargin=margin,
        title=_("Availability report"),
        initialFontName=font,
    ).build(story)
    return buffer.getvalue()
