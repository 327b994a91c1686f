"""Runbook versions: drafting, step editing, the four-eyes approval, and
whether the plan can bring the system back within its RTO.

An approved version is frozen. Changing it starts a new draft (a copy of its
steps and their "after" dependencies); approving the draft supersedes the
version before. The approver must be someone other than whoever started the
draft or changed it last (four eyes).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Max, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from wardkeeper.continuity.choices import RunbookState
from wardkeeper.continuity.models import ProtectedSystem, Runbook, RunbookStep
from wardkeeper.core.errors import DomainError

APPROVE_PERMISSION = "continuity.approve_runbook"


class RunbookRefused(DomainError):
    """A runbook change the rules do not allow; nothing was changed."""


def current_version(system: ProtectedSystem) -> Runbook | None:
    """The system's approved runbook (at most one is approved at a time)."""
    return (
        Runbook.objects.filter(system=system, state=RunbookState.APPROVED)
        .order_by("-version")
        .first()
    )


def versions_of(runbook: Runbook) -> QuerySet[Runbook]:
    """Every version of the runbook's system, newest first."""
    return Runbook.objects.filter(system_id=runbook.system_id).order_by("-version")


def _next_number(system_id: int) -> int:
    top = Runbook.objects.filter(system_id=system_id).aggregate(top=Max("version"))
    return int(top["top"] or 0) + 1


def ensure_draft(runbook: Runbook) -> None:
    """Raise unless ``runbook`` may still be edited."""
    if runbook.state != RunbookState.DRAFT:
        raise RunbookRefused(
            _(
                "Version %(version)s is %(state)s and frozen: start a new version "
                "to change it."
            )
            % {"version": runbook.version, "state": runbook.get_state_display()}
        )


@transaction.atomic
def create_runbook(runbook: Runbook, *, actor: Any) -> Runbook:
    """Save a new runbook (first or next version number of its system) as a
    draft written by ``actor``."""
    runbook.version = _next_number(runbook.system_id)
    runbook.state = RunbookState.DRAFT
    runbook.author = runbook.edited_by = actor
    runbook.save()
    return runbook


@transaction.atomic
def save_draft(runbook: Runbook, *, actor: Any) -> Runbook:
    """Save changes to a draft's own fields, noting ``actor`` as its editor."""
    stored = Runbook.objects.select_for_update().get(pk=runbook.pk)
    ensure_draft(stored)
    runbook.edited_by = actor
    runbook.save()
    return runbook


@transaction.atomic
def new_version(runbook: Runbook, *, actor: Any) -> Runbook:
    """A draft copy of ``runbook`` (fields, steps and "after" dependencies)
    with the next version number. Raises RunbookRefused when the system
    already has a draft, or when this version was already followed."""
    # Lock the system so two people cannot both start "the" next draft.
    ProtectedSystem.objects.select_for_update().get(pk=runbook.system_id)
    draft = Runbook.objects.filter(
        system_id=runbook.system_id, state=RunbookState.DRAFT
    ).first()
    if draft is not None:
        raise RunbookRefused(
            _("Version %(version)s is already a draft: edit that one.")
            % {"version": draft.version}
        )
    if Runbook.objects.filter(previous=runbook).exists():
        raise RunbookRefused(_("A newer version was already made from this one."))
    copy = Runbook(
        system_id=runbook.system_id,
        title=runbook.title,
        summary=runbook.summary,
        contacts=runbook.contacts,
        downtime_procedure=runbook.downtime_procedure,
        previous=runbook,
    )
    create_runbook(copy, actor=actor)
    _copy_steps(runbook, copy)
    return copy


def _copy_steps(source: Runbook, target: Runbook) -> None:
    mapping: dict[int, RunbookStep] = {}
    steps = list(source.steps.prefetch_related("depends_on").order_by("position"))
    for step in steps:
        mapping[step.pk] = RunbookStep.objects.create(
            runbook=target,
            position=step.position,
            title=step.title,
            instructions=step.instructions,
            role=step.role,
            expected_minutes=step.expected_minutes,
        )
    for step in steps:
        after = [mapping[dep.pk] for dep in step.depends_on.all()]
        if after:
            mapping[step.pk].depends_on.set(after)


def can_approve(runbook: Runbook, user: Any) -> bool:
    """Whether ``user`` may approve this draft (permission and four eyes)."""
    return (
        runbook.state == RunbookState.DRAFT
        and user.has_perm(APPROVE_PERMISSION)
        and user.pk not in (runbook.author_id, runbook.edited_by_id)
    )


@transaction.atomic
def approve(runbook: Runbook, *, actor: Any, now: dt.datetime | None = None) -> Runbook:
    """Approve a draft and supersede the system's approved version.

    Raises RunbookRefused without the permission, when the actor drafted or
    last changed it (four eyes), when it is not a draft or has no steps."""
    runbook = Runbook.objects.select_for_update().get(pk=runbook.pk)
    ensure_draft(runbook)
    if not actor.has_perm(APPROVE_PERMISSION):
        raise RunbookRefused(_("You may not approve runbooks."))
    if actor.pk in (runbook.author_id, runbook.edited_by_id):
        raise RunbookRefused(
            _(
                "Four eyes: someone other than who drafted or last changed this "
                "version must approve it."
            )
        )
    if not runbook.steps.exists():
        raise RunbookRefused(_("A runbook needs at least one step."))
    now = now or timezone.now()
    older = Runbook.objects.filter(
        system_id=runbook.system_id, state=RunbookState.APPROVED
    ).exclude(pk=runbook.pk)
    for previous in older:
        previous.state = RunbookState.SUPERSEDED
        previous.save()
    runbook.state = RunbookState.APPROVED
    runbook.approved_by = actor
    runbook.approved_at = now
    runbook.save()
    return runbook


def check_dependencies(step: RunbookStep, after: Iterable[RunbookStep]) -> None:
    """Raise RunbookRefused unless every step in ``after`` is another step of
    the same runbook and the dependencies stay free of cycles."""
    after = list(after)
    for other in after:
        if other.runbook_id != step.runbook_id:
            raise RunbookRefused(
                _("“%(step)s” belongs to another runbook.") % {"step": other},
                field="depends_on",
            )
        if other.pk is not None and other.pk == step.pk:
            raise RunbookRefused(
                _("A step cannot come after itself."), field="depends_on"
            )
    if step.pk is None:
        return  # a new step has nothing after it yet: no cycle possible
    graph = _graph(step.runbook_id)
    graph[step.pk] = {other.pk for other in after}
    if _reaches(graph, start={o.pk for o in after}, target=step.pk):
        raise RunbookRefused(
            _("That would make a loop: “%(step)s” is already needed before them.")
            % {"step": step},
            field="depends_on",
        )


def _graph(runbook_id: int) -> dict[int, set[int]]:
    """Step id → the ids of the steps it comes after."""
    graph: dict[int, set[int]] = {}
    rows = RunbookStep.depends_on.through.objects.filter(
        from_runbookstep__runbook_id=runbook_id
    ).values_list("from_runbookstep_id", "to_runbookstep_id")
    for later, earlier in rows:
        graph.setdefault(later, set()).add(earlier)
    return graph


def _reaches(graph: dict[int, set[int]], *, start: set[int], target: int) -> bool:
    seen: set[int] = set()
    todo = list(start)
    while todo:
        node = todo.pop()
        if node == target:
            return True
        if node not in seen:
            seen.add(node)
            todo.extend(graph.get(node, ()))
    return False


@transaction.atomic
def save_step(
    step: RunbookStep, after: Iterable[RunbookStep], *, actor: Any
) -> RunbookStep:
    """Add or change a draft's step and its "after" dependencies."""
    runbook = Runbook.objects.select_for_update().get(pk=step.runbook_id)
    ensure_draft(runbook)
    after = list(after)
    check_dependencies(step, after)
    if step.pk is None and not step.position:
        top = runbook.steps.aggregate(top=Max("position"))["top"]
        step.position = int(top or 0) + 1
    step.save()
    step.depends_on.set(after)
    _touch(runbook, actor)
    return step


@transaction.atomic
def delete_step(step: RunbookStep, *, actor: Any) -> None:
    """Remove a draft's step; the steps below move up one place."""
    runbook = Runbook.objects.select_for_update().get(pk=step.runbook_id)
    ensure_draft(runbook)
    step.delete()
    for index, other in enumerate(runbook.steps.order_by("position"), start=1):
        _place(other, index)
    _touch(runbook, actor)


@transaction.atomic
def move_step(step: RunbookStep, offset: int, *, actor: Any) -> None:
    """Swap a draft's step with the one above (-1) or below (+1)."""
    runbook = Runbook.objects.select_for_update().get(pk=step.runbook_id)
    ensure_draft(runbook)
    steps = list(runbook.steps.order_by("position"))
    index = next(i for i, s in enumerate(steps) if s.pk == step.pk)
    other = index + offset
    if not 0 <= other < len(steps):
        return
    steps[index], steps[other] = steps[other], steps[index]
    # Positions are unique per runbook: park the moving pair out of the way.
    for parked in (steps[index], steps[other]):
        _place(parked, 100_000 + parked.position)
    for number, each in enumerate(steps, start=1):
        _place(each, number)
    _touch(runbook, actor)


def _place(step: RunbookStep, position: int) -> None:
    if step.position != position:
        step.position = position
        step.save()


def _touch(runbook: Runbook, actor: Any) -> None:
    if runbook.edited_by_id != getattr(actor, "pk", None):
        runbook.edited_by = actor
        runbook.save()


@dataclass(frozen=True)
class Timing:
    """How long the plan takes: every step one after another (``total``),
    and with steps that do not wait for each other done in parallel
    (``critical``, the longest chain of "after" dependencies)."""

    total: int
    critical: int
    path: list[RunbookStep]
    rto: int
    steps: list[RunbookStep]  # in order

    @property
    def misses_rto(self) -> bool:
        """Even in parallel, the plan takes longer than the RTO."""
        return self.critical > self.rto

    @property
    def needs_parallel(self) -> bool:
        """Only doing independent steps at once keeps within the RTO."""
        return self.total > self.rto >= self.critical


def timing(runbook: Runbook) -> Timing:
    """The plan's expected duration against its system's RTO (no query when
    the runbook's ``steps__depends_on`` are prefetched)."""
    steps = sorted(runbook.steps.all(), key=lambda step: step.position)
    by_id = {step.pk: step for step in steps}
    finish: dict[int, int] = {}
    chain: dict[int, int | None] = {}

    def finish_of(step: RunbookStep, seen: frozenset[int]) -> int:
        if step.pk in finish:
            return finish[step.pk]
        best, via = 0, None
        for dep in step.depends_on.all():
            if dep.pk in by_id and dep.pk not in seen:
                end = finish_of(by_id[dep.pk], seen | {step.pk})
                if end > best:
                    best, via = end, dep.pk
        finish[step.pk] = best + step.expected_minutes
        chain[step.pk] = via
        return finish[step.pk]

    for step in steps:
        finish_of(step, frozenset())
    last = max(finish, key=lambda pk: finish[pk], default=None)
    path: list[RunbookStep] = []
    while last is not None:
        path.insert(0, by_id[last])
        last = chain[last]
    return Timing(
        total=sum(step.expected_minutes for step in steps),
        critical=max(finish.values(), default=0),
        path=path,
        rto=runbook.system.rto_minutes,
        steps=steps,
    )
