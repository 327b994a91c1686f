"""Reporting a fault (any signed-in person), joining an open ticket on the
same device, and the reporter confirming the fix or reopening."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from wardkeeper.core.errors import DomainError
from wardkeeper.core.models import Attachment
from wardkeeper.inventory.models import Asset
from wardkeeper.servicedesk import forms
from wardkeeper.servicedesk.choices import Source, TicketState
from wardkeeper.servicedesk.models import Ticket
from wardkeeper.servicedesk.services import tickets as service
from wardkeeper.servicedesk.views.access import ticket_for
from wardkeeper.servicedesk.views.tickets import reporter_context


@login_required
def report(request: HttpRequest) -> HttpResponse:
    """The one-screen report. A device with an open ticket is offered to
    join it; "Report separately" (``separate=1``) opens a new one anyway."""
    if request.method != "POST":
        form = forms.ReportForm(initial=initial_for(request))
        return render_form(request, form, find_asset(request.GET.get("asset", "")))
    form = forms.ReportForm(request.POST, request.FILES)
    if not form.is_valid():
        return render_form(request, form, form.asset, status=400)
    duplicates = service.open_duplicates(form.asset)
    if duplicates and not request.POST.get("separate"):
        return render_form(request, form, form.asset, duplicates=duplicates)
    ticket = open_with_photo(form, request.user)
    return redirect("servicedesk:report-done", pk=ticket.pk)


@transaction.atomic
def open_with_photo(form: forms.ReportForm, user: Any) -> Ticket:
    ticket = service.open_ticket(form.report(user))
    photo = form.cleaned_data.get("photo")
    if photo:
        Attachment(
            target=ticket,
            file=photo,
            description=_("Photo from the report"),
            uploaded_by=user,
        ).save()
    return ticket


@login_required
def report_where(request: HttpRequest) -> HttpResponse:
    """The place and department of the tag being typed (htmx), or the
    inputs to choose them when there is no such device."""
    tag = request.GET.get("asset_tag", "").strip()
    asset = find_asset(tag)
    context = {
        "asset": asset,
        "form": forms.ReportForm(),
        "unknown_tag": tag if tag and asset is None else "",
    }
    return render(request, "servicedesk/includes/report_where.html", context)


def initial_for(request: HttpRequest) -> dict[str, Any]:
    """What the screen knows already: the device (from a label or a link)
    and the reporter's phone number."""
    via = request.GET.get("via", "")
    return {
        "asset_tag": request.GET.get("asset", ""),
        "reporter_phone": getattr(request.user, "phone", ""),
        "source": Source.LABEL if via == "label" else Source.FORM,
    }


def find_asset(tag: str) -> Asset | None:
    if not tag.strip():
        return None
    return (
        Asset.objects.select_related("location", "department")
        .filter(tag__iexact=tag.strip())
        .first()
    )


def render_form(
    request: HttpRequest,
    form: forms.ReportForm,
    asset: Asset | None,
    *,
    duplicates: list[Ticket] | None = None,
    status: int = 200,
) -> HttpResponse:
    if duplicates is None:
        duplicates = service.open_duplicates(asset)
    context = {
        "form": form,
        "asset": asset,
        "duplicates": duplicates,
        # After a submit: the person must choose to join or report separately.
        "must_choose": request.method == "POST" and bool(duplicates),
        "category_icons": {str(k): v for k, v in forms.CATEGORY_ICONS.items()},
        "join_form": forms.JoinForm(),
    }
    return render(request, "servicedesk/report_form.html", context, status=status)


@login_required
def report_done(request: HttpRequest, pk: int) -> HttpResponse:
    """The confirmation: the reference to quote and how urgent it is."""
    ticket = ticket_for(request.user, pk)
    return render(request, "servicedesk/report_done.html", {"ticket": ticket})


@require_POST
@login_required
def join(request: HttpRequest, pk: int) -> HttpResponse:
    """Follow an open ticket on a device instead of reporting it again."""
    # Duplicates are offered only for devices, so only those can be joined.
    ticket = get_object_or_404(Ticket, pk=pk, asset__isnull=False)
    form = forms.JoinForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        service.join(ticket, request.user, note=note)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("servicedesk:report")
    messages.success(
        request,
        _("You now follow %(ticket)s: you will see its progress in My reports.")
        % {"ticket": ticket.reference},
    )
    return redirect(ticket)


@require_POST
@login_required
def confirm(request: HttpRequest, pk: int) -> HttpResponse:
    """The reporter confirms the fix with a rating; the ticket closes."""
    ticket = reporters_ticket(request, pk)
    form = forms.ConfirmForm(request.POST)
    if form.is_valid():
        try:
            service.confirm(
                ticket,
                user=request.user,
                rating=form.cleaned_data["rating"],
                feedback=form.cleaned_data["feedback"],
            )
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(
                request,
                _("Thank you: %(ticket)s is closed.") % {"ticket": ticket.reference},
            )
            return redirect("servicedesk:my-reports")
    context = reporter_context(request, ticket, confirm_form=form)
    return render(request, "servicedesk/ticket_reporter.html", context, status=400)


@require_POST
@login_required
def reopen(request: HttpRequest, pk: int) -> HttpResponse:
    """The fault is back: the reporter reopens with a reason."""
    ticket = reporters_ticket(request, pk)
    form = forms.ReopenForm(request.POST)
    if form.is_valid():
        try:
            service.move(
                ticket,
                TicketState.REOPENED,
                actor=request.user,
                note=form.cleaned_data["note"],
            )
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(
                request, _("%(ticket)s is reopened.") % {"ticket": ticket.reference}
            )
            return redirect("servicedesk:my-reports")
    context = reporter_context(request, ticket, reopen_form=form)
    return render(request, "servicedesk/ticket_reporter.html", context, status=400)


def reporters_ticket(request: HttpRequest, pk: int) -> Ticket:
    """The ticket, if the person asking reported it (only they confirm)."""
    ticket = ticket_for(request.user, pk)
    if ticket.reporter_id != request.user.pk:
        raise PermissionDenied
    return ticket
