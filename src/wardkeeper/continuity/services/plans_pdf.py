"""Printable runbooks (for when the systems are down: tick boxes and time
fields to fill in by hand, and the servers, backups and on-call engineers to
reach without Wardkeeper) and drill lessons-learned reports, as A4 PDFs."""

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

from wardkeeper.continuity.choices import RunbookState, StepOutcome
from wardkeeper.continuity.models import Drill, ProtectedSystem, Runbook, RunbookStep
from wardkeeper.continuity.services import drills, rpo, runbooks
from wardkeeper.core.pdf_fonts import paragraph, pdf_font
from wardkeeper.servicedesk.services import rota

HEAD = colors.HexColor("#e9eef0")
ALERT = colors.HexColor("#b02a37")
# Light enough to read the text printed over it.
WATERMARK = colors.HexColor("#f3cfd3")
ON_CALL_AHEAD = dt.timedelta(days=7)


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


def runbook_pdf(runbook: Runbook, *, now: dt.datetime | None = None) -> bytes:
    """The runbook to print and keep by the phone: facts, contacts, who is on
    call, vendor support, downtime procedure, the servers, data stores and
    backups to work on, and the steps to tick off by hand. A version that is
    not the approved one says so across every page."""
    s = Styles()
    now = now or timezone.now()
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
    warning = _state_warning(runbook)
    story: list[Any] = s.banner_box(*warning) if warning else []
    story += [
        s.text(title, s.title),
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
                (_("Printed"), when(now)),
            ]
        ),
    ]
    if timing.misses_rto:
        story.append(s.text(_("This plan cannot meet the RTO."), s.alert))
    story += s.section(_("Scenario and scope"), runbook.summary)
    story += s.section(_("Contacts"), runbook.contacts)
    story += _on_call(s, system, now)
    vendor = "\n".join(
        part for part in (str(system.vendor or ""), system.support_contacts) if part
    )
    story += s.section(_("Vendor support"), vendor)
    story += s.section(_("Downtime procedure"), runbook.downtime_procedure)
    story += _servers(s, system) + _data_stores(s, system) + _backups(s, system)
    story += [s.text(_("Steps"), s.heading), _steps_table(s, timing.steps)]
    story += [
        Spacer(1, 6 * mm),
        s.text(
            _("Restored by: ______________  Date: __________  Time: ______"), s.body
        ),
    ]
    return build(story, title, watermark=warning[0] if warning else "")


def _state_warning(runbook: Runbook) -> tuple[str, str] | None:
    """The watermark and the banner's sentence of a version not to follow
    blindly: a draft, or one a newer approved version replaced."""
    if runbook.state == RunbookState.DRAFT:
        return _("DRAFT — not approved"), _(
            "Follow the approved version of this runbook; this one may be wrong "
            "or incomplete."
        )
    if runbook.state == RunbookState.SUPERSEDED:
        return _("SUPERSEDED — not the current version"), _(
            "A newer approved version replaces this one: follow that."
        )
    return None


def _on_call(s: Styles, system: ProtectedSystem, now: dt.datetime) -> list[Any]:
    """Who is on call now in each of the system's team's rotas, until when."""
    heading = s.text(_("On call now"), s.heading)
    team = system.team
    if team is None:
        return [heading, s.text(_("No team is set for this system."))]
    slots = [
        slot
        for slot in rota.schedule(team, now, now + ON_CALL_AHEAD)
        if slot.starts_at <= now
    ]
    slots.sort(key=lambda slot: (slot.rota.order, slot.rota.pk))
    intro = _("Team %(team)s") % {"team": team.name}
    if team.email:
        intro += f" · {team.email}"
    if not slots:
        return [
            heading,
            s.text(intro),
            s.text(_("Nobody is on call in its rotas now.")),
        ]
    rows = [
        [
            slot.rota.name,
            str(slot.engineer),
            slot.engineer.phone,
            slot.engineer.email,
            when(slot.ends_at) if slot.ends_at < now + ON_CALL_AHEAD else "",
        ]
        for slot in slots
    ]
    header = [_("Rota"), _("Engineer"), _("Phone"), _("E-mail"), _("Until")]
    return [heading, s.text(intro), s.table(header, rows, [34, 40, 32, 48, 28])]


def _servers(s: Styles, system: ProtectedSystem) -> list[Any]:
    """The system's servers, databases and storage with their addresses and
    where they stand (room, rack and unit)."""
    assets = system.assets.select_related("location", "placement__rack")
    rows = []
    for asset in assets.order_by("tag"):
        place = [str(asset.location or "")]
        if hasattr(asset, "placement"):
            place.append(str(asset.placement))
        address = asset.ip_address or ""
        where = " · ".join(part for part in place if part)
        rows.append([asset.tag, asset.name, asset.hostname, address, where])
    heading = s.text(_("Servers and addresses"), s.heading)
    if not rows:
        return [heading, s.text(_("No servers are linked to this system."))]
    header = [_("Asset tag"), _("Name"), _("Hostname"), _("IP address"), _("Where")]
    return [heading, s.table(header, rows, [26, 40, 40, 28, 48])]


def _data_stores(s: Styles, system: ProtectedSystem) -> list[Any]:
    stores = system.data_stores.select_related("asset").order_by("name")
    rows = [
        [
            store.name,
            store.get_kind_display(),
            " ".join(part for part in (store.asset.tag, store.asset.hostname) if part)
            if store.asset
            else "",
            store.where,
        ]
        for store in stores
    ]
    if not rows:
        return []
    header = [_("Data store"), _("Kind"), _("On"), _("Where")]
    return [
        s.text(_("Data stores"), s.heading),
        s.table(header, rows, [40, 26, 44, 72]),
    ]


def _backups(s: Styles, system: ProtectedSystem) -> list[Any]:
    """Each backup job: its tool, where it writes (and the repository to
    restore from), its schedule and its newest good run when printed."""
    jobs = system.jobs.select_related("destination__location").order_by("name")
    last_good = rpo.last_success_by_job(jobs)
    rows = []
    for job in jobs:
        target = job.destination
        written_to = ", ".join(
            part for part in (target.name, str(target.location or "")) if part
        )
        name = job.name if job.enabled else f"{job.name} ({_('disabled')})"
        rows.append(
            [
                name,
                job.get_tool_display(),
                written_to,
                job.repository,
                job.schedule,
                when(last_good.get(job.pk)),
            ]
        )
    heading = s.text(_("Backups"), s.heading)
    if not rows:
        return [heading, s.text(_("No backup jobs are set for this system."))]
    header = [
        _("Backup job"),
        _("Tool"),
        _("Destination"),
        _("Repository"),
        _("Schedule"),
        _("Last good backup"),
    ]
    return [heading, s.table(header, rows, [30, 20, 32, 48, 26, 26])]


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


def _verdict(
    achieved: int | None, target: int, met: bool | None, not_shown: str = ""
) -> str:
    if achieved is None:
        return _("not measured (target %(target)s)") % {"target": duration(target)}
    word = not_shown or (_("met") if met else _("missed"))
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
        s.text(title, s.title),
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
                    _verdict(
                        got.rto_minutes, got.rto_target, got.rto_met, got.rto_not_shown
                    ),
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
    story += [s.text(_("Steps"), s.heading), _drill_table(s, steps)]
    problems = [st for st in steps if st.outcome == StepOutcome.PROBLEM or st.ticket_id]
    story.append(s.text(_("Problems and tickets"), s.heading))
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
