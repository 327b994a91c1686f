"""What the service desk tells whom, on core.notifications. Never raises: a
failing channel must not block a ticket change; deliveries are queued on
commit and retried by the worker."""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from wardkeeper.core.notifications import absolute_url, notify
from wardkeeper.servicedesk.choices import Priority, TicketState
from wardkeeper.servicedesk.models import Ticket

logger = logging.getLogger(__name__)

EVENTS = (
    "assigned",
    "sla_warning",
    "sla_breach",
    "escalated",
    "resolved",
    "reopened",
    "restock",
)


def ticket_event(ticket: Ticket, event: str, **context: Any) -> None:
    """``event`` is one of: "assigned", "sla_warning", "sla_breach",
    "escalated" (context: level), "resolved", "reopened", "restock"
    (context: pool). Called inside the caller's transaction; queue
    deliveries on commit. Each person reads it in their own language."""
    try:
        # A savepoint: should a query here fail, the caller's transaction
        # (the ticket change) stays usable on PostgreSQL.
        with transaction.atomic():
            _tell(ticket, event, context)
    except Exception:
        logger.exception("notification %s for ticket %s not queued", event, ticket.pk)


def _tell(ticket: Ticket, event: str, context: dict[str, Any]) -> None:
    if event not in EVENTS:
        raise ValueError(f"unknown service-desk event {event!r}")
    people = recipients(ticket, event, context)
    extra = {
        "ticket": ticket.reference,
        "ticket_id": ticket.pk,
        "priority": ticket.priority,
        "state": ticket.state,
        **{key: _plain(value) for key, value in context.items()},
    }
    common: dict[str, Any] = {
        "link": absolute_url(ticket.get_absolute_url()),
        "urgent": ticket.priority == Priority.P1,
        "context": extra,
    }
    for language, group in by_language(people).items():
        with translation.override(language):
            subject, body = message(ticket, event, context)
            notify(event, group, subject=subject, body=body, channels=False, **common)
    # Shared channels (a team's chat group) get one message, in the site language.
    with translation.override(settings.LANGUAGE_CODE):
        subject, body = message(ticket, event, context)
        notify(event, [], subject=subject, body=body, **common)


def _plain(value: Any) -> Any:
    return value if isinstance(value, bool | int | float | str | None) else str(value)


def recipients(ticket: Ticket, event: str, context: dict[str, Any]) -> list[Any]:
    """Who is told of ``event`` on ``ticket`` (people, duplicates possible)."""
    lead = ticket.team.lead if ticket.team_id and ticket.team else None
    if event in ("assigned", "sla_warning"):
        return [ticket.assignee]
    if event in ("sla_breach", "reopened"):
        return [ticket.assignee, lead]
    if event == "escalated":
        level = int(context.get("level", ticket.escalation_level) or 1)
        return [lead] if level <= 1 else list(users_with(role="it_director"))
    if event == "resolved":
        return [ticket.reporter, *ticket.watchers.all()]
    return list(users_with(perm=("inventory", "change_sparepool")))


def users_with(*, role: str = "", perm: tuple[str, str] | None = None) -> Iterable[Any]:
    """Active people holding a role, or a permission through a role or their
    own grant. Superusers are not included: an emergency account is not a
    mailbox."""
    users = get_user_model().objects.filter(is_active=True)
    if role:
        return users.filter(groups__name=role).distinct()
    assert perm is not None
    app, codename = perm
    held = Q(
        groups__permissions__codename=codename,
        groups__permissions__content_type__app_label=app,
    ) | Q(
        user_permissions__codename=codename,
        user_permissions__content_type__app_label=app,
    )
    return users.filter(held).distinct()


def by_language(people: Iterable[Any]) -> dict[str, list[Any]]:
    groups: dict[str, list[Any]] = defaultdict(list)
    for person in people:
        if person is not None:
            language = getattr(person, "language", "") or settings.LANGUAGE_CODE
            groups[language].append(person)
    return dict(groups)


def _when(value: Any) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else "—"


def _facts(ticket: Ticket) -> str:
    place = " · ".join(
        str(part) for part in (ticket.location, ticket.department) if part
    )
    lines = [
        f"{ticket.reference} {ticket.title}",
        _("Priority: %(priority)s") % {"priority": Priority(ticket.priority).label},
        _("State: %(state)s") % {"state": TicketState(ticket.state).label},
        _("Place: %(place)s") % {"place": place or "—"},
        _("Asset: %(asset)s") % {"asset": ticket.asset or "—"},
        _("Reported by: %(name)s") % {"name": ticket.reporter_label or "—"},
    ]
    return "\n".join(lines)


def _subjects(ticket: Ticket, context: dict[str, Any]) -> dict[str, Callable[[], str]]:
    ref = ticket.reference
    due = ticket.restore_due_at or ticket.response_due_at
    return {
        "assigned": lambda: (
            _("%(ref)s assigned to you: %(title)s")
            % {"ref": ref, "title": ticket.title}
        ),
        "sla_warning": lambda: (
            _("%(ref)s will miss its SLA at %(due)s") % {"ref": ref, "due": _when(due)}
        ),
        "sla_breach": lambda: _("%(ref)s has missed its SLA") % {"ref": ref},
        "escalated": lambda: (
            _("%(ref)s escalated to you (level %(level)s)")
            % {"ref": ref, "level": context.get("level", ticket.escalation_level)}
        ),
        "resolved": lambda: (
            _("%(ref)s is resolved: please confirm the fix") % {"ref": ref}
        ),
        "reopened": lambda: _("%(ref)s was reopened") % {"ref": ref},
        "restock": lambda: (
            _("Spare pool %(pool)s is below its minimum")
            % {"pool": context.get("pool", "—")}
        ),
    }


def _lead(ticket: Ticket, event: str, context: dict[str, Any]) -> str:
    if event == "resolved":
        return _(
            "Your report was resolved. Please open it to confirm the fix and rate "
            "it from 1 to 5, or reopen it if the fault is still there."
        )
    if event == "restock":
        pool = context.get("pool")
        return _("%(ref)s took a spare from %(pool)s; order more spares.") % {
            "ref": ticket.reference,
            "pool": pool or "—",
        }
    return ""


def message(ticket: Ticket, event: str, context: dict[str, Any]) -> tuple[str, str]:
    """The subject and body of ``event``, in the active language."""
    subject = _subjects(ticket, context)[event]()
    if ticket.priority == Priority.P1:
        subject = f"[P1] {subject}"
    lead = _lead(ticket, event, context)
    body = f"{lead}\n\n{_facts(ticket)}" if lead else _facts(ticket)
    return subject, body
