"""The SLA clock of tickets (contract; the SLA work implements it).

The ticket service calls these at the moments named; they set the ticket's
SLA fields (policy, due times, pause, breach flags, seconds) and may write
SLA events. They never save the ticket themselves: the caller saves it.
"""

from __future__ import annotations

import datetime as dt

from wardkeeper.servicedesk.models import Ticket


def start_clock(ticket: Ticket, now: dt.datetime) -> None:
    """A new ticket (or a changed priority/department/category): pick the
    policy and set response_due_at and restore_due_at from ``created_at``."""


def on_move(ticket: Ticket, old_state: str, now: dt.datetime) -> None:
    """After a state move (ticket.state is the new one): pause while waiting
    for the reporter, resume after, record the first response, stop at
    resolved (fill response_seconds, restore_seconds, sla_met), restart on reopen."""
