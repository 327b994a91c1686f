"""The backup and recovery dashboard as an A4 PDF (for the management
review): the headline figures, one line per system, then the storage of
the systems' servers and arrays, one line per array as on the page."""

from __future__ import annotations

from typing import Any
from xml.sax.saxutils import escape

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from reportlab.lib.units import mm
from reportlab.platypus import LongTable, Paragraph, Spacer

from wardkeeper.continuity.models import ProtectedSystem
from wardkeeper.continuity.services import dashboard, storage
from wardkeeper.continuity.services.pdf_base import Styles, build, when
from wardkeeper.continuity.services.pdf_table import alarm_table

WIDTHS = [34, 16, 30, 32, 34, 18, 18]  # mm, 182 in all (A4 less margins)
STORAGE_WIDTHS = [22, 32, 40, 36, 28, 24]


def dashboard_pdf(systems: QuerySet[ProtectedSystem]) -> bytes:
    now = timezone.now()
    s = Styles()
    title = _("Backup and recovery dashboard")
    top = dashboard.headline(systems, now)
    story: list[Any] = [
        Paragraph(escape(title), s.title),
        s.text(_("As of %(when)s") % {"when": when(now)}, s.small),
        Spacer(1, 3 * mm),
        s.facts(
            [(f.label, f"{f.met} / {f.total}") for f in top.figures]
            + [(_("Open findings"), top.open_findings)]
        ),
        Spacer(1, 4 * mm),
        _table(s, systems, now),
        Paragraph(escape(_("Storage")), s.heading),
        _storage(s, systems),
    ]
    return build(story, title)


def _table(s: Styles, systems: QuerySet[ProtectedSystem], now: Any) -> LongTable:
    header = [
        _("System"),
        _("Criticality"),
        _("Last good backup"),
        _("3-2-1"),
        _("Last restore proof"),
        _("Last drill"),
        _("Open findings"),
    ]
    lines = (
        (dashboard.pdf_cells(line), _alarms(line))
        for line in dashboard.lines(systems, now)
    )
    return alarm_table(s, header, lines, WIDTHS)


def _alarms(line: Any) -> set[int]:
    """The columns in red: a backup older than the RPO, a flagged proof."""
    red = set()
    if not line.row.rpo.is_ok:
        red.add(2)
    if line.proof_flagged:
        red.add(4)
    return red


def _storage(s: Styles, systems: QuerySet[ProtectedSystem]) -> Any:
    """The page's storage section: one line per array, the worst first; a
    degraded or failed array in red."""
    arrays = storage.array_rows(systems)
    if not arrays:
        return s.text(
            _(
                "No storage checks watch these systems' servers and arrays. "
                "Add a Redfish check for a server's management controller, or "
                "an SNMP check reading storage, to an asset linked to the system."
            ),
            s.small,
        )
    header = [
        _("Systems"),
        _("Array"),
        _("State"),
        _("Volumes"),
        _("Drives"),
        _("Cache and battery"),
    ]
    lines = []
    for row in arrays:
        failing = row.status in storage.BAD
        state = row.status_label + (f": {row.problems}" if row.problems else "")
        state += f"\n{row.paused_note}" if row.paused else ""
        # As on the page: the drives, the failed ones, the hot spares below.
        drives = ", ".join(part for part in (row.drives, row.failed) if part)
        drives = "\n".join(part for part in (drives, row.hot_spares) if part)
        cells = [", ".join(row.systems), f"{row.name}\n{row.place}", state]
        cells += [row.volumes, drives, row.cache_and_battery]
        lines.append((cells, {2, 4} if failing else set()))
    return alarm_table(s, header, lines, STORAGE_WIDTHS)
