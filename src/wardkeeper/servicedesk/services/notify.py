"""What the service desk tells whom (contract; the notifications work
implements it on core.notifications). Never raises: a failing channel must
not block a ticket change; deliveries are queued and retried."""

from __future__ import annotations

from typing import Any

from wardkeeper.servicedesk.models import Ticket


def ticket_event(ticket: Ticket, event: str, **context: Any) -> None:
    """``event`` is one of: "assigned", "sla_warning", "sla_breach",
    "escalated", "resolved", "reopened", "restock" (context: pool). Called
    inside the caller's transaction; queue deliveries on commit."""
