"""The SLA clock of tickets.

The ticket service calls these at the moments named; they set the ticket's
SLA fields (policy, due times, pause, breach flags, sla_met) and may write
SLA events. They never save the ticket themselves: the caller saves it.

Due times are always worked out from ``created_at``: the policy's targets
plus the working time the clock stood still (the intervals between a
"paused"/"stopped" event and the next "resumed"/"restarted" one). Working
them out afresh, rather than nudging the stored values, keeps a priority
change or a calendar edit honest about the time already used.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils.timesince import timesince, timeuntil
from django.utils.translation import gettext as _

from wardkeeper.servicedesk.choices import TicketState, WaitingFor
from wardkeeper.servicedesk.models import (
    SlaEvent,
    SlaEventKind,
    SlaPolicy,
    Ticket,
)
from wardkeeper.servicedesk.models.sla import stopped_intervals
from wardkeeper.servicedesk.services import calendars
from wardkeeper.servicedesk.services.calendars import Schedule


def start_clock(ticket: Ticket, now: dt.datetime) -> None:
    """A new ticket (or a changed priority/department/category): pick the
    policy and set response_due_at and restore_due_at from ``created_at``.

    A breach or warning the new targets no longer justify is withdrawn from
    the ticket's flags (its event stays in the history)."""
    policy = SlaPolicy.objects.best_for(
        priority=ticket.priority,
        department_id=ticket.department_id,
        category=ticket.category,
    )
    ticket.sla_policy = policy
    if policy is None:
        ticket.response_due_at = ticket.restore_due_at = None
        return
    schedule = calendars.schedule_of(policy.calendar)
    set_due_times(ticket, policy, schedule, now)
    _forgive(ticket, policy, schedule, now)


def on_move(ticket: Ticket, old_state: str, now: dt.datetime) -> None:
    """After a state move (ticket.state is the new one): pause while waiting
    for the reporter, resume after, stop at resolved (sla_met, breaches),
    restart on reopen."""
    policy = ticket.sla_policy
    if policy is None:
        return
    schedule = calendars.schedule_of(policy.calendar)
    waits_for_reporter = (
        ticket.state == TicketState.WAITING
        and ticket.waiting_for == WaitingFor.REPORTER
    )
    if ticket.state == TicketState.RESOLVED:
        _stop(ticket, policy, schedule, now)
    elif ticket.state == TicketState.REOPENED:
        _switch(ticket, SlaEventKind.RESTARTED, now, _("reopened"))
        set_due_times(ticket, policy, schedule, now)
        ticket.sla_met = None
    elif ticket.state == TicketState.CLOSED:
        return  # stopped at resolved already
    elif waits_for_reporter and ticket.sla_paused_at is None:
        _switch(ticket, SlaEventKind.PAUSED, now, _("waiting for the reporter"))
    elif not waits_for_reporter and ticket.sla_paused_at is not None:
        _switch(ticket, SlaEventKind.RESUMED, now, "")
        set_due_times(ticket, policy, schedule, now)


def set_due_times(
    ticket: Ticket, policy: SlaPolicy, schedule: Schedule, now: dt.datetime
) -> None:
    """Targets from ``created_at`` plus the working time the clock stood
    still; the response target only counts stops before the first response."""
    events = list(ticket.sla_events.all()) if ticket.pk else []
    stops = stopped_intervals(events, now)
    answered = ticket.responded_at
    if answered is not None:
        response_stops = [(a, min(b, answered)) for a, b in stops if a < answered]
    else:
        response_stops = stops
    ticket.response_due_at = calendars.add(
        schedule,
        ticket.created_at,
        policy.response_seconds + calendars.total_between(schedule, response_stops),
    )
    ticket.restore_due_at = calendars.add(
        schedule,
        ticket.created_at,
        policy.restore_seconds + calendars.total_between(schedule, stops),
    )


def warning_due(
    ticket: Ticket, policy: SlaPolicy, schedule: Schedule, now: dt.datetime
) -> bool:
    """Whether ``warn_at_percent`` of a running target is used up at ``now``."""
    share = (100 - policy.warn_at_percent) / 100
    running = []
    if ticket.responded_at is None and ticket.response_due_at is not None:
        running.append((ticket.response_due_at, policy.response_seconds))
    if ticket.resolved_at is None and ticket.restore_due_at is not None:
        running.append((ticket.restore_due_at, policy.restore_seconds))
    return any(
        calendars.between(schedule, now, due) <= share * target
        for due, target in running
    )


def _forgive(
    ticket: Ticket, policy: SlaPolicy, schedule: Schedule, now: dt.datetime
) -> None:
    # Only withdraws: a breach the new targets bring is the sweep's to record
    # (with its event and notification) within the minute.
    response_due, restore_due = ticket.response_due_at, ticket.restore_due_at
    if response_due and response_due > (ticket.responded_at or now):
        ticket.response_breached = False
    if restore_due and restore_due > (ticket.resolved_at or now):
        ticket.restore_breached = False
    if not (ticket.response_breached or ticket.restore_breached):
        ticket.escalation_level = 0
    if ticket.sla_warned_at and not warning_due(ticket, policy, schedule, now):
        ticket.sla_warned_at = None


def _switch(ticket: Ticket, kind: SlaEventKind, now: dt.datetime, detail: str) -> None:
    """Stop or start the clock, once: a stop while stopped is not recorded."""
    stopping = kind in (SlaEventKind.PAUSED, SlaEventKind.STOPPED)
    if stopping == (ticket.sla_paused_at is not None):
        return
    SlaEvent.objects.create(ticket=ticket, kind=kind, at=now, detail=detail)
    ticket.sla_paused_at = now if stopping else None


def _stop(
    ticket: Ticket, policy: SlaPolicy, schedule: Schedule, now: dt.datetime
) -> None:
    """Resolved: fold any pause into the due times, judge both targets, and
    record a miss the sweep had not seen yet (it may not have run)."""
    set_due_times(ticket, policy, schedule, now)
    if ticket.sla_paused_at is None:
        _switch(ticket, SlaEventKind.STOPPED, now, _("resolved"))
    else:
        # Waiting for the reporter until now: the clock stays stopped.
        SlaEvent.objects.create(
            ticket=ticket, kind=SlaEventKind.STOPPED, at=now, detail=_("resolved")
        )
    responded = ticket.responded_at or now
    resolved = ticket.resolved_at or now
    response_late = responded > ticket.response_due_at  # type: ignore[operator]
    restore_late = resolved > ticket.restore_due_at  # type: ignore[operator]
    if response_late and not ticket.response_breached:
        ticket.response_breached = True
        _record(ticket, SlaEventKind.RESPONSE_BREACH, ticket.response_due_at or now)
    if restore_late and not ticket.restore_breached:
        ticket.restore_breached = True
        _record(ticket, SlaEventKind.RESTORE_BREACH, ticket.restore_due_at or now)
    ticket.sla_met = not (response_late or restore_late)


def _record(ticket: Ticket, kind: SlaEventKind, at: dt.datetime) -> None:
    SlaEvent.objects.create(
        ticket=ticket, kind=kind, at=at, detail=_("recorded at resolution")
    )


@dataclass(frozen=True)
class Target:
    """One target as the ticket page shows it."""

    label: str
    due: dt.datetime
    state: str  # "met", "missed", "paused", "running", "overdue"
    words: str  # time left, or how late


def targets(ticket: Ticket, now: dt.datetime) -> list[Target]:
    """The response and restore targets of a ticket, judged at ``now``."""
    rows = []
    for label, due, done, missed in (
        (
            _("Response"),
            ticket.response_due_at,
            ticket.responded_at,
            ticket.response_breached,
        ),
        (
            _("Restore"),
            ticket.restore_due_at,
            ticket.resolved_at,
            ticket.restore_breached,
        ),
    ):
        if due is None:
            continue
        if done is not None:
            late = done > due or missed
            state = "missed" if late else "met"
            words = timesince(due, done, depth=2) if done > due else ""
        elif ticket.sla_paused_at is not None:
            state, words = "paused", ""
        elif due <= now:
            state, words = "overdue", timesince(due, now, depth=2)
        else:
            state, words = "running", timeuntil(due, now, depth=2)
        rows.append(Target(label, due, state, words))
    return rows
