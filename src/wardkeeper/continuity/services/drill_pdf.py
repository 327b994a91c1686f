"""A drill's lessons-learned report as an A4 PDF: what was planned, what
happened step by step, the achieved RTO and RPO, the issues raised and the
lessons."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from reportlab.lib.units import mm
from reportlab.platypus import LongTable

from wardkeeper.continuity.choices import StepOutcome
from wardkeeper.continuity.models import Drill
from wardkeeper.continuity.services import drills
from wardkeeper.continuity.services.pdf_base import (
    Styles,
    build,
    duration,
    when,
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
