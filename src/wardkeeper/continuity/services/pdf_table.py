"""The tables of the backup and recovery PDFs: a header row repeated on
each page, small text, and the cells that miss their objective in red."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from typing import Any

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import LongTable

from wardkeeper.continuity.services.pdf_base import ALERT, Styles

__all__ = ["alarm_table"]

Line = tuple[Sequence[Any], Collection[int]]  # cells, the columns shown red


def alarm_table(
    s: Styles, header: Sequence[str], lines: Iterable[Line], widths: Sequence[float]
) -> LongTable:
    """``lines``: each row's cells and the indexes of those to show red;
    ``widths`` in millimetres."""
    alert = ParagraphStyle("alert", parent=s.small, textColor=ALERT)
    rows: list[list[Any]] = [[s.text(h, s.small) for h in header]]
    for cells, alarms in lines:
        rows.append(
            [
                s.text(cell, alert if i in alarms else s.small)
                for i, cell in enumerate(cells)
            ]
        )
    return LongTable(
        rows, colWidths=[w * mm for w in widths], repeatRows=1, style=s.grid()
    )
