"""Runbook versions: new drafts copy steps and dependencies, the four-eyes
approval supersedes the previous version, loops are refused, and a plan that
cannot meet the RTO is flagged."""

from __future__ import annotations

import pytest

from tests.factories import continuity_plans as people
from tests.factories.continuity import RunbookFactory, RunbookStepFactory
from tests.factories.continuity_plans import (
    approved_runbook,
)
from wardkeeper.continuity.choices import RunbookState
from wardkeeper.continuity.models import RunbookStep
from wardkeeper.continuity.services import runbooks
from wardkeeper.core.models.audit import AuditEntry

pytestmark = pytest.mark.django_db


def test_a_new_version_copies_steps_and_their_order_of_work():
    planner = people.planner()
    first = approved_runbook()
    draft = runbooks.new_version(first, actor=planner)
    assert (draft.version, draft.state, draft.previous) == (2, "draft", first)
    assert draft.author == planner
    steps = list(draft.steps.order_by("position"))
    assert [s.title for s in steps] == [s.title for s in first.steps.all()]
    last = steps[2]
    assert set(last.depends_on.all()) == {steps[0], steps[1]}
    assert first.steps.count() == 3  # the approved version is untouched


def test_only_one_draft_at_a_time():
    planner = people.planner()
    first = approved_runbook()
    runbooks.new_version(first, actor=planner)
    with pytest.raises(runbooks.RunbookRefused, match="already a draft"):
        runbooks.new_version(first, actor=planner)


def test_approving_supersedes_the_previous_version():
    planner = people.planner()
    director = people.director()
    first = approved_runbook()
    draft = runbooks.new_version(first, actor=planner)
    runbooks.approve(draft, actor=director)
    first.refresh_from_db()
    draft.refresh_from_db()
    assert first.state == RunbookState.SUPERSEDED
    assert (draft.state, draft.approved_by) == (RunbookState.APPROVED, director)
    assert runbooks.current_version(first.system) == draft
    assert AuditEntry.objects.filter(object_id=str(draft.pk)).exists()


def test_the_author_may_not_approve_their_own_draft():
    director = people.director()
    first = approved_runbook()
    draft = runbooks.new_version(first, actor=director)
    with pytest.raises(runbooks.RunbookRefused, match="Four eyes"):
        runbooks.approve(draft, actor=director)
    assert not runbooks.can_approve(draft, director)


def test_the_last_editor_may_not_approve_either():
    planner = people.planner()
    director = people.director()
    draft = runbooks.new_version(approved_runbook(), actor=planner)
    step = draft.steps.first()
    step.title = "Restore the database from last night"
    runbooks.save_step(step, [], actor=director)
    draft.refresh_from_db()
    assert draft.edited_by == director
    with pytest.raises(runbooks.RunbookRefused, match="Four eyes"):
        runbooks.approve(draft, actor=director)


def test_approval_needs_the_permission():
    planner = people.planner()
    draft = runbooks.new_version(approved_runbook(), actor=None)
    with pytest.raises(runbooks.RunbookRefused, match="may not approve"):
        runbooks.approve(draft, actor=planner)


def test_an_approved_version_is_frozen():
    planner = people.planner()
    first = approved_runbook()
    step = first.steps.first()
    with pytest.raises(runbooks.RunbookRefused, match="frozen"):
        runbooks.save_step(step, [], actor=planner)
    with pytest.raises(runbooks.RunbookRefused, match="frozen"):
        runbooks.delete_step(step, actor=planner)


def test_a_loop_of_dependencies_is_refused():
    planner = people.planner()
    draft = runbooks.new_version(approved_runbook(), actor=planner)
    first, _second, third = draft.steps.order_by("position")
    with pytest.raises(runbooks.RunbookRefused, match="loop"):
        runbooks.save_step(first, [third], actor=planner)
    with pytest.raises(runbooks.RunbookRefused, match="itself"):
        runbooks.check_dependencies(first, [first])
    assert not first.depends_on.exists()


def test_a_step_of_another_runbook_is_refused():
    planner = people.planner()
    draft = RunbookFactory()
    mine = RunbookStepFactory(runbook=draft)
    theirs = RunbookStepFactory()
    with pytest.raises(runbooks.RunbookRefused, match="another runbook"):
        runbooks.save_step(mine, [theirs], actor=planner)


def test_moving_and_deleting_keep_the_numbering():
    planner = people.planner()
    draft = runbooks.new_version(approved_runbook(), actor=planner)
    first, second, third = draft.steps.order_by("position")
    runbooks.move_step(third, -1, actor=planner)
    titles = list(draft.steps.order_by("position").values_list("title", flat=True))
    assert titles == [first.title, third.title, second.title]
    runbooks.delete_step(first, actor=planner)
    assert list(
        RunbookStep.objects.filter(runbook=draft)
        .order_by("position")
        .values_list("position", "title")
    ) == [(1, third.title), (2, second.title)]


def test_the_critical_path_is_the_longest_chain():
    timing = runbooks.timing(approved_runbook(rto=240))
    # database 60 → application 30; the file store (45) runs beside it
    assert (timing.total, timing.critical) == (135, 90)
    assert [s.position for s in timing.path] == [1, 3]
    assert not timing.misses_rto
    assert not timing.needs_parallel


def test_a_plan_longer_than_the_rto_is_flagged():
    assert runbooks.timing(approved_runbook(rto=60)).misses_rto
    tight = runbooks.timing(approved_runbook(rto=100))
    assert tight.needs_parallel
    assert not tight.misses_rto
