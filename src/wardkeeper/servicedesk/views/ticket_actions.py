"""What an engineer does on a ticket's page: each action parses its form and
calls the ticket service; a refusal shows beside the field at fault."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from wardkeeper.core.errors import DomainError
from wardkeeper.servicedesk import forms
from wardkeeper.servicedesk.choices import TicketState
from wardkeeper.servicedesk.models import Ticket
from wardkeeper.servicedesk.services import tickets as service
from wardkeeper.servicedesk.views.access import ticket_for
from wardkeeper.servicedesk.views.tickets import render_detail

Handler = Callable[[HttpRequest, Ticket, dict[str, Any]], Any]


def take(request: HttpRequest, ticket: Ticket, data: dict[str, Any]) -> Any:
    user: Any = request.user
    team = ticket.team or user.service_teams.filter(is_active=True).first()
    return service.assign(ticket, assignee=user, team=team, actor=user)


def assign(request: HttpRequest, ticket: Ticket, data: dict[str, Any]) -> Any:
    return service.assign(
        ticket, assignee=data["assignee"], team=data["team"], actor=request.user
    )


def move(request: HttpRequest, ticket: Ticket, data: dict[str, Any]) -> Any:
    return service.move(ticket, data["to"], actor=request.user, note=data["note"])


def wait(request: HttpRequest, ticket: Ticket, data: dict[str, Any]) -> Any:
    return service.move(
        ticket,
        TicketState.WAITING,
        actor=request.user,
        note=data["note"],
        waiting_for=data["waiting_for"],
    )


@transaction.atomic
def resolve(request: HttpRequest, ticket: Ticket, data: dict[str, Any]) -> Any:
    return service.resolve(
        ticket,
        code=data["resolution_code"],
        cause=data["cause"],
        resolution=data["resolution"],
        actor=request.user,
    )


def priority(request: HttpRequest, ticket: Ticket, data: dict[str, Any]) -> Any:
    lowering = data["priority"] > ticket.priority
    if lowering and not request.user.has_perm("servicedesk.lower_priority"):
        raise DomainError(_("You may not lower a ticket's priority."), field="priority")
    return service.set_priority(
        ticket, data["priority"], reason=data["reason"], actor=request.user
    )


def worklog(request: HttpRequest, ticket: Ticket, data: dict[str, Any]) -> Any:
    return service.log_work(
        ticket,
        author=request.user,
        note=data["note"],
        minutes=data["minutes"],
        public=data["public"],
    )


def visit(request: HttpRequest, ticket: Ticket, data: dict[str, Any]) -> Any:
    return service.record_visit(
        ticket,
        engineer=request.user,
        arrived_at=data["arrived_at"],
        left_at=data["left_at"],
        note=data["note"],
    )


def attach(request: HttpRequest, ticket: Ticket, data: dict[str, Any]) -> Any:
    form = data["form"]
    attachment = form.save(commit=False)
    attachment.target = ticket
    attachment.uploaded_by = request.user
    attachment.save()
    return attachment


ACTIONS: dict[str, tuple[Any, Handler]] = {
    "take": (None, take),
    "assign": (forms.AssignForm, assign),
    "move": (forms.MoveForm, move),
    "wait": (forms.WaitForm, wait),
    "resolve": (forms.ResolveForm, resolve),
    "priority": (forms.PriorityForm, priority),
    "worklog": (forms.WorkLogForm, worklog),
    "visit": (forms.VisitForm, visit),
    "attach": (forms.PhotoForm, attach),
}
DONE = {
    "take": gettext_lazy("You have %(ticket)s."),
    "assign": gettext_lazy("%(ticket)s is assigned to %(assignee)s."),
    "move": gettext_lazy("%(ticket)s is now %(state)s."),
    "wait": gettext_lazy("%(ticket)s is now %(state)s."),
    "resolve": gettext_lazy("%(ticket)s is resolved."),
    "priority": gettext_lazy("%(ticket)s is now %(priority)s."),
    "worklog": gettext_lazy("Work logged on %(ticket)s."),
    "visit": gettext_lazy("Visit recorded on %(ticket)s."),
    "attach": gettext_lazy("File attached to %(ticket)s."),
}


@require_POST
@login_required
@permission_required("servicedesk.work_ticket", raise_exception=True)
def ticket_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Run one action on a ticket, then back to its page."""
    if action not in ACTIONS:
        raise Http404
    ticket = ticket_for(request.user, pk)
    form_class, handler = ACTIONS[action]
    form = None
    data: dict[str, Any] = {}
    if form_class is not None:
        form = form_class(request.POST, request.FILES, prefix=action)
        if not form.is_valid():
            return render_detail(request, ticket, {"action": action, "form": form})
        data = {**form.cleaned_data, "form": form}
    try:
        handler(request, ticket, data)
    except DomainError as exc:
        return refused(request, ticket, action, form, exc)
    ticket.refresh_from_db()
    messages.success(request, DONE[action] % facts(ticket))
    return redirect(ticket)


def refused(
    request: HttpRequest, ticket: Ticket, action: str, form: Any, exc: DomainError
) -> HttpResponse:
    """The service said no: say why, beside the field when there is one,
    else at the top of the page (a move's buttons have no visible field)."""
    on_field = form is not None and exc.field in form.fields
    if on_field:
        form.add_error(exc.field, exc.message)
    else:
        messages.error(request, exc.message)
    ticket.refresh_from_db()
    return render_detail(request, ticket, {"action": action, "form": form})


def facts(ticket: Ticket) -> dict[str, Any]:
    return {
        "ticket": ticket.reference,
        "state": ticket.get_state_display(),
        "priority": ticket.get_priority_display(),
        "assignee": ticket.assignee or "—",
    }
