"""Printable runbooks (for when the systems are down: tick boxes and time
fields to fill in by hand) and drill lessons-learned reports, as A4 PDFs."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any
from xml.sax.saxutils import escape

from django.utils import timezone
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    Flowable,
    LongTable,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from wardkeeper.continuity.choices import StepOutcome
from wardkeeper.continuity.models import Drill, Runbook, RunbookStep
from wardkeeper.continuity.services import drills, runbooks
from wardkeeper.inventory.services.stocktake_reports import cjk_font

HEAD = colors.HexColor("#e9eef0")
ALERT = colors.HexColor("#b02a37")


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
        self.font = font = cjk_font()
        self.body = ParagraphStyle(
            "body", fontName=font, fontSize=9, leading=12, wordWrap="CJK"
        )
        self.small = ParagraphStyle(
            "small", fontName=font, fontSize=8, leading=10, wordWrap="CJK"
        )
        self.title = ParagraphStyle("title", fontName=font, fontSize=16, leading=20)
        self.heading = ParagraphStyle(
            "heading", fontName=font, fontSize=11, leading=14, spaceBefore=8
        )
        self.alert = ParagraphStyle(
            "alert", parent=self.body, textColor=ALERT, fontSize=10, leading=13
        )

    def text(self, value: Any, style: ParagraphStyle | None = None) -> Paragraph:
        """A paragraph of plain text (escaped; new lines kept)."""
        markup = escape("—" if value in (None, "") else str(value))
        return Paragraph(markup.replace("\n", "<br/>"), style or self.body)

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
        return [Paragraph(escape(title), self.heading), self.text(value)]


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


def build(story: list[Any], title: str) -> bytes:
    buffer = io.BytesIO()
    margin = 14 * mm
    SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=margin,
        rightMargin=margin,
        topMargin=margin,
        bottomMargin=margin,
        title=title,
        initialFontName=cjk_font(),
    ).build(story)
    return buffer.getvalue()


def runbook_pdf(runbook: Runbook, *, now: dt.datetime | None = None) -> bytes:
    """The runbook to print and keep by the phone: facts, contacts, vendor
    support, downtime procedure and the steps to tick off by hand."""
    s = Styles()
    system = runbook.system
    timing = runbooks.timing(runbook)
    title = _("Disaster-recovery runbook: %(title)s (version %(version)s)") % {
        "title": runbook.title,
        "version": runbook.version,
    }
    approval = (
        f"{runbook.approved_by or ''} {when(runbook.approved_at)}"
        if runbook.approved_at
        else _("not approved")
    )
    story: list[Any] = [
        Paragraph(escape(title), s.title),
        s.facts(
            [
                (_("System"), system.name),
                (_("Criticality"), system.get_criticality_display()),
                (_("RPO (data it may lose)"), duration(system.rpo_minutes)),
                (_("RTO (time to bring it back)"), duration(system.rto_minutes)),
                (_("State"), runbook.get_state_display()),
                (_("Approved"), approval),
                (
                    _("Expected duration"),
                    _(
                        "%(critical)s with independent steps in parallel; %(total)s one after another"
                    )
                    % {
                        "critical": duration(timing.critical),
                        "total": duration(timing.total),
                    },
                ),
                (_("Printed"), when(now or timezone.now())),
            ]
        ),
    ]
    if timing.misses_rto:
        story.append(s.text(_("This plan cannot meet the RTO."), s.alert))
    story += s.section(_("Scenario and scope"), runbook.summary)
    story += s.section(_("Contacts"), runbook.contacts)
    vendor = "\n".join(
        part for part in (str(system.vendor or ""), system.support_contacts) if part
    )
    story += s.section(_("Vendor support"), vendor)
    story += s.section(_("Downtime procedure"), runbook.downtime_procedure)
    story += [Paragraph(escape(_("Steps")), s.heading), _steps_table(s, timing.steps)]
    story += [
        Spacer(1, 6 * mm),
        s.text(
            _("Restored by: ______________  Date: __________  Time: ______"), s.body
        ),
    ]
    return build(story, title)


def _steps_table(s: Styles, steps: list[RunbookStep]) -> LongTable:
    header = [
        _("Done"),
        "#",
        _("Step"),
        _("Who"),
        _("Min"),
        _("After"),
        _("Started"),
        _("Finished"),
        _("Initials"),
    ]
    rows: list[list[Any]] = [[s.text(h, s.small) for h in header]]
    for step in steps:
        after = ", ".join(str(dep.position) for dep in step.depends_on.all())
        what = f"{step.title}\n{step.instructions}".strip()
        rows.append(
            [
                TickBox(),
                s.text(step.position, s.small),
                s.text(what, s.small),
                s.text(step.role, s.small),
                s.text(step.expected_minutes, s.small),
                s.text(after or "", s.small),
                "",
                "",
                "",
            ]
        )
    widths = [11, 7, 56, 32, 10, 12, 17, 17, 20]
    return LongTable(
        rows,
        colWidths=[w * mm for w in widths],
        repeatRows=1,
        style=s.grid(("VALIGN", (0, 1), (0, -1), "MIDDLE")),
    )


def _verdict(achieved: int | None, target: int, met: bool | None) -> str:
    if achieved is None:
        return _("not measured (target %(target)s)") % {"target": duration(target)}
    word = _("met") if met else _("missed")
    return _("%(achieved)s against %(target)s: %(verdict)s") % {
        "achieved": duration(achieved),
        "target": duration(target),
        "verdict": word,
    }


def drill_report_pdf(drill: Drill) -> bytes:
    """The lessons-learned report: planned against actual per step, who did
    it, problems and their tickets, achieved RTO and RPO, lessons."""
    s = Styles()
    runbook = drill.runbook
    system = runbook.system
    got = drills.result(drill)
    title = _("Drill report: %(title)s") % {"title": drill.title}
    story: list[Any] = [
        Paragraph(escape(title), s.title),
        s.facts(
            [
                (_("System"), system.name),
                (_("Runbook"), str(runbook)),
                (_("State"), drill.get_state_display()),
                (_("Leader"), drill.leader or "—"),
                (_("Scheduled"), when(drill.scheduled_for)),
                (_("Started"), when(drill.started_at)),
                (_("Finished"), when(drill.finished_at)),
                (
                    _("Achieved RTO"),
                    _verdict(got.rto_minutes, got.rto_target, got.rto_met),
                ),
                (
                    _("Achieved RPO"),
                    _verdict(got.rpo_minutes, got.rpo_target, got.rpo_met),
                ),
            ]
        ),
    ]
    story += s.section(_("Scenario"), drill.scenario)
    steps = list(drill.steps.select_related("done_by", "ticket").order_by("position"))
    story += [Paragraph(escape(_("Steps")), s.heading), _drill_table(s, steps)]
    problems = [st for st in steps if st.outcome == StepOutcome.PROBLEM or st.ticket_id]
    story.append(Paragraph(escape(_("Problems and tickets")), s.heading))
    if not problems:
        story.append(s.text(_("No problems were recorded.")))
    for step in problems:
        ticket = step.ticket.reference if step.ticket else _("no ticket")
        story.append(s.text(f"{step.position}. {step.title} — {ticket}\n{step.notes}"))
    story += s.section(_("Lessons learned"), drill.lessons)
    return build(story, title)


def _drill_table(s: Styles, steps: list[Any]) -> LongTable:
    header = [
        "#",
        _("Step"),
        _("Who"),
        _("Planned"),
        _("Actual"),
        _("Outcome"),
        _("Done by"),
        _("Notes"),
    ]
    rows: list[list[Any]] = [[s.text(h, s.small) for h in header]]
    for step in steps:
        actual = drills.minutes_between(step.started_at, step.finished_at)
        rows.append(
            [
                s.text(step.position, s.small),
                s.text(step.title, s.small),
                s.text(step.role, s.small),
                s.text(duration(step.expected_minutes), s.small),
                s.text(duration(actual), s.small),
                s.text(step.get_outcome_display(), s.small),
                s.text(step.done_by or "", s.small),
                s.text(step.notes, s.small),
            ]
        )
    widths = [7, 42, 28, 16, 16, 20, 20, 33]
    return LongTable(
        rows, colWidths=[w * mm for w in widths], repeatRows=1, style=s.grid()
    )
