"""Running a drill: start it (the runbook's steps are copied), work the steps
whose "after" steps are finished, raise a ticket for an issue found, finish
it with the achieved RTO and RPO; and the coverage of critical systems by
drills in the last twelve months.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import BooleanField, Case, Max, Q, QuerySet, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from wardkeeper.continuity.choices import DrillState, RunbookState, StepOutcome
from wardkeeper.continuity.models import Drill, DrillStep, ProtectedSystem, Runbook
from wardkeeper.continuity.services.runbooks import current_version
from wardkeeper.core.errors import DomainError
from wardkeeper.inventory.choices import Criticality
from wardkeeper.servicedesk.choices import Category, MaintenanceKind, Source
from wardkeeper.servicedesk.models import Ticket
from wardkeeper.servicedesk.services import tickets

FINISHED = (StepOutcome.DONE, StepOutcome.PROBLEM, StepOutcome.SKIPPED)
# Systems that must be rehearsed at least once in this many days.
COVERAGE_DAYS = 365
COVERED = (Criticality.CRITICAL, Criticality.HIGH)


class DrillRefused(DomainError):
    """A drill action that does not fit the drill's or step's state."""


def _running(drill: Drill) -> None:
    if drill.state != DrillState.RUNNING:
        raise DrillRefused(
            _("The drill is %(state)s, not under way.")
            % {"state": drill.get_state_display()}
        )


@transaction.atomic
def start_drill(drill: Drill, *, actor: Any, now: dt.datetime | None = None) -> Drill:
    """Start a planned drill: it rehearses the system's approved runbook
    (the newest, if the planned version was superseded), whose steps and
    dependencies are copied so the record stays true later."""
    drill = Drill.objects.select_for_update().select_related("runbook").get(pk=drill.pk)
    if drill.state != DrillState.PLANNED:
        raise DrillRefused(_("Only a planned drill can start."))
    runbook = drill.runbook
    if runbook.state != RunbookState.APPROVED:
        newest = current_version(runbook.system)
        if newest is None:
            raise DrillRefused(_("The system has no approved runbook to rehearse."))
        drill.runbook = runbook = newest
    _copy_steps(drill, runbook)
    drill.state = DrillState.RUNNING
    drill.started_at = now or timezone.now()
    drill.leader = drill.leader or actor
    drill.save()
    return drill


def _copy_steps(drill: Drill, runbook: Runbook) -> None:
    mapping: dict[int, DrillStep] = {}
    steps = list(runbook.steps.prefetch_related("depends_on").order_by("position"))
    for step in steps:
        mapping[step.pk] = DrillStep.objects.create(
            drill=drill,
            step=step,
            position=step.position,
            title=step.title,
            role=step.role,
            instructions=step.instructions,
            expected_minutes=step.expected_minutes,
        )
    for step in steps:
        after = [mapping[dep.pk] for dep in step.depends_on.all() if dep.pk in mapping]
        if after:
            mapping[step.pk].depends_on.set(after)


def blocked_ids(drill: Drill) -> set[int]:
    """Ids of the drill's steps still waiting for an "after" step."""
    through = DrillStep.depends_on.through.objects.filter(from_drillstep__drill=drill)
    waiting = through.exclude(to_drillstep__outcome__in=FINISHED)
    return set(waiting.values_list("from_drillstep_id", flat=True))


def ready_steps(drill: Drill) -> list[DrillStep]:
    """The steps to work on now: not finished, every "after" step finished."""
    blocked = blocked_ids(drill)
    rows = drill.steps.exclude(outcome__in=FINISHED).select_related("done_by")
    return [step for step in rows.order_by("position") if step.pk not in blocked]


def _workable(step: DrillStep) -> DrillStep:
    step = DrillStep.objects.select_for_update().select_related("drill").get(pk=step.pk)
    _running(step.drill)
    if step.outcome in FINISHED:
        raise DrillRefused(_("“%(step)s” is already finished.") % {"step": step.title})
    return step


def _check_ready(step: DrillStep) -> None:
    if step.pk in blocked_ids(step.drill):
        names = ", ".join(
            str(dep) for dep in step.depends_on.exclude(outcome__in=FINISHED)
        )
        raise DrillRefused(
            _("“%(step)s” waits for: %(steps)s.") % {"step": step.title, "steps": names}
        )


@transaction.atomic
def start_step(
    step: DrillStep, *, actor: Any, now: dt.datetime | None = None
) -> DrillStep:
    """Mark a ready step as under way, by ``actor``, now."""
    step = _workable(step)
    _check_ready(step)
    if step.outcome == StepOutcome.RUNNING:
        raise DrillRefused(_("“%(step)s” is already under way.") % {"step": step.title})
    step.outcome = StepOutcome.RUNNING
    step.started_at = now or timezone.now()
    step.done_by = actor
    step.save()
    return step


@transaction.atomic
def finish_step(
    step: DrillStep,
    outcome: str,
    *,
    actor: Any,
    notes: str = "",
    now: dt.datetime | None = None,
) -> DrillStep:
    """Finish a step as done, done with a problem (notes say what), or
    skipped. A step done without being started took no time."""
    if outcome not in FINISHED:
        raise DrillRefused(_("Choose done, problem or skip."))
    step = _workable(step)
    if outcome != StepOutcome.SKIPPED:
        _check_ready(step)
    notes = notes.strip()
    if outcome == StepOutcome.PROBLEM and not (notes or step.notes):
        raise DrillRefused(_("Say what the problem was."), field="notes")
    now = now or timezone.now()
    if outcome != StepOutcome.SKIPPED and step.started_at is None:
        step.started_at = now
    step.outcome = outcome
    step.finished_at = now
    step.done_by = actor
    if notes:
        step.notes = f"{step.notes}\n{notes}".strip()
    step.save()
    return step


@transaction.atomic
def note_step(step: DrillStep, notes: str, *, actor: Any) -> DrillStep:
    """Add a note to a step of a drill under way."""
    step = DrillStep.objects.select_for_update().select_related("drill").get(pk=step.pk)
    _running(step.drill)
    if notes.strip():
        step.notes = f"{step.notes}\n{notes.strip()}".strip()
        step.save()
    return step


@transaction.atomic
def raise_issue(
    step: DrillStep,
    *,
    title: str,
    description: str = "",
    actor: Any,
    now: dt.datetime | None = None,
) -> Ticket:
    """Open a service-desk ticket for an issue the drill found at ``step``,
    for the system's team, and link it to the step."""
    step = (
        DrillStep.objects.select_for_update()
        .select_related("drill__runbook__system")
        .get(pk=step.pk)
    )
    drill = step.drill
    if drill.state not in (DrillState.RUNNING, DrillState.FINISHED):
        raise DrillRefused(_("Issues are raised from a drill under way or finished."))
    if step.ticket_id:
        raise DrillRefused(
            _("This step already has ticket %(ticket)s.")
            % {"ticket": step.ticket.reference if step.ticket else ""}
        )
    if not title.strip():
        raise DrillRefused(_("Give the issue a title."), field="title")
    now = now or timezone.now()
    system = drill.runbook.system
    text = _("Found in drill “%(drill)s” (%(system)s), step %(step)s.") % {
        "drill": drill.title,
        "system": system.name,
        "step": step,
    }
    ticket = tickets.open_ticket(
        tickets.Report(
            title=title.strip()[:200],
            description=f"{description.strip()}\n\n{text}".strip(),
            category=Category.SOFTWARE,
            kind=MaintenanceKind.CORRECTIVE,
            impact=2,
            urgency=3,  # found in a rehearsal: nothing has stopped yet
            reporter=actor,
            source=Source.FORM,
            origin=f"continuity:drillstep:{step.pk}",
            team=system.team,  # its engineer on call, else its queue
        ),
        now=now,
    )
    step.ticket = ticket
    step.save()
    return ticket


@transaction.atomic
def finish_drill(
    drill: Drill,
    *,
    actor: Any,
    data_loss_minutes: int | None = None,
    lessons: str = "",
    now: dt.datetime | None = None,
) -> Drill:
    """Finish a drill under way: steps not reached are marked skipped; the
    achieved RTO is the time from start to finish, the achieved RPO the
    data lost as entered."""
    drill = Drill.objects.select_for_update().get(pk=drill.pk)
    _running(drill)
    now = now or timezone.now()
    for step in drill.steps.exclude(outcome__in=FINISHED):
        step.outcome = StepOutcome.SKIPPED
        step.finished_at = now
        step.notes = f"{step.notes}\n{_('Not reached before the drill ended.')}".strip()
        step.save()
    drill.state = DrillState.FINISHED
    drill.finished_at = now
    drill.data_loss_minutes = data_loss_minutes
    drill.lessons = lessons
    drill.save()
    return drill


@transaction.atomic
def cancel_drill(drill: Drill, *, actor: Any) -> Drill:
    """Call off a planned drill (one under way is finished instead)."""
    drill = Drill.objects.select_for_update().get(pk=drill.pk)
    if drill.state != DrillState.PLANNED:
        raise DrillRefused(_("Only a planned drill can be cancelled."))
    drill.state = DrillState.CANCELLED
    drill.save()
    return drill


def stamp(drill: Drill) -> str:
    """A short fingerprint of where the drill stands (its state and every
    step's outcome, times, notes and ticket): the run page asks for it now
    and then and reloads when someone else moved the drill on."""
    steps = drill.steps.order_by("pk").values_list(
        "pk", "outcome", "started_at", "finished_at", "notes", "ticket_id", "done_by_id"
    )
    state = (drill.state, drill.started_at, drill.finished_at, list(steps))
    return hashlib.sha256(repr(state).encode()).hexdigest()[:16]


def minutes_between(start: dt.datetime | None, end: dt.datetime | None) -> int | None:
    if start is None or end is None:
        return None
    return round((end - start).total_seconds() / 60)


@dataclass(frozen=True)
class Result:
    """A drill's achieved RTO and RPO against the system's targets. A drill
    that skipped steps or never reached them has not shown that the system
    comes back within its RTO, however quickly it ended: ``rto_met`` is then
    None (not shown), unless the time already passed the target."""

    rto_minutes: int | None
    rpo_minutes: int | None
    rto_target: int
    rpo_target: int
    steps_not_done: int = 0

    @property
    def rto_met(self) -> bool | None:
        if self.rto_minutes is None:
            return None
        if self.rto_minutes > self.rto_target:
            return False
        return None if self.steps_not_done else True

    @property
    def rto_not_shown(self) -> str:
        """Why the time does not show the RTO can be met ("" when it does
        or was missed anyway)."""
        if self.rto_minutes is None or self.rto_met is not None:
            return ""
        return ngettext(
            "not shown: %(n)d step not done",
            "not shown: %(n)d steps not done",
            self.steps_not_done,
        ) % {"n": self.steps_not_done}

    @property
    def rpo_met(self) -> bool | None:
        return None if self.rpo_minutes is None else self.rpo_minutes <= self.rpo_target


def result(drill: Drill, now: dt.datetime | None = None) -> Result:
    """Achieved so far (a drill under way counts up to ``now``); steps
    skipped or not finished count as not done."""
    system = drill.runbook.system
    end = drill.finished_at
    if end is None and drill.state == DrillState.RUNNING:
        end = now or timezone.now()
    done = (StepOutcome.DONE, StepOutcome.PROBLEM)
    return Result(
        rto_minutes=minutes_between(drill.started_at, end),
        rpo_minutes=drill.data_loss_minutes,
        rto_target=system.rto_minutes,
        rpo_target=system.rpo_minutes,
        steps_not_done=drill.steps.exclude(outcome__in=done).count()
        if drill.started_at
        else 0,
    )


def coverage(now: dt.datetime | None = None) -> QuerySet[ProtectedSystem]:
    """Every system with the finish time of its last drill (``last_drill``)
    and ``uncovered``: a critical or high system with no finished drill in
    the last twelve months. Uncovered systems come first."""
    since = (now or timezone.now()) - dt.timedelta(days=COVERAGE_DAYS)
    finished = Q(runbooks__drills__state=DrillState.FINISHED)
    stale = Q(last_drill__isnull=True) | Q(last_drill__lt=since)
    return (
        ProtectedSystem.objects.annotate(
            last_drill=Max("runbooks__drills__finished_at", filter=finished)
        )
        .annotate(
            uncovered=Case(
                When(Q(criticality__in=COVERED) & stale, then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            )
        )
        .order_by("-uncovered", "criticality", "last_drill", "name")
    )
