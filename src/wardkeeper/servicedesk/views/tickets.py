"""Ticket pages: the desk's list, a ticket's page (the engineer's, or the
reporter's view of their own), its files, and "My reports"."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext_lazy

from wardkeeper.core.models import Attachment
from wardkeeper.core.views.generic import Column, ObjectList, style_form
from wardkeeper.servicedesk import forms
from wardkeeper.servicedesk.choices import Priority
from wardkeeper.servicedesk.filters import TicketFilter
from wardkeeper.servicedesk.models import Ticket, WorkLog
from wardkeeper.servicedesk.services import tickets as service
from wardkeeper.servicedesk.views.access import (
    RELATED,
    attachments_of,
    is_desk,
    own_tickets,
    ticket_for,
)

MY_REPORTS_PER_PAGE = 20
HISTORY_SHOWN = 200


class TicketList(ObjectList):
    """Every ticket, filtered, sorted and paginated (P1 first by default)."""

    model = Ticket
    queryset = Ticket.objects.select_related(
        "asset", "location", "department", "assignee", "team"
    ).order_by("priority", "created_at")
    filterset_class = TicketFilter
    template_name = "servicedesk/ticket_list.html"
    filter_fields = ("q", "open", "state", "priority", "category", "sort")
    filter_more = ("team", "assignee", "department")
    columns = [
        Column(gettext_lazy("Ticket"), "reference", link=True, css="fw-semibold"),
        Column(gettext_lazy("Summary"), "title", css="wk-wrap wk-wide"),
        Column(gettext_lazy("Priority"), "priority", badge=True),
        Column(gettext_lazy("State"), "state", badge=True),
        Column(
            gettext_lazy("Where"),
            "location",
            css="wk-wrap",
            template="servicedesk/includes/cell_ticket_place.html",
        ),
        Column(gettext_lazy("Engineer"), "assignee", css="wk-wrap"),
        Column(gettext_lazy("Team"), "team", css="wk-phone-hide"),
        Column(
            gettext_lazy("Reported"),
            "created_at",
            template="servicedesk/includes/cell_ticket_age.html",
        ),
    ]

    def get_filterset(self, filterset_class: Any) -> Any:
        filterset = super().get_filterset(filterset_class)
        for name in ("state", "priority", "category"):
            field = filterset.form.fields[name]
            # Toggle chips instead of a multiple select: one tap each on a phone.
            field.widget = forms.forms.CheckboxSelectMultiple(choices=field.choices)
        return filterset


@login_required
def ticket_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The desk's page of a ticket; its reporter gets the reporter's view."""
    ticket = ticket_for(request.user, pk)
    if not is_desk(request.user):
        return render(
            request,
            "servicedesk/ticket_reporter.html",
            reporter_context(request, ticket),
        )
    return render_detail(request, ticket)


def render_detail(
    request: HttpRequest, ticket: Ticket, bound: dict[str, Any] | None = None
) -> HttpResponse:
    """The engineer's page; ``bound`` holds a refused action's form (and its
    name) so its errors show beside the fields at fault."""
    bound = bound or {}
    context = {
        "ticket": ticket,
        "object": ticket,
        "move_values": [str(state) for state in service.allowed_moves(ticket)],
        "can_work": request.user.has_perm("servicedesk.work_ticket"),
        "can_lower": request.user.has_perm("servicedesk.lower_priority"),
        "rules_priority": Priority(ticket.computed_priority),
        "history": history_of(ticket, public_only=False),
        "attachments": attachments_of(ticket),
        "forms": action_forms(ticket, bound),
        "open_action": bound.get("action", ""),
        "upload_max_mb": settings.UPLOAD_MAX_MB,
    }
    status = 400 if bound else 200
    return render(request, "servicedesk/ticket_detail.html", context, status=status)


def action_forms(ticket: Ticket, bound: dict[str, Any]) -> dict[str, Any]:
    initial = {
        "assign": {"assignee": ticket.assignee_id, "team": ticket.team_id},
        "priority": {"priority": ticket.priority},
        "resolve": {
            "resolution_code": ticket.resolution_code,
            "cause": ticket.cause,
            "resolution": ticket.resolution,
        },
    }
    made = {
        "assign": forms.AssignForm,
        "move": forms.MoveForm,
        "wait": forms.WaitForm,
        "resolve": forms.ResolveForm,
        "priority": forms.PriorityForm,
        "worklog": forms.WorkLogForm,
        "visit": forms.VisitForm,
        "attach": forms.PhotoForm,
    }
    result = {}
    for name, form_class in made.items():
        form = bound.get("form") if bound.get("action") == name else None
        if form is None:
            form = form_class(initial=initial.get(name), prefix=name)
        result[name] = style_form(form)
    return result


def history_of(ticket: Ticket, *, public_only: bool) -> list[dict[str, Any]]:
    """State moves, work-log entries and visits, oldest first. The reporter
    sees the moves and the notes shown to them."""
    rows: list[dict[str, Any]] = [
        {"at": move.at, "kind": "move", "item": move}
        for move in ticket.transitions.select_related("actor")[:HISTORY_SHOWN]
    ]
    notes = ticket.worklogs.select_related("author")
    if public_only:
        notes = notes.filter(public=True)
    rows += [
        {"at": note.at, "kind": "note", "item": note} for note in notes[:HISTORY_SHOWN]
    ]
    if not public_only:
        rows += [
            {"at": visit.arrived_at, "kind": "visit", "item": visit}
            for visit in ticket.visits.select_related("engineer")[:HISTORY_SHOWN]
        ]
    return sorted(rows, key=lambda row: row["at"])


def reporter_context(
    request: HttpRequest, ticket: Ticket, **forms_given: Any
) -> dict[str, Any]:
    return {
        "ticket": ticket,
        "history": history_of(ticket, public_only=True),
        "attachments": attachments_of(ticket),
        "is_reporter": ticket.reporter_id == request.user.pk,
        "confirm_form": forms_given.get("confirm_form")
        or style_form(forms.ConfirmForm()),
        "reopen_form": forms_given.get("reopen_form") or style_form(forms.ReopenForm()),
    }


@login_required
def my_reports(request: HttpRequest) -> HttpResponse:
    """The faults I reported or joined: state, who has it, notes for me."""
    public_notes = Prefetch(
        "worklogs",
        queryset=WorkLog.objects.filter(public=True).select_related("author"),
        to_attr="public_notes",
    )
    tickets = (
        own_tickets(request.user)
        .select_related(*RELATED)
        .prefetch_related(public_notes)
        .order_by("-created_at", "-id")
    )
    page = Paginator(tickets, MY_REPORTS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "servicedesk/report_mine.html",
        {
            "page_obj": page,
            "tickets": page.object_list,
            "confirm_form": style_form(forms.ConfirmForm()),
            "reopen_form": style_form(forms.ReopenForm()),
            "user_id": request.user.pk,
        },
    )


@login_required
def ticket_attachment(request: HttpRequest, pk: int, attachment: int) -> FileResponse:
    """A file kept with a ticket, for whoever may see the ticket."""
    ticket = ticket_for(request.user, pk)
    found = get_object_or_404(
        Attachment,
        pk=attachment,
        object_id=str(ticket.pk),
        content_type=ContentType.objects.get_for_model(Ticket),
    )
    inline = request.GET.get("inline") == "1" and is_image(found)
    return FileResponse(
        found.file.open("rb"), as_attachment=not inline, filename=str(found)
    )


def is_image(attachment: Attachment) -> bool:
    return str(attachment).lower().rsplit(".", 1)[-1] in {
        "jpg",
        "jpeg",
        "png",
        "gif",
        "webp",
        "heic",
    }
