"""Printable sheets of asset labels: a QR code and the asset tag on each.

The QR code encodes ``{SITE_URL}/a/<tag>/``: a phone that scans it opens the
asset (and, once the service desk lands, its fault report form), and the
stocktake camera page reads the tag out of the same URL. The sheet follows
the common 24-per-sheet A4 layout (3 x 8 labels of 63.5 x 33.9 mm), so it
prints on ready-cut label sheets as well as on plain paper.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from urllib.parse import quote

from django.utils.translation import gettext as _
from reportlab.graphics import renderPDF
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from wardkeeper.core.errors import DomainError
from wardkeeper.core.pdf_fonts import pdf_font
from wardkeeper.inventory.models import Asset

COLUMNS, ROWS = 3, 8
LABEL_WIDTH, LABEL_HEIGHT = 63.5 * mm, 33.9 * mm
COLUMN_PITCH = 66.0 * mm  # label width plus a 2.5 mm gap
LEFT_MARGIN = (A4[0] - (COLUMNS - 1) * COLUMN_PITCH - LABEL_WIDTH) / 2
TOP_MARGIN = (A4[1] - ROWS * LABEL_HEIGHT) / 2
PADDING = 2 * mm
QR_SIZE = LABEL_HEIGHT - 2 * PADDING
PER_PAGE = COLUMNS * ROWS
TAG_FONT = "Helvetica-Bold"
TEXT_FONT = "Helvetica"


def label_url(base_url: str, tag: str) -> str:
    """The address a label's QR code encodes."""
    return f"{base_url.rstrip('/')}/a/{quote(tag, safe='')}/"


def label_sheet_pdf(assets: Sequence[Asset], *, base_url: str) -> bytes:
    """An A4 PDF of labels for ``assets``, 24 a page, as many pages as needed.

    Raises ``DomainError`` when there are no assets to label."""
    if not assets:
        raise DomainError(_("Choose at least one asset to label."), field="asset")
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, pageCompression=1)
    canvas.setTitle(_("Asset labels"))
    for index, asset in enumerate(assets):
        if index and index % PER_PAGE == 0:
            canvas.showPage()
        slot = index % PER_PAGE
        x = LEFT_MARGIN + (slot % COLUMNS) * COLUMN_PITCH
        y = A4[1] - TOP_MARGIN - (slot // COLUMNS + 1) * LABEL_HEIGHT
        _draw_label(canvas, asset, x, y, base_url)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _draw_label(
    canvas: Canvas, asset: Asset, x: float, y: float, base_url: str
) -> None:
    """One label with its lower-left corner at (x, y)."""
    _draw_qr(canvas, label_url(base_url, asset.tag), x + PADDING, y + PADDING)
    left = x + PADDING + QR_SIZE + 1.5 * mm
    width = x + LABEL_WIDTH - PADDING - left
    top = y + LABEL_HEIGHT - PADDING
    tag_font = TAG_FONT if asset.tag.isascii() else pdf_font()
    size = _fitting_size(asset.tag, tag_font, width, largest=14.0, smallest=6.0)
    canvas.setFillColor(colors.black)
    canvas.setFont(tag_font, size)
    canvas.drawString(left, top - size, asset.tag)
    name_font = _text_font(asset.name)
    canvas.setFont(name_font, 7.5)
    line_y = top - size - 3.5 * mm
    for line in _wrap(asset.name, name_font, 7.5, width, max_lines=3):
        canvas.drawString(left, line_y, line)
        line_y -= 9
    place = asset.location.campus_name if asset.location_id and asset.location else ""
    if place:
        place_font = _text_font(place)
        canvas.setFont(place_font, 6)
        canvas.setFillColor(colors.dimgrey)
        canvas.drawString(left, y + PADDING, _truncate(place, place_font, 6, width))


def _text_font(text: str) -> str:
    """Helvetica for plain ASCII text (it prints crisper, and every reader has
    it); the embedded font otherwise, which holds Chinese as well as Latin."""
    return TEXT_FONT if text.isascii() else pdf_font()


def _draw_qr(canvas: Canvas, value: str, x: float, y: float) -> None:
    widget = QrCodeWidget(value, barLevel="M", barBorder=4)
    x0, y0, x1, y1 = widget.getBounds()
    drawing = Drawing(
        QR_SIZE,
        QR_SIZE,
        transform=[QR_SIZE / (x1 - x0), 0, 0, QR_SIZE / (y1 - y0), 0, 0],
    )
    drawing.add(widget)
    renderPDF.draw(drawing, canvas, x, y)


def _fitting_size(
    text: str, font: str, width: float, *, largest: float, smallest: float
) -> float:
    size = largest
    while size > smallest and stringWidth(text, font, size) > width:
        size -= 0.5
    return size


def _truncate(text: str, font: str, size: float, width: float) -> str:
    if stringWidth(text, font, size) <= width:
        return text
    while text and stringWidth(text + "…", font, size) > width:
        text = text[:-1]
    return text + "…"


def _wrap(
    text: str, font: str, size: float, width: float, *, max_lines: int
) -> list[str]:
    """Break ``text`` into lines that fit, by character (names may be Chinese,
    which has no spaces); the last line is cut short with an ellipsis."""
    lines: list[str] = []
    rest = " ".join(text.split())
    while rest and len(lines) < max_lines:
        cut = len(rest)
        while cut > 1 and stringWidth(rest[:cut], font, size) > width:
            cut -= 1
        # Prefer to break Latin text at a space when one is close.
        space = rest.rfind(" ", 0, cut)
        if cut < len(rest) and space > cut // 2:
            cut = space
        lines.append(rest[:cut].strip())
        rest = rest[cut:].strip()
    if rest and lines:
        lines[-1] = _truncate(lines[-1] + "…", font, size, width)
    return lines
