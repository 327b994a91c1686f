"""The life of a ticket: open it, route it, move it, resolve and confirm it.

Every path (report form, API, monitoring, inspection rounds) opens tickets
through ``open_ticket`` and moves them through ``move``, so priority rules,
the SLA clock, routing, notifications and the audit trail hold for all.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wardkeeper.core.errors import DomainError
from wardkeeper.servicedesk.choices import (
    OPEN_STATES,
    TICKET_MOVES,
    MaintenanceKind,
    Priority,
    ResolutionCode,
    Source,
    TicketState,
    WaitingFor,
)
from wardkeeper.servicedesk.models import Ticket, Transition, Visit, WorkLog
from wardkeeper.servicedesk.services import assignment, notify, priority, sla


class MoveRefused(DomainError):
    """A state move the desk does not allow, or one missing what it needs."""


@dataclass
class Report:
    """What a reporter tells: the form, the API and monitoring fill this in.

    ``origin`` names what opened it automatically ("check:42"): one open
    ticket per origin (see ``open_or_note``). ``team`` is for a reporter
    that knows whose the ticket is (a protected system's team): it goes to
    that team's engineer on call, else waits in that team's queue, instead
    of being routed by category."""

    title: str
    category: str
    description: str = ""
    kind: str = MaintenanceKind.CORRECTIVE
    impact: int = 3
    urgency: int = 2
    asset: Any = None
    location: Any = None
    department: Any = None
    reporter: Any = None
    reporter_name: str = ""
    reporter_phone: str = ""
    source: str = Source.FORM
    origin: str = ""
    team: Any = None
    extra: dict[str, Any] = field(default_factory=dict)


def open_duplicates(asset: Any) -> list[Ticket]:
    """Open tickets on this asset: a new report is offered to join one."""
    if asset is None:
        return []
    return list(
        Ticket.objects.filter(asset=asset, state__in=OPEN_STATES).order_by(
            "priority", "created_at"
        )
    )


@transaction.atomic
def open_ticket(report: Report, *, now: dt.datetime | None = None) -> Ticket:
    """Open a ticket from a report: place and department from the asset when
    not given, priority by the rules, SLA clock started, routed to a team and
    the engineer on call (of the report's team when it names one), the
    assignee told."""
    now = now or timezone.now()
    asset = report.asset
    location = report.location or (asset.location if asset else None)
    department = report.department or (asset.department if asset else None)
    verdict = priority.decide(
        report.impact,
        report.urgency,
        report.kind,
        priority.criticality_of(asset, location),
    )
    ticket = Ticket(
        title=report.title.strip(),
        description=report.description,
        category=report.category,
        kind=report.kind,
        impact=report.impact,
        urgency=report.urgency,
        computed_priority=verdict.priority,
        priority=verdict.priority,
        priority_reason=str(verdict.reason),
        asset=asset,
        location=location,
        department=department,
        reporter=report.reporter,
        reporter_name=report.reporter_name
        or (report.reporter.get_full_name() if report.reporter else ""),
        reporter_phone=report.reporter_phone,
        source=report.source,
        origin=report.origin,
        created_at=now,
    )
    sla.start_clock(ticket, now)
    routed = assignment.route(ticket, now, team=report.team)
    if ticket.assignee_id:
        ticket.state = TicketState.ASSIGNED
        ticket.assigned_at = now
    ticket.save()
    Transition.objects.create(
        ticket=ticket,
        to_state=ticket.state,
        actor=report.reporter,
        at=now,
        note="\n".join(filter(None, [str(verdict.reason), routed])),
    )
    if ticket.assignee_id:
        notify.ticket_event(ticket, "assigned")
    return ticket


@transaction.atomic
def open_or_note(
    report: Report, note: str, *, now: dt.datetime | None = None
) -> Ticket:
    """The open ticket of ``report.origin`` with ``note`` added to its work
    log; else a new ticket from ``report``. Whatever opens tickets by itself
    (monitoring, segmentation checks, backup checks) comes through here, so
    a fault that persists or comes back is one ticket until it is resolved."""
    if not report.origin:
        raise ValueError("open_or_note needs the report's origin")
    now = now or timezone.now()
    current = (
        Ticket.objects.filter(origin=report.origin, state__in=OPEN_STATES)
        .order_by("created_at", "pk")
        .first()
    )
    if current is None:
        return open_ticket(report, now=now)
    log_work(current, author=report.reporter, note=note, now=now)
    return current


@transaction.atomic
def join(ticket: Ticket, user: Any, note: str = "") -> Ticket:
    """A second reporter of the same fault joins the open ticket instead of
    opening another: they follow its state, and the engineer sees the note."""
    if not ticket.is_open:
        raise MoveRefused(_("This ticket is no longer open."), code="closed")
    ticket.watchers.add(user)
    WorkLog.objects.create(
        ticket=ticket,
        author=user,
        note=note or _("Also reported by %(name)s.") % {"name": user},
        public=True,
    )
    return ticket


def allowed_moves(ticket: Ticket) -> list[TicketState]:
    return [TicketState(state) for state in TICKET_MOVES[ticket.state]]


@transaction.atomic
def move(
    ticket: Ticket,
    to: str,
    *,
    actor: Any,
    note: str = "",
    waiting_for: str = "",
    now: dt.datetime | None = None,
) -> Ticket:
    """Move a ticket to another state; refuse moves the desk doesn't allow."""
    now = now or timezone.now()
    ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
    old = ticket.state
    if to not in TICKET_MOVES[old]:
        raise MoveRefused(
            _("A ticket that is %(old)s cannot be moved to %(new)s.")
            % {"old": TicketState(old).label, "new": TicketState(to).label},
            field="state",
            code="move_refused",
        )
    if to == TicketState.WAITING and waiting_for not in WaitingFor.values:
        raise MoveRefused(_("Say what the ticket is waiting for."), field="waiting_for")
    if to == TicketState.ASSIGNED and not ticket.assignee_id:
        raise MoveRefused(_("Choose an engineer first."), field="assignee")
    if to == TicketState.RESOLVED and not ticket.resolution_code:
        raise MoveRefused(
            _("Give the resolution before resolving."), field="resolution_code"
        )
    if to == TicketState.REOPENED and not note.strip():
        raise MoveRefused(_("Say why the ticket is reopened."), field="note")
    ticket.state = to
    ticket.waiting_for = waiting_for if to == TicketState.WAITING else ""
    if to == TicketState.IN_PROGRESS and ticket.responded_at is None:
        ticket.responded_at = now
    if to == TicketState.RESOLVED:
        ticket.resolved_at = now
        if ticket.responded_at is None:
            ticket.responded_at = now
    if to == TicketState.CLOSED:
        ticket.closed_at = now
        ticket.first_time_fix = ticket.reopen_count == 0 and ticket.visit_count <= 1
    if to == TicketState.REOPENED:
        ticket.reopen_count += 1
        ticket.resolved_at = None
        ticket.closed_at = None
        ticket.confirmed_at = None
        ticket.first_time_fix = None
    sla.on_move(ticket, old, now)
    ticket.save(audit_action="moved")
    Transition.objects.create(
        ticket=ticket,
        from_state=old,
        to_state=to,
        waiting_for=ticket.waiting_for,
        note=note,
        actor=actor,
        at=now,
    )
    if to in (TicketState.RESOLVED, TicketState.REOPENED):
        notify.ticket_event(ticket, str(to))
    return ticket


@transaction.atomic
def resolve(
    ticket: Ticket,
    *,
    code: str,
    actor: Any,
    cause: str = "",
    resolution: str = "",
    note: str = "",
    now: dt.datetime | None = None,
) -> Ticket:
    """Record the outcome (resolution code, cause, what was done) and move the
    ticket to resolved, in one step."""
    if code not in ResolutionCode.values:
        raise MoveRefused(
            _("Choose how the fault was resolved."), field="resolution_code"
        )
    ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
    ticket.resolution_code = code
    ticket.cause = cause.strip()
    ticket.resolution = resolution.strip()
    ticket.save()
    return move(ticket, TicketState.RESOLVED, actor=actor, note=note, now=now)


@transaction.atomic
def assign(
    ticket: Ticket,
    *,
    assignee: Any,
    team: Any = None,
    actor: Any,
    now: dt.datetime | None = None,
) -> Ticket:
    """Give the ticket to an engineer (and their team); a new or reopened
    ticket moves to assigned."""
    now = now or timezone.now()
    ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
    ticket.assignee = assignee
    if team is not None:
        ticket.team = team
    ticket.assigned_at = now
    ticket.save()
    if ticket.state in (TicketState.NEW, TicketState.REOPENED):
        ticket = move(ticket, TicketState.ASSIGNED, actor=actor, now=now)
    notify.ticket_event(ticket, "assigned")
    return ticket


@transaction.atomic
def set_priority(
    ticket: Ticket, new: int, *, reason: str, actor: Any, now: dt.datetime | None = None
) -> Ticket:
    """Change the priority; lowering it below what the rules gave needs a reason
    (it is kept on the ticket and in the trail). The SLA targets follow."""
    now = now or timezone.now()
    new = Priority(new)
    ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
    if new > ticket.computed_priority and not reason.strip():
        raise DomainError(
            _("Say why the priority is lower than the rules give (%(p)s).")
            % {"p": Priority(ticket.computed_priority).label},
            field="priority_reason",
            code="reason_required",
        )
    ticket.priority = new
    ticket.priority_reason = reason.strip()
    sla.start_clock(ticket, now)
    ticket.save()
    return ticket


@transaction.atomic
def log_work(
    ticket: Ticket,
    *,
    author: Any,
    note: str,
    minutes: int = 0,
    public: bool = False,
    now: dt.datetime | None = None,
) -> WorkLog:
    """A work-log entry; the first one by an engineer counts as the response."""
    now = now or timezone.now()
    ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
    entry = WorkLog.objects.create(
        ticket=ticket, author=author, note=note, minutes=minutes, public=public, at=now
    )
    if ticket.responded_at is None and author is not None and author != ticket.reporter:
        ticket.responded_at = now
        ticket.save()
    return entry


@transaction.atomic
def record_visit(
    ticket: Ticket,
    *,
    engineer: Any,
    arrived_at: dt.datetime,
    left_at: dt.datetime | None = None,
    note: str = "",
) -> Visit:
    if left_at is not None and left_at < arrived_at:
        raise DomainError(
            _("The engineer cannot leave before arriving."), field="left_at"
        )
    ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
    visit = Visit.objects.create(
        ticket=ticket,
        engineer=engineer,
        arrived_at=arrived_at,
        left_at=left_at,
        note=note,
    )
    ticket.visit_count = ticket.visits.count()
    if ticket.responded_at is None or arrived_at < ticket.responded_at:
        ticket.responded_at = arrived_at
    ticket.save()
    return visit


@transaction.atomic
def confirm(
    ticket: Ticket,
    *,
    user: Any,
    rating: int,
    feedback: str = "",
    now: dt.datetime | None = None,
) -> Ticket:
    """The reporter confirms the fix (rating 1-5): the ticket closes."""
    now = now or timezone.now()
    if not 1 <= int(rating) <= 5:
        raise DomainError(_("Rate the repair from 1 to 5."), field="rating")
    if ticket.state != TicketState.RESOLVED:
        raise MoveRefused(
            _("Only a resolved ticket can be confirmed."), code="not_resolved"
        )
    ticket.rating = int(rating)
    ticket.feedback = feedback
    ticket.confirmed_at = now
    ticket.save()
    return move(ticket, TicketState.CLOSED, actor=user, note=feedback, now=now)
