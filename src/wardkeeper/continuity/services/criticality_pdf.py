"""The criticality analysis as an A4 PDF, for the risk review and the
hospital's continuity plan: the systems most critical first, as on the
page, with what misses its objective in red."""

from __future__ import annotations

import datetime as dt
from typing import Any
from xml.sax.saxutils import escape

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from reportlab.lib.units import mm
from reportlab.platypus import LongTable, Paragraph, Spacer

from wardkeeper.continuity.models import ProtectedSystem
from wardkeeper.continuity.services import criticality
from wardkeeper.continuity.services.pdf_base import Styles, build, when
from wardkeeper.continuity.services.pdf_table import alarm_table

__all__ = ["criticality_pdf"]

WIDTHS = [28, 22, 13, 13, 24, 36, 26, 20]  # mm, 182 in all (A4 less margins)
CHUNK = 100  # systems read together


def criticality_pdf(systems: QuerySet[ProtectedSystem]) -> bytes:
    now = timezone.now()
    s = Styles()
    title = _("Criticality analysis")
    ordered = criticality.ordered(systems)
    rows = [
        row
        for start in range(0, ordered.count(), CHUNK)
        for row in criticality.rows_for(ordered[start : start + CHUNK], now)
    ]
    story: list[Any] = [
        Paragraph(escape(title), s.title),
        s.text(_("As of %(when)s") % {"when": when(now)}, s.small),
        s.text(
            _("Most critical first, then the shortest RTO, then the shortest RPO.")
            + " "
            + criticality.summary(rows),
            s.small,
        ),
        Spacer(1, 4 * mm),
        _table(s, rows),
    ]
    return build(story, title)


def _table(s: Styles, rows: list[criticality.Row]) -> LongTable:
    header = [
        _("System"),
        _("Criticality"),
        _("RPO"),
        _("RTO"),
        _("Last good backup"),
        _("3-2-1"),
        _("Last restore proof"),
        _("Last drill"),
    ]
    lines = [_cells(row) for row in rows]
    if not lines:
        lines = [([_("Nothing matches.")] + [""] * 7, set())]
    return alarm_table(s, header, lines, WIDTHS)


def _cells(row: criticality.Row) -> tuple[list[str], set[int]]:
    """A row's cells as the page words them, and the columns to show red."""
    system, proof, drill = row.system, row.proof, row.drill
    if row.rpo.last is None:
        backup = _("never")
    else:
        backup = _("%(age)s ago") % {"age": row.age_text}
    if row.rule.met:
        rule = pgettext("3-2-1 rule", "met")
    else:
        rule = pgettext("3-2-1 rule", "not met") + ": " + "; ".join(row.rule.missing)
    if proof is None:
        proven = pgettext("restore proof", "none")
    else:
        proven = f"{proof.get_status_display()} {_day(proof.started_at)}"
    last_drill = (
        (_day(drill.finished_at) if drill and drill.finished_at else drill.title)
        if drill
        else pgettext("drill", "none")
    )
    cells = [
        system.name,
        system.get_criticality_display(),
        criticality.span_text(system.rpo_minutes),
        criticality.span_text(system.rto_minutes),
        backup,
        rule,
        proven,
        last_drill,
    ]
    alarms = {4} if not row.rpo.is_ok else set()
    alarms |= {6} if row.proof_is_due else set()
    alarms |= {5} if not row.rule.met else set()
    return cells, alarms


def _day(moment: dt.datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d")
