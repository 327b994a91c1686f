"""Who gets a new ticket (contract; the rota work implements it)."""

from __future__ import annotations

import datetime as dt

from wardkeeper.servicedesk.models import Ticket


def route(ticket: Ticket, now: dt.datetime) -> None:
    """Set ticket.team (by category and place) and ticket.assignee (who is on
    call in that team's rota now, leave overrides applied). Does not save."""
