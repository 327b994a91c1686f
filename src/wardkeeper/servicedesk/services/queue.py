"""An engineer's queue: their open tickets, then their teams' unassigned ones,
most urgent first by the SLA."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import (
    BooleanField,
    Case,
    DateTimeField,
    ExpressionWrapper,
    F,
    Q,
    QuerySet,
    Value,
    When,
)
from django.utils.timesince import timesince, timeuntil
from django.utils.translation import gettext as _

from wardkeeper.servicedesk.models import Team, Ticket


def queue_for(user: Any, now: dt.datetime) -> QuerySet[Ticket]:
    """Open tickets assigned to ``user`` (``is_mine``), then the unassigned
    open tickets of the teams they belong to or lead, each part ordered by
    urgency: breached first, then the nearest due time (the response target
    counts only until the first response), then priority, then age.

    A paused clock (waiting for the reporter) sorts after running ones: its
    due times move when it restarts."""
    teams = Team.objects.filter(Q(members=user) | Q(lead=user)).values("pk")
    response_due = Case(
        When(responded_at__isnull=True, then=F("response_due_at")),
        default=Value(None),
        output_field=DateTimeField(),
    )
    # LEAST() treats NULL differently on SQLite and PostgreSQL; spell it out.
    next_due = Case(
        When(
            Q(response_due__isnull=False)
            & (
                Q(restore_due_at__isnull=True) | Q(response_due__lt=F("restore_due_at"))
            ),
            then=F("response_due"),
        ),
        default=F("restore_due_at"),
        output_field=DateTimeField(),
    )
    breached = Case(
        When(
            Q(restore_breached=True)
            | Q(response_breached=True, responded_at__isnull=True)
            | Q(sla_paused_at__isnull=True, next_due__lt=now),
            then=Value(True),
        ),
        default=Value(False),
        output_field=BooleanField(),
    )
    # Two indexed lookups (assignee, state) and (team, state) instead of one
    # OR across columns, which SQLite answers by scanning every ticket.
    mine = Ticket.objects.open().filter(assignee=user).values("pk")
    unassigned = (
        Ticket.objects.open().filter(assignee__isnull=True, team__in=teams).values("pk")
    )
    return (
        Ticket.objects.filter(Q(pk__in=mine) | Q(pk__in=unassigned))
        .select_related("location", "asset", "team")
        # Each step reads the one before: chained, not in one annotate().
        .annotate(response_due=response_due)
        .annotate(next_due=next_due)
        .annotate(
            is_breached=breached,
            # Not "assignee = me": that is NULL when unassigned, and
            # PostgreSQL puts NULLs first in a descending order.
            is_mine=Case(
                When(assignee=user, then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            ),
            is_paused=ExpressionWrapper(
                Q(sla_paused_at__isnull=False), output_field=BooleanField()
            ),
        )
        .order_by(
            "-is_mine",
            "-is_breached",
            "is_paused",
            F("next_due").asc(nulls_last=True),
            "priority",
            "created_at",
            "pk",
        )
    )


def time_left(ticket: Ticket, now: dt.datetime) -> str:
    """The time to the nearest target in words ("2 hours, 5 minutes left",
    "overdue by 3 hours"), or an empty string when the ticket has none."""
    due = getattr(ticket, "next_due", None)
    if due is None:
        return ""
    if ticket.sla_paused_at:
        return _("clock paused, %(left)s left") % {
            "left": timeuntil(due, ticket.sla_paused_at, depth=1)
        }
    if due <= now:
        return _("overdue by %(late)s") % {"late": timesince(due, now, depth=2)}
    return _("%(left)s left") % {"left": timeuntil(due, now, depth=2)}
