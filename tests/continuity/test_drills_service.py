"""Running a drill: steps copied with their dependencies, worked in order,
issues become tickets for the system's team, the achieved RTO and RPO, and
the coverage of critical systems."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from tests.factories import continuity_plans as people
from tests.factories.continuity import DrillFactory, ProtectedSystemFactory
from tests.factories.continuity_plans import (
    approved_runbook,
    planned_drill,
)
from tests.factories.servicedesk import TeamFactory
from wardkeeper.continuity.choices import DrillState, StepOutcome
from wardkeeper.continuity.services import drills, runbooks
from wardkeeper.inventory.choices import Criticality

pytestmark = pytest.mark.django_db
T0 = dt.datetime(2026, 5, 12, 8, 0, tzinfo=dt.UTC)


def minutes(n: int) -> dt.datetime:
    return T0 + dt.timedelta(minutes=n)


def started(actor):
    return drills.start_drill(planned_drill(), actor=actor, now=T0)


def test_starting_copies_the_steps_and_their_dependencies():
    drill_hand = people.drill_hand()
    drill = started(drill_hand)
    assert (drill.state, drill.started_at, drill.leader) == ("running", T0, drill_hand)
    steps = list(drill.steps.order_by("position"))
    assert [s.expected_minutes for s in steps] == [60, 45, 30]
    assert set(steps[2].depends_on.all()) == {steps[0], steps[1]}
    # The database and file store can start; the application waits for both.
    assert [s.position for s in drills.ready_steps(drill)] == [1, 2]


def test_a_step_waits_for_the_steps_before_it():
    drill_hand = people.drill_hand()
    drill = started(drill_hand)
    first, second, third = drill.steps.order_by("position")
    with pytest.raises(drills.DrillRefused, match="waits for"):
        drills.start_step(third, actor=drill_hand, now=minutes(1))
    drills.start_step(first, actor=drill_hand, now=minutes(1))
    drills.finish_step(first, StepOutcome.DONE, actor=drill_hand, now=minutes(70))
    drills.finish_step(second, StepOutcome.SKIPPED, actor=drill_hand, now=minutes(70))
    assert drills.ready_steps(drill) == [third]
    step = drills.start_step(third, actor=drill_hand, now=minutes(71))
    assert (step.outcome, step.done_by) == (StepOutcome.RUNNING, drill_hand)
    first.refresh_from_db()
    assert (first.started_at, first.finished_at) == (minutes(1), minutes(70))


def test_a_problem_needs_a_note():
    drill_hand = people.drill_hand()
    first = started(drill_hand).steps.get(position=1)
    with pytest.raises(drills.DrillRefused, match="problem"):
        drills.finish_step(first, StepOutcome.PROBLEM, actor=drill_hand)
    step = drills.finish_step(
        first, StepOutcome.PROBLEM, actor=drill_hand, notes="Dump was 2 days old"
    )
    assert step.notes == "Dump was 2 days old"
    with pytest.raises(drills.DrillRefused, match="already finished"):
        drills.finish_step(first, StepOutcome.DONE, actor=drill_hand)


def test_an_issue_becomes_a_ticket_for_the_systems_team():
    drill_hand = people.drill_hand()
    team = TeamFactory(name="Applications")
    system = ProtectedSystemFactory(name="LIS", team=team, rto_minutes=240)
    drill = drills.start_drill(
        planned_drill(approved_runbook(system=system)), actor=drill_hand
    )
    step = drill.steps.get(position=1)
    ticket = drills.raise_issue(
        step,
        title="Restore script points at the old server",
        description="Had to edit the host by hand.",
        actor=drill_hand,
    )
    step.refresh_from_db()
    assert step.ticket == ticket
    assert ticket.team == team
    assert ticket.reporter == drill_hand
    assert "LIS" in ticket.description
    assert "Had to edit" in ticket.description
    with pytest.raises(drills.DrillRefused, match="already has ticket"):
        drills.raise_issue(step, title="again", actor=drill_hand)


def test_finishing_records_the_achieved_rto_and_rpo():
    drill_hand = people.drill_hand()
    drill = started(drill_hand)
    first = drill.steps.get(position=1)
    drills.finish_step(first, StepOutcome.DONE, actor=drill_hand, now=minutes(50))
    done = drills.finish_drill(
        drill,
        actor=drill_hand,
        data_loss_minutes=20,
        lessons="Keep the restore host warm.",
        now=minutes(300),
    )
    assert done.state == DrillState.FINISHED
    assert set(done.steps.values_list("outcome", flat=True)) == {"done", "skipped"}
    result = drills.result(done)
    assert (result.rto_minutes, result.rto_met) == (300, False)  # RTO 240
    assert (result.rpo_minutes, result.rpo_met) == (20, False)  # RPO 15


def test_a_superseded_plan_is_rehearsed_in_its_newest_version():
    planner = people.planner()
    director = people.director()
    drill_hand = people.drill_hand()
    drill = planned_drill()
    draft = runbooks.new_version(drill.runbook, actor=planner)
    runbooks.approve(draft, actor=director)
    assert drills.start_drill(drill, actor=drill_hand).runbook == draft


def test_coverage_lists_critical_systems_without_a_recent_drill():
    now = timezone.now()
    fresh = approved_runbook(system=ProtectedSystemFactory(name="HIS"))
    stale = approved_runbook(system=ProtectedSystemFactory(name="PACS"))
    ProtectedSystemFactory(name="LIS", criticality=Criticality.HIGH)
    ProtectedSystemFactory(name="Canteen", criticality=Criticality.NON_CLINICAL)
    for runbook, days in ((fresh, 30), (stale, 400)):
        DrillFactory(
            runbook=runbook,
            state=DrillState.FINISHED,
            scheduled_for=now - dt.timedelta(days=days),
            finished_at=now - dt.timedelta(days=days),
        )
    DrillFactory(runbook=fresh, state=DrillState.PLANNED)
    rows = {row.name: row for row in drills.coverage(now)}
    assert not rows["HIS"].uncovered
    assert rows["PACS"].uncovered
    assert rows["LIS"].uncovered
    assert not rows["Canteen"].uncovered
    uncovered_first = [row.name for row in drills.coverage(now)][:2]
    assert set(uncovered_first) == {"PACS", "LIS"}
