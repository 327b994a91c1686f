"""A drill shows its system can come back within the RTO only when every step
was done: a drill finished early with steps skipped or never reached says
"not shown" on its page and in its report, never "met"."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from tests.factories import continuity_plans as people
from tests.factories.continuity_plans import pdf_text, planned_drill
from wardkeeper.continuity.choices import StepOutcome
from wardkeeper.continuity.services import drills

pytestmark = pytest.mark.django_db
T0 = dt.datetime(2026, 5, 12, 8, 0, tzinfo=dt.UTC)


def at(minutes: int) -> dt.datetime:
    return T0 + dt.timedelta(minutes=minutes)


def test_a_drill_ended_with_a_step_unreached_has_not_shown_the_rto(login):
    drill = drills.start_drill(planned_drill(), actor=None, now=T0)  # RTO 4 h
    first, second, _third = drill.steps.order_by("position")
    drills.finish_step(first, StepOutcome.DONE, actor=None, now=at(1))
    drills.finish_step(second, StepOutcome.SKIPPED, actor=None, now=at(1))
    drill = drills.finish_drill(drill, actor=None, now=at(1))

    got = drills.result(drill)
    assert got.rto_minutes == 1
    assert got.rto_met is None
    assert got.rto_not_shown == "not shown: 2 steps not done"

    client = login(people.planner())
    page = client.get(reverse("continuity:drill-detail", args=[drill.pk]))
    html = page.content.decode()
    assert "not shown: 2 steps not done" in html
    rto = html.split('data-testid="rto"')[1].split("</dd>")[0]
    assert ">met<" not in rto
    report = client.get(reverse("continuity:drill-report", args=[drill.pk]))
    text = " ".join(pdf_text(report.content).split())
    assert "1 min against 4 h: not shown: 2 steps not done" in text


def test_a_drill_with_every_step_done_in_time_met_the_rto():
    drill = drills.start_drill(planned_drill(), actor=None, now=T0)
    for step in drill.steps.order_by("position"):
        drills.finish_step(step, StepOutcome.DONE, actor=None, now=at(90))
    drill = drills.finish_drill(drill, actor=None, now=at(90))
    got = drills.result(drill)
    assert (got.rto_met, got.rto_not_shown) == (True, "")


def test_a_drill_over_its_rto_missed_it_even_with_steps_left():
    drill = drills.start_drill(planned_drill(), actor=None, now=T0)
    drill = drills.finish_drill(drill, actor=None, now=at(300))
    got = drills.result(drill)
    assert (got.rto_met, got.rto_not_shown) == (False, "")
