"""Runbook pages: list, a version's page (steps, timing against the RTO,
versions), drafting and editing steps, approval, new version, printable PDF;
and the drill coverage of critical systems (page and CSV)."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.db.models import Count, QuerySet
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _

from wardkeeper.continuity.choices import RunbookState
from wardkeeper.continuity.forms_plans import (
    CoverageFilter,
    RunbookFilter,
    RunbookForm,
    RunbookStepForm,
)
from wardkeeper.continuity.models import Drill, Runbook, RunbookStep
from wardkeeper.continuity.services import (
    drills,
    pdf_base,
    plans_pdf,
    runbook_reviews,
    runbooks,
)
from wardkeeper.continuity.views.buttons import act, button
from wardkeeper.continuity.views.systems import with_spans
from wardkeeper.core.views.generic import (
    Column,
    ObjectCreate,
    ObjectDelete,
    ObjectDetail,
    ObjectList,
    ObjectUpdate,
    style_form,
)
from wardkeeper.inventory.transfer.http import file_response

CELLS = "continuity/runbook_cells"
STEP_FORM = "continuity/runbook_step_form.html"


class ActorFormMixin:
    """Hands the signed-in user to forms whose ``save()`` calls a service."""

    request: HttpRequest

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()  # type: ignore[misc]
        kwargs["actor"] = self.request.user
        return kwargs


class RunbookList(ObjectList):
    model = Runbook
    queryset = (
        Runbook.objects.select_related("system")
        .annotate(step_count=Count("steps"))
        .order_by("system__name", "-version")
    )
    filterset_class = RunbookFilter
    filter_fields = ("q", "system", "state")
    columns = [
        Column(_("Title"), "title", link=True),
        Column(_("System"), "system"),
        Column(_("Version"), "version", css="text-end"),
        Column(_("State"), "state", template=f"{CELLS}/state.html"),
        Column(_("Steps"), "step_count", css="text-end"),
        Column(_("Approved"), "approved_at"),
    ]


class RunbookDetail(ObjectDetail):
    model = Runbook
    queryset = Runbook.objects.select_related(
        "system__vendor", "approved_by", "author", "edited_by", "previous"
    ).prefetch_related("steps__depends_on")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        runbook, user = self.object, self.request.user
        draft = runbook.state == RunbookState.DRAFT
        timing = runbooks.timing(runbook)
        context.update(
            steps=timing.steps,
            timing=timing,
            path_ids={step.pk for step in timing.path},
            versions=runbooks.versions_of(runbook).select_related("approved_by"),
            drills=runbook.drills.order_by("-scheduled_for")[:20],
            is_draft=draft,
            can_change=draft and context["can_change"],
            can_delete=draft and context["can_delete"],
            can_edit_steps=draft and user.has_perm("continuity.change_runbookstep"),
            can_approve=runbooks.can_approve(runbook, user),
            can_ask_review=draft and user.has_perm("continuity.change_runbook"),
            reviews=runbook.reviews.select_related("by"),
            changes_asked=runbook_reviews.changes_asked(runbook) if draft else None,
            four_eyes=draft
            and user.has_perm(runbooks.APPROVE_PERMISSION)
            and not runbooks.can_approve(runbook, user),
            can_new_version=not draft
            and user.has_perm("continuity.add_runbook")
            and not runbooks.versions_of(runbook)
            .filter(state=RunbookState.DRAFT)
            .exists(),
            can_schedule=runbook.state == RunbookState.APPROVED
            and user.has_perm("continuity.add_drill"),
            step_form=style_form(RunbookStepForm(runbook=runbook)) if draft else None,
        )
        return context


class RunbookCreate(ActorFormMixin, ObjectCreate):
    model = Runbook
    form_class = RunbookForm
    initial_from_query = ("system",)


class RunbookUpdate(ActorFormMixin, ObjectUpdate):
    model = Runbook
    form_class = RunbookForm

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        runbook = self.get_object()
        if runbook.state != RunbookState.DRAFT:
            messages.info(
                request, _t("An approved version is frozen: start a new version.")
            )
            return redirect("continuity:runbook-detail", runbook.pk)
        return super().get(request, *args, **kwargs)


class RunbookDelete(ObjectDelete):
    model = Runbook

    def refusal(self, obj: Any) -> str:
        if obj.state != RunbookState.DRAFT:
            return _t("Approved and superseded versions are kept as a record.")
        return ""


def _runbook_url(runbook_id: int, anchor: str = "") -> str:
    return reverse("continuity:runbook-detail", args=[runbook_id]) + anchor


class StepFormMixin(ActorFormMixin):
    """Steps are edited on their runbook's page: they come back there."""

    object: Any

    def runbook(self) -> Runbook:
        raise NotImplementedError

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["runbook"] = self.runbook()
        return kwargs

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)  # type: ignore[misc]
        context["runbook"] = self.runbook()
        return context

    def get_success_url(self) -> str:
        return _runbook_url(self.object.runbook_id)


class RunbookStepCreate(StepFormMixin, ObjectCreate):
    model = RunbookStep
    form_class = RunbookStepForm
    template_name = STEP_FORM

    def runbook(self) -> Runbook:
        return get_object_or_404(Runbook, pk=self.kwargs["runbook"])


class RunbookStepUpdate(StepFormMixin, ObjectUpdate):
    model = RunbookStep
    form_class = RunbookStepForm
    template_name = STEP_FORM

    def runbook(self) -> Runbook:
        return self.get_object().runbook


@login_required
def step_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A step is shown on its runbook's page."""
    step = get_object_or_404(RunbookStep, pk=pk)
    return redirect(_runbook_url(step.runbook_id, f"#step-{step.pk}"))


@button("continuity.delete_runbookstep")
def step_delete(request: HttpRequest, pk: int) -> HttpResponse:
    step = get_object_or_404(RunbookStep, pk=pk)
    done = _t("Deleted %(object)s.") % {"object": step}
    call = partial(runbooks.delete_step, step, actor=request.user)
    return act(request, call, _runbook_url(step.runbook_id), done)


@button("continuity.change_runbookstep")
def step_move(request: HttpRequest, pk: int) -> HttpResponse:
    step = get_object_or_404(RunbookStep, pk=pk)
    offset = -1 if request.POST.get("direction") == "up" else 1
    call = partial(runbooks.move_step, step, offset, actor=request.user)
    return act(request, call, _runbook_url(step.runbook_id, f"#step-{step.pk}"))


def _review(
    request: HttpRequest, pk: int, step: Callable[..., Any], done: Any, back: str
) -> HttpResponse:
    """One step of a draft's review (runbook_reviews), with the form's text."""
    runbook = get_object_or_404(Runbook, pk=pk)
    text = request.POST.get("text", "")
    call = partial(step, runbook, actor=request.user, text=text)
    return act(request, call, _runbook_url(runbook.pk, back), done)


@button(runbooks.APPROVE_PERMISSION)
def runbook_approve(request: HttpRequest, pk: int) -> HttpResponse:
    """Approve a draft, with the reviewer's remark if any."""
    return _review(
        request,
        pk,
        runbook_reviews.approve,
        lambda runbook: _t("Approved %(object)s.") % {"object": runbook},
        "",
    )


@button(runbooks.APPROVE_PERMISSION)
def runbook_changes(request: HttpRequest, pk: int) -> HttpResponse:
    """Send a draft back to its drafters with what to change."""
    done = _t("Sent back to its drafters with your comment.")
    return _review(request, pk, runbook_reviews.ask_for_changes, done, "#review")


@button("continuity.change_runbook")
def runbook_ask_review(request: HttpRequest, pk: int) -> HttpResponse:
    """Tell the people who may approve that the draft is ready."""
    done = _t("The people who may approve runbooks were asked to review it.")
    return _review(request, pk, runbook_reviews.ask_for_review, done, "#review")


@button("continuity.add_runbook")
def runbook_new_version(request: HttpRequest, pk: int) -> HttpResponse:
    runbook = get_object_or_404(Runbook, pk=pk)
    return act(
        request,
        partial(runbooks.new_version, runbook, actor=request.user),
        _runbook_url(pk),
        lambda draft: _t("Started version %(v)s as a draft.") % {"v": draft.version},
        lambda draft: _runbook_url(draft.pk),
    )


@login_required
@permission_required("continuity.view_runbook", raise_exception=True)
def runbook_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    rows = Runbook.objects.select_related("system__vendor", "approved_by")
    runbook = get_object_or_404(rows.prefetch_related("steps__depends_on"), pk=pk)
    response = HttpResponse(
        plans_pdf.runbook_pdf(runbook), content_type="application/pdf"
    )
    name = f"runbook-{runbook.system_id}-v{runbook.version}.pdf"
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response


class Coverage(ObjectList):
    """Critical and high systems with no finished drill in twelve months
    first, then every other system with the date of its last drill."""

    model = Drill
    template_name = "continuity/coverage.html"
    filterset_class = CoverageFilter
    columns = [
        Column(_("System"), "name"),
        Column(_("Criticality"), "get_criticality_display"),
        Column(_("RTO"), "rto_text"),
        Column(_("Last drill"), "last_drill", template=f"{CELLS}/last_drill.html"),
    ]

    def get_queryset(self) -> QuerySet[Any]:
        return drills.coverage()

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        # The RTO as every other page says it ("4 h", "1 d"), not in minutes.
        context["object_list"] = with_spans(list(context["object_list"]))
        return context

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        fmt = request.GET.get("format")
        if fmt in ("csv", "xlsx"):
            return self.export(fmt)
        return super().get(request, *args, **kwargs)

    def export(self, fmt: str) -> HttpResponseBase:
        rows = CoverageFilter(self.request.GET, queryset=self.get_queryset()).qs
        header = [
            _t("System"),
            _t("Criticality"),
            _t("RTO (minutes)"),
            _t("Last drill"),
            _t("No drill in 12 months"),
        ]
        lines = (
            [
                row.name,
                row.get_criticality_display(),
                row.rto_minutes,
                pdf_base.when(row.last_drill) if row.last_drill else "",
                _t("yes") if row.uncovered else _t("no"),
            ]
            for row in rows.iterator()
        )
        stamp = timezone.localdate().isoformat()
        return file_response(
            "coverage", fmt, header, lines, f"drill-coverage-{stamp}.{fmt}"
        )
