"""What the backup and recovery PDFs share: A4 pages, the embedded
CJK-capable font, the paragraph and table styles, a tick box to fill in by
hand, spans and times as people write them, and a watermark."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    Flowable,
    LongTable,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from wardkeeper.core.pdf_fonts import paragraph, pdf_font

HEAD = colors.HexColor("#e9eef0")
ALERT = colors.HexColor("#b02a37")
# Light enough to read the text printed over it.
WATERMARK = colors.HexColor("#f3cfd3")


class TickBox(Flowable):
    """An empty square to tick with a pen."""

    def __init__(self, size: float = 5 * mm) -> None:
        super().__init__()
        self.size = size

    def wrap(self, *args: Any) -> tuple[float, float]:
        return self.size, self.size

    def draw(self) -> None:
        self.canv.setLineWidth(0.8)
        self.canv.rect(0, 0, self.size, self.size)


class Styles:
    """The paragraph styles of both documents, in the CJK-capable font."""

    def __init__(self) -> None:
        self.font = font = pdf_font()
        self.body = ParagraphStyle("body", fontName=font, fontSize=9, leading=12)
        self.small = ParagraphStyle("small", fontName=font, fontSize=8, leading=10)
        self.title = ParagraphStyle("title", fontName=font, fontSize=16, leading=20)
        self.heading = ParagraphStyle(
            "heading", fontName=font, fontSize=11, leading=14, spaceBefore=8
        )
        self.alert = ParagraphStyle(
            "alert", parent=self.body, textColor=ALERT, fontSize=10, leading=13
        )
        self.banner = ParagraphStyle(
            "banner", parent=self.alert, fontSize=16, leading=20, alignment=1
        )
        self.notice = ParagraphStyle("notice", parent=self.alert, alignment=1)

    def text(self, value: Any, style: ParagraphStyle | None = None) -> Paragraph:
        """A paragraph of plain text (escaped; new lines kept), wrapped by
        word, or by character when it holds Chinese."""
        return paragraph("—" if value in (None, "") else str(value), style or self.body)

    def grid(self, *extra: tuple[Any, ...]) -> TableStyle:
        return TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), self.font),
                ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
                ("BACKGROUND", (0, 0), (-1, 0), HEAD),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                *extra,
            ]
        )

    def facts(self, pairs: list[tuple[str, Any]]) -> Table:
        rows = [[self.text(k, self.small), self.text(v)] for k, v in pairs]
        style = TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), self.font),
                ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.lightgrey),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
        return Table(rows, colWidths=[45 * mm, 135 * mm], style=style)

    def section(self, title: str, value: Any) -> list[Any]:
        return [self.text(title, self.heading), self.text(value)]

    def table(self, header: list[str], rows: list[list[Any]], widths: list[int]) -> Any:
        """A ruled table of plain-text cells (``widths`` in mm)."""
        cells = [[self.text(h, self.small) for h in header]]
        cells += [[self.text(cell, self.small) for cell in row] for row in rows]
        return LongTable(
            cells, colWidths=[w * mm for w in widths], repeatRows=1, style=self.grid()
        )

    def banner_box(self, headline: str, sentence: str) -> list[Any]:
        """``headline`` large and red over ``sentence``, framed in red."""
        style = TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), self.font),
                ("BOX", (0, 0), (-1, -1), 1.5, ALERT),
            ]
        )
        cells = [[self.text(headline, self.banner)], [self.text(sentence, self.notice)]]
        return [Table(cells, colWidths=[182 * mm], style=style), Spacer(1, 4 * mm)]


def duration(minutes: int | None) -> str:
    """``45 min``, ``2 h 30 min``; a dash when unknown."""
    if minutes is None:
        return "—"
    hours, rest = divmod(int(minutes), 60)
    if not hours:
        return _("%(m)d min") % {"m": rest}
    if not rest:
        return _("%(h)d h") % {"h": hours}
    return _("%(h)d h %(m)d min") % {"h": hours, "m": rest}


def when(value: dt.datetime | None) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else "—"


def build(story: list[Any], title: str, *, watermark: str = "") -> bytes:
    """The A4 PDF of ``story``; ``watermark`` printed across every page."""
    buffer = io.BytesIO()
    margin = 14 * mm
    pages: dict[str, Any] = {}
    if watermark:
        pages = {"onFirstPage": _watermark(watermark)}
        pages["onLaterPages"] = pages["onFirstPage"]
    SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=margin,
        rightMargin=margin,
        topMargin=margin,
        bottomMargin=margin,
        title=title,
        initialFontName=pdf_font(),
    ).build(story, **pages)
    return buffer.getvalue()


def _watermark(text: str) -> Callable[[Canvas, Any], None]:
    """Draws ``text`` diagonally across the page, beneath its content."""

    def draw(canvas: Canvas, document: Any) -> None:
        width, height = document.pagesize
        font = pdf_font()
        size = min(
            60.0, 0.75 * (width**2 + height**2) ** 0.5 / stringWidth(text, font, 1)
        )
        canvas.saveState()
        canvas.setFillColor(WATERMARK)
        canvas.setFont(font, size)
        canvas.translate(width / 2, height / 2)
        canvas.rotate(55)
        canvas.drawCentredString(0, -size / 3, text)
        canvas.restoreState()

    return draw
