"""Pages of restoring service: swap with a spare, RMAs, problems and their
candidates. Logic lives in services/swap.py, rma.py and problems.py."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ObjectDoesNotExist
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _
from django.views import generic
from django.views.decorators.http import require_POST

from wardkeeper.core.errors import DomainError
from wardkeeper.core.views.generic import (
    Column,
    ModelPermissionMixin,
    ObjectCreate,
    ObjectDetail,
    ObjectList,
    ObjectUpdate,
    style_form,
)
from wardkeeper.inventory.models import Asset
from wardkeeper.servicedesk.choices import ResolutionCode
from wardkeeper.servicedesk.models import Problem, Rma, Ticket
from wardkeeper.servicedesk.services import problems, rma, swap
from wardkeeper.servicedesk.views import restore_forms as f

WORK = "servicedesk.work_ticket"


def swap_panel(ticket: Ticket, user: Any) -> dict[str, Any]:
    """What the ticket's restore panel and the swap page show: the spare a
    swap would take (or why none), and the ticket's past swaps and RMAs."""
    panel: dict[str, Any] = {
        "swaps": list(ticket.swaps.select_related("faulty", "spare", "pool", "actor")),
        "rmas": list(ticket.rmas.select_related("vendor", "asset")),
        "can_swap": user.has_perm(WORK),
        "can_rma": user.has_perm("servicedesk.add_rma"),
        "choice": None,
        "refusal": "",
    }
    if not panel["can_swap"]:
        return panel
    try:
        asset = swap.check(ticket)
    except DomainError as exc:
        panel["refusal"] = exc.message
        return panel
    choice = swap.find_spare(asset)
    panel.update(asset=asset, choice=choice)
    if choice.spare is None:
        panel["refusal"] = _t(
            "No compatible spare is in stock; pools looked at: %(pools)s."
        ) % {"pools": choice.looked_at_text()}
    return panel


@login_required
@permission_required(WORK, raise_exception=True)
def ticket_swap(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: confirm the swap (the spare proposed); POST: do it."""
    ticket = get_object_or_404(Ticket.objects.select_related("asset"), pk=pk)
    if request.method == "POST":
        spare_id = request.POST.get("spare", "")
        spare = (
            Asset.objects.filter(pk=spare_id).first() if spare_id.isdigit() else None
        )
        try:
            record = swap.swap(ticket, actor=request.user, spare=spare)
        except DomainError as exc:
            messages.error(request, exc.message)
            return redirect(ticket.get_absolute_url())
        ticket.refresh_from_db()
        if not ticket.resolution_code:
            ticket.resolution_code = ResolutionCode.SWAPPED
            ticket.save()
        messages.success(
            request,
            _t("%(spare)s now stands in for %(faulty)s, which is in repair.")
            % {"spare": record.spare, "faulty": record.faulty},
        )
        return redirect(ticket.get_absolute_url())
    context = {"ticket": ticket, "back_url": ticket.get_absolute_url()}
    context.update(swap_panel(ticket, request.user))
    return render(request, "servicedesk/restore_swap.html", context)


@login_required
@permission_required(WORK, raise_exception=True)
@require_POST
def ticket_problem(request: HttpRequest, pk: int) -> HttpResponse:
    """Link the ticket to a problem (an empty choice unlinks it)."""
    ticket = get_object_or_404(Ticket, pk=pk)
    form = f.LinkProblemForm(request.POST)
    if form.is_valid():
        problems.link(ticket, form.cleaned_data["problem"])
        messages.success(request, _t("The ticket's problem was saved."))
    else:
        messages.error(request, _t("Choose a problem from the list."))
    return redirect(ticket.get_absolute_url())


# RMAs ---------------------------------------------------------------------


class RmaList(ObjectList):
    model = Rma
    queryset = Rma.objects.select_related("asset", "vendor", "ticket")
    filterset_class = f.RmaFilter
    columns = [
        Column(_("RMA"), "__str__", link=True),
        Column(_("State"), "state", badge=True),
        Column(_("Vendor"), "vendor"),
        Column(_("Requested"), "requested_at"),
        Column(_("Shipped"), "shipped_at"),
        Column(_("Returned"), "returned_at"),
        Column(_("Covered"), "covered", yesno=True),
    ]


class RmaDetail(ObjectDetail):
    model = Rma
    queryset = Rma.objects.select_related(
        "asset", "vendor", "contract", "ticket", "loaner", "loaner_home"
    )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        obj: Rma = self.object
        moves = rma.allowed_moves(obj)
        form = style_form(f.RmaMoveForm(moves=moves))
        now = timezone.now()
        context.update(
            moves=moves,
            move_form=form,
            response_met=obj.response_met(now),
            restore_met=obj.restore_met(now),
            can_lend=obj.loaner_id is None and obj.state in rma.AWAY,
        )
        return context


class RmaCreate(ModelPermissionMixin, generic.FormView):
    """A new RMA; from a ticket its asset, the covering contract and the
    contract's vendor are filled in."""

    model = Rma
    action = "add"
    form_class = f.RmaCreateForm
    template_name = "servicedesk/rma_form.html"

    def get_initial(self) -> dict[str, Any]:
        ticket = self.ticket()
        asset = ticket.asset if ticket else None
        tag = self.request.GET.get("asset")
        if asset is None and tag:
            asset = Asset.objects.filter(tag__iexact=tag).first()
        initial = rma.suggest(asset)
        if ticket is not None:
            initial.update(ticket=ticket.pk, fault=ticket.title)
        return initial

    def ticket(self) -> Ticket | None:
        pk = self.request.GET.get("ticket") or self.request.POST.get("ticket") or ""
        if not str(pk).isdigit():
            return None
        return Ticket.objects.select_related("asset").filter(pk=pk).first()

    def get_form(self, form_class: Any = None) -> Any:
        return style_form(super().get_form(form_class))

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        asset = self.get_initial().get("asset")
        contract = self.get_initial().get("contract")
        context.update(ticket=self.ticket(), asset=asset, suggested=contract)
        return context

    def form_valid(self, form: Any) -> HttpResponse:
        data = form.cleaned_data
        try:
            obj = rma.request(
                asset=data["asset"],
                vendor=data["vendor"],
                contract=data["contract"],
                ticket=self.ticket(),
                number=data["number"],
                fault=data["fault"],
                cost=data["cost"],
                notes=data["notes"],
                actor=self.request.user,
            )
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            return self.form_invalid(form)
        messages.success(self.request, _t("Saved %(object)s.") % {"object": obj})
        return HttpResponseRedirect(obj.get_absolute_url())


class RmaUpdate(ObjectUpdate):
    model = Rma
    form_class = f.RmaUpdateForm


@login_required
@permission_required("servicedesk.change_rma", raise_exception=True)
@require_POST
def rma_move(request: HttpRequest, pk: int) -> HttpResponse:
    obj = get_object_or_404(Rma, pk=pk)
    form = f.RmaMoveForm(request.POST)
    if not form.is_valid():
        messages.error(request, _t("Choose the state and a valid time."))
        return redirect(obj)
    data = form.cleaned_data
    try:
        obj = rma.move(
            obj, data["to"], actor=request.user, at=data["at"], note=data["note"]
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, _t("The RMA is %(state)s.") % {"state": obj.get_state_display()}
        )
    return redirect(obj)


@login_required
@permission_required("servicedesk.change_rma", raise_exception=True)
@require_POST
def rma_loaner(request: HttpRequest, pk: int) -> HttpResponse:
    obj = get_object_or_404(Rma, pk=pk)
    try:
        obj = rma.issue_loaner(obj, actor=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _t("%(loaner)s was lent.") % {"loaner": obj.loaner})
    return redirect(obj)


# Problems -------------------------------------------------------------------


class ProblemList(ObjectList):
    model = Problem
    queryset = Problem.objects.select_related("asset", "asset_model")
    filterset_class = f.ProblemFilter
    template_name = "servicedesk/problem_list.html"
    columns = [
        Column(_("Title"), "title", link=True),
        Column(_("Status"), "status", badge=True),
        Column(_("Model"), "asset_model"),
        Column(_("Asset"), "asset"),
        Column(_("Recorded"), "created_at"),
    ]


class ProblemDetail(ObjectDetail):
    model = Problem

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(
            tickets=self.object.tickets.select_related("asset").order_by("-created_at")[
                :200
            ],
            link_form=style_form(f.LinkTicketForm()),
        )
        return context


class ProblemCreate(ObjectCreate):
    """A new problem; from a ticket (``?ticket=``) that ticket is linked."""

    model = Problem
    form_class = f.ProblemForm

    def get_initial(self) -> dict[str, Any]:
        ticket = self.ticket()
        if ticket is None:
            return {}
        asset = ticket.asset
        return {
            "title": ticket.title,
            "asset": asset,
            "asset_model": asset.model_id if asset else None,
        }

    def ticket(self) -> Ticket | None:
        pk = self.request.GET.get("ticket", "")
        if not pk.isdigit() or not self.request.user.has_perm(WORK):
            return None
        return Ticket.objects.select_related("asset").filter(pk=pk).first()

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        ticket = self.ticket()
        problem = self.object
        if ticket is not None and problem is not None and problem.pk:
            problems.link(ticket, problem)
        return response


class ProblemUpdate(ObjectUpdate):
    model = Problem
    form_class = f.ProblemForm


@login_required
@permission_required("servicedesk.change_problem", raise_exception=True)
@require_POST
def problem_link_ticket(request: HttpRequest, pk: int) -> HttpResponse:
    problem = get_object_or_404(Problem, pk=pk)
    form = f.LinkTicketForm(request.POST)
    ticket = (
        Ticket.objects.for_reference(form.data.get("reference", "")).first()
        if form.is_valid()
        else None
    )
    if ticket is None:
        messages.error(request, _t("No ticket has that number."))
    else:
        problems.link(ticket, problem)
        messages.success(
            request, _t("%(ticket)s is linked.") % {"ticket": ticket.reference}
        )
    return redirect(problem)


class ProblemCandidates(ModelPermissionMixin, generic.TemplateView):
    """Assets and models failing again and again, not yet held by a problem."""

    model = Problem
    template_name = "servicedesk/problem_candidates.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(
            candidates=problems.candidates(timezone.now()),
            n=problems.configured_window()[0],
            days=problems.configured_window()[1],
            asset_kind=problems.ASSET,
        )
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.has_perm("servicedesk.add_problem"):
            messages.error(request, _t("You may not record problems."))
            return redirect("servicedesk:problem-candidates")
        kind, _sep, pk = request.POST.get("candidate", "").partition(":")
        try:
            problem = problems.create_from_candidate(
                kind, int(pk or 0), actor=request.user
            )
        except (DomainError, ObjectDoesNotExist, ValueError) as exc:
            messages.error(request, getattr(exc, "message", _t("Unknown candidate.")))
            return redirect("servicedesk:problem-candidates")
        messages.success(
            request,
            _t("Problem recorded with %(n)s tickets.") % {"n": problem.tickets.count()},
        )
        return redirect(problem)
