"""The SLA sweep: warnings, breaches and escalations of open tickets.

Run ``sweep(now)`` every minute. For each policy it works out, once, the
due-time limits that mean "warn", "breached" and "escalate to the director"
at ``now`` (business-time arithmetic on the policy's calendar), so that
choosing the tickets is one query on the stored due times and deciding for a
ticket is a comparison. Each step is claimed with a conditional update that
must change exactly one row, so a second sweep (or two at once) sends nothing
twice.

Escalation: level 1 (the team lead) at the first breach of either target;
level 2 (the IT director) once the restore target has been missed by a
further half of the restore target, counted in working time.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from wardkeeper.core import audit
from wardkeeper.core.models.audit import AuditAction
from wardkeeper.servicedesk.models import SlaEvent, SlaEventKind, SlaPolicy, Ticket
from wardkeeper.servicedesk.services import calendars, notify

log = logging.getLogger(__name__)


@dataclass
class Summary:
    """What one sweep did."""

    checked: int = 0
    warnings: int = 0
    response_breaches: int = 0
    restore_breaches: int = 0
    escalations: int = 0
    failed: int = 0


@dataclass(frozen=True)
class Limits:
    """For one policy at one moment: a ticket is due a warning if a running
    target is due by ``warn_*``, breached if due by ``now``, and for the
    director if its restore target was due by ``director``."""

    policy_id: int
    warn_response: dt.datetime
    warn_restore: dt.datetime
    director: dt.datetime

    @classmethod
    def of(cls, policy: SlaPolicy, now: dt.datetime, schedule: Any) -> Limits:
        share = (100 - policy.warn_at_percent) / 100
        return cls(
            policy_id=policy.pk,
            warn_response=calendars.add(schedule, now, share * policy.response_seconds),
            warn_restore=calendars.add(schedule, now, share * policy.restore_seconds),
            director=calendars.subtract(schedule, now, policy.restore_seconds / 2),
        )

    def candidates(self, now: dt.datetime) -> Q:
        unanswered = Q(responded_at__isnull=True)
        answered_late = Q(responded_at__gt=F("response_due_at"))
        return Q(sla_policy_id=self.policy_id) & (
            Q(sla_warned_at__isnull=True, response_due_at__lte=self.warn_response)
            & unanswered
            | Q(sla_warned_at__isnull=True, restore_due_at__lte=self.warn_restore)
            | Q(response_breached=False, response_due_at__lte=now)
            & (unanswered | answered_late)
            | Q(restore_breached=False, restore_due_at__lte=now)
            | Q(escalation_level__lt=2, restore_due_at__lte=self.director)
            | Q(escalation_level__lt=1, response_breached=True)
        )


def limits_at(now: dt.datetime) -> dict[int, Limits]:
    """The limits of every policy (inactive ones too: their tickets run on)."""
    schedules: dict[int, calendars.Schedule] = {}
    limits = {}
    for policy in SlaPolicy.objects.select_related("calendar"):
        if policy.calendar_id not in schedules:
            schedules[policy.calendar_id] = calendars.schedule_of(policy.calendar)
        limits[policy.pk] = Limits.of(policy, now, schedules[policy.calendar_id])
    return limits


def sweep(now: dt.datetime | None = None) -> Summary:
    """Warn, record breaches and escalate for every open, running ticket that
    is due something; idempotent. One failing ticket is logged and skipped."""
    now = now or timezone.now()
    summary = Summary()
    limits = limits_at(now)
    if not limits:
        return summary
    wanted = Q()
    for limit in limits.values():
        wanted |= limit.candidates(now)
    # A paused clock's due times are stale until it resumes; they are skipped.
    tickets = Ticket.objects.open().filter(
        wanted, sla_paused_at__isnull=True, sla_policy__isnull=False
    )
    for ticket in tickets.order_by("restore_due_at", "pk").iterator(chunk_size=500):
        summary.checked += 1
        try:
            with transaction.atomic():
                _sweep_one(ticket, limits[ticket.sla_policy_id or 0], now, summary)
        except Exception:
            summary.failed += 1
            log.exception("SLA sweep failed for ticket %s", ticket.pk)
    return summary


def _sweep_one(
    ticket: Ticket, limit: Limits, now: dt.datetime, summary: Summary
) -> None:
    response_due = ticket.response_due_at
    restore_due = ticket.restore_due_at
    answered = ticket.responded_at
    response_missed = bool(
        response_due
        and response_due <= now
        and (answered is None or answered > response_due)
    )
    restore_missed = bool(restore_due and restore_due <= now)
    if not ticket.sla_warned_at and not (response_missed or restore_missed):
        warn = (
            answered is None and response_due and response_due <= limit.warn_response
        ) or (restore_due and restore_due <= limit.warn_restore)
        if warn and _claim(ticket, {"sla_warned_at__isnull": True}, sla_warned_at=now):
            _event(ticket, SlaEventKind.WARNING, now)
            notify.ticket_event(ticket, "sla_warning")
            summary.warnings += 1
    elif not ticket.sla_warned_at:
        # The breach came first (the sweep was not running): the breach tells
        # all; the warning's moment is marked passed so it is not sent late.
        _claim(ticket, {"sla_warned_at__isnull": True}, sla_warned_at=now)
    if response_missed and _claim(
        ticket, {"response_breached": False}, response_breached=True
    ):
        _event(ticket, SlaEventKind.RESPONSE_BREACH, now)
        notify.ticket_event(ticket, "sla_breach", target="response")
        summary.response_breaches += 1
    if restore_missed and _claim(
        ticket, {"restore_breached": False}, restore_breached=True
    ):
        _event(ticket, SlaEventKind.RESTORE_BREACH, now)
        notify.ticket_event(ticket, "sla_breach", target="restore")
        summary.restore_breaches += 1
    if ticket.response_breached or ticket.restore_breached:
        _escalate(ticket, 1, now, summary)
    if ticket.restore_breached and restore_due and restore_due <= limit.director:
        _escalate(ticket, 2, now, summary)


def _escalate(ticket: Ticket, level: int, now: dt.datetime, summary: Summary) -> None:
    if _claim(ticket, {"escalation_level__lt": level}, escalation_level=level):
        who = _("the team lead") if level == 1 else _("the IT director")
        _event(ticket, SlaEventKind.ESCALATION, now, level=level, detail=who)
        notify.ticket_event(ticket, "escalated", level=level)
        summary.escalations += 1


def _claim(ticket: Ticket, condition: dict[str, Any], **changes: Any) -> bool:
    """Set ``changes`` if the row still meets ``condition``; True if this
    sweep made the change (another sweep may have got there first)."""
    changed = Ticket.objects.filter(pk=ticket.pk, **condition).update(**changes)
    if changed != 1:
        return False
    audit.record(
        AuditAction.UPDATE,
        ticket,
        changes={
            name: [audit.jsonable(getattr(ticket, name)), audit.jsonable(value)]
            for name, value in changes.items()
        },
        message=_("SLA sweep"),
    )
    for name, value in changes.items():
        setattr(ticket, name, value)
    return True


def _event(
    ticket: Ticket,
    kind: SlaEventKind,
    now: dt.datetime,
    *,
    level: int | None = None,
    detail: str = "",
) -> None:
    SlaEvent.objects.create(
        ticket=ticket, kind=kind, at=now, level=level, detail=detail
    )
