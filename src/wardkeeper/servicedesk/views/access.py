"""Who may see a ticket: the desk (servicedesk.view_ticket) sees every one;
anyone else only the tickets they reported or joined, and for every other
ticket gets "not found" (its existence is not disclosed)."""

from __future__ import annotations

from typing import Any

from django.http import Http404

from wardkeeper.core.models import Attachment
from wardkeeper.servicedesk.models import Ticket

RELATED = ("asset", "location", "department", "reporter", "assignee", "team")


def is_desk(user: Any) -> bool:
    return bool(user.has_perm("servicedesk.view_ticket"))


def own_tickets(user: Any) -> Any:
    """The tickets a person reported or joined as a second reporter."""
    return Ticket.objects.reported_by(user)


def ticket_for(user: Any, pk: int) -> Ticket:
    """The ticket if ``user`` may see it, else 404."""
    ticket = (
        Ticket.objects.visible_to(user).select_related(*RELATED).filter(pk=pk).first()
    )
    if ticket is None:
        raise Http404
    return ticket


def attachments_of(ticket: Ticket) -> list[Attachment]:
    return list(Attachment.objects.of(Ticket, ticket.pk))
