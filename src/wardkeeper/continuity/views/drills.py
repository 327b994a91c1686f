"""Drill pages: schedule, the drill's page, the phone-first run page (the
steps ready now, big Start / Done / Problem / Skip buttons, a ticket for an
issue found, elapsed time against the RTO), finish with lessons, and the
lessons-learned report as a PDF."""

from __future__ import annotations

from functools import partial
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _

from wardkeeper.continuity.choices import DrillState, StepOutcome
from wardkeeper.continuity.forms_plans import (
    DrillFilter,
    DrillFinishForm,
    DrillForm,
    IssueForm,
    StepNotesForm,
)
from wardkeeper.continuity.models import Drill, DrillStep
from wardkeeper.continuity.services import drill_pdf, drills
from wardkeeper.continuity.views.buttons import act, button
from wardkeeper.core.views.generic import (
    Column,
    ObjectCreate,
    ObjectDelete,
    ObjectDetail,
    ObjectList,
    ObjectUpdate,
    style_form,
)

CELLS = "continuity/runbook_cells"
OUTCOMES = {
    "done": StepOutcome.DONE,
    "problem": StepOutcome.PROBLEM,
    "skip": StepOutcome.SKIPPED,
}


class DrillList(ObjectList):
    model = Drill
    queryset = Drill.objects.select_related("runbook__system", "leader").order_by(
        "-scheduled_for", "pk"
    )
    filterset_class = DrillFilter
    filter_fields = ("q", "state", "system")
    columns = [
        Column(_("Title"), "title", link=True),
        Column(_("System"), "runbook.system"),
        Column(_("Scheduled for"), "scheduled_for"),
        Column(_("State"), "state", template=f"{CELLS}/drill_state.html"),
        Column(_("Leader"), "leader"),
    ]


def _drill_context(drill: Drill, user: Any) -> dict[str, Any]:
    """What the drill's page and its run page both show."""
    running = drill.state == DrillState.RUNNING
    return {
        "result": drills.result(drill),
        "system": drill.runbook.system,
        "can_run": running and user.has_perm("continuity.change_drillstep"),
        "can_drive": user.has_perm("continuity.change_drill"),
        "is_running": running,
        "is_planned": drill.state == DrillState.PLANNED,
        "is_finished": drill.state == DrillState.FINISHED,
    }


class DrillDetail(ObjectDetail):
    model = Drill
    queryset = Drill.objects.select_related("runbook__system", "leader")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        drill = self.object
        context.update(_drill_context(drill, self.request.user))
        context["steps"] = drill.steps.select_related(
            "done_by", "ticket"
        ).prefetch_related("depends_on")
        context["can_delete"] = context["can_delete"] and drill.started_at is None
        return context


class DrillCreate(ObjectCreate):
    model = Drill
    form_class = DrillForm
    initial_from_query = ("runbook",)


class DrillUpdate(ObjectUpdate):
    """A planned drill's schedule; once finished, its RPO and lessons."""

    model = Drill

    def get_form_class(self) -> Any:
        if self.object.state == DrillState.PLANNED:
            return DrillForm
        return DrillFinishForm


class DrillDelete(ObjectDelete):
    model = Drill

    def refusal(self, obj: Any) -> str:
        if obj.started_at is not None:
            return _t("A drill that ran is kept as a record.")
        return ""


def _run_url(drill_id: int) -> str:
    return reverse("continuity:drill-run", args=[drill_id])


@button("continuity.change_drill")
def drill_start(request: HttpRequest, pk: int) -> HttpResponse:
    drill = get_object_or_404(Drill, pk=pk)
    response = act(
        request,
        partial(drills.start_drill, drill, actor=request.user),
        _run_url(drill.pk),
        _t("The drill has started."),
    )
    drill.refresh_from_db()
    if drill.state == DrillState.PLANNED:  # refused: stay on the drill's page
        return redirect("continuity:drill-detail", drill.pk)
    return response


@button("continuity.change_drill")
def drill_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    drill = get_object_or_404(Drill, pk=pk)
    call = partial(drills.cancel_drill, drill, actor=request.user)
    return act(request, call, reverse("continuity:drill-detail", args=[drill.pk]))


@login_required
@permission_required("continuity.view_drill", raise_exception=True)
def drill_run(request: HttpRequest, pk: int) -> HttpResponse:
    """The page people keep open on a phone while the drill runs."""
    drill = get_object_or_404(Drill.objects.select_related("runbook__system"), pk=pk)
    if drill.state == DrillState.PLANNED:
        return redirect("continuity:drill-detail", drill.pk)
    steps = list(drill.steps.select_related("done_by", "ticket").order_by("position"))
    ready = {step.pk for step in drills.ready_steps(drill)}
    context = _drill_context(drill, request.user)
    context.update(
        drill=drill,
        ready=[step for step in steps if step.pk in ready],
        others=[step for step in steps if step.pk not in ready],
        done_count=sum(1 for step in steps if step.outcome in drills.FINISHED),
        step_count=len(steps),
        notes_form=style_form(StepNotesForm()),
        issue_form=style_form(IssueForm()),
        stamp=drills.stamp(drill),
    )
    return render(request, "continuity/drill_run.html", context)


@login_required
@permission_required("continuity.view_drill", raise_exception=True)
def drill_stamp(request: HttpRequest, pk: int) -> JsonResponse:
    """Where the drill stands, as a fingerprint: the run page polls it."""
    drill = get_object_or_404(Drill, pk=pk)
    return JsonResponse({"stamp": drills.stamp(drill), "state": drill.state})


@button("continuity.change_drillstep")
def step_act(request: HttpRequest, pk: int) -> HttpResponse:
    """Start, finish (done / problem / skip) or note a step of the drill."""
    step = get_object_or_404(DrillStep.objects.select_related("drill"), pk=pk)
    form = StepNotesForm(request.POST)
    notes = form.cleaned_data["notes"] if form.is_valid() else ""
    action = request.POST.get("action", "")

    def work() -> None:
        if action == "start":
            drills.start_step(step, actor=request.user)
            if notes:
                drills.note_step(step, notes, actor=request.user)
        elif action in OUTCOMES:
            drills.finish_step(step, OUTCOMES[action], actor=request.user, notes=notes)
        else:
            drills.note_step(step, notes, actor=request.user)

    back = _run_url(step.drill_id)
    return act(request, work, back, onward=lambda _: f"{back}#step-{step.pk}")


@button("continuity.change_drillstep")
def step_issue(request: HttpRequest, pk: int) -> HttpResponse:
    """Raise a service-desk ticket for an issue the drill found at a step."""
    step = get_object_or_404(DrillStep.objects.select_related("drill"), pk=pk)
    back = _run_url(step.drill_id)
    form = IssueForm(request.POST)
    if not form.is_valid():
        messages.error(request, _t("Give the issue a title."))
        return redirect(back)
    return act(
        request,
        partial(drills.raise_issue, step, actor=request.user, **form.cleaned_data),
        back,
        lambda ticket: _t("Opened ticket %(ticket)s.") % {"ticket": ticket.reference},
        lambda _: f"{back}#step-{step.pk}",
    )


@login_required
@permission_required("continuity.change_drill", raise_exception=True)
def drill_finish(request: HttpRequest, pk: int) -> HttpResponse:
    """End the drill: the achieved RPO (data lost) and the lessons learned."""
    drill = get_object_or_404(Drill.objects.select_related("runbook__system"), pk=pk)
    form = DrillFinishForm(request.POST or None, instance=drill)
    if request.method == "POST" and form.is_valid():
        return act(
            request,
            partial(
                drills.finish_drill, drill, actor=request.user, **form.cleaned_data
            ),
            reverse("continuity:drill-detail", args=[drill.pk]),
            _t("The drill is finished."),
        )
    context = {"drill": drill, "form": style_form(form)}
    context.update(_drill_context(drill, request.user))
    return render(request, "continuity/drill_finish.html", context)


@login_required
@permission_required("continuity.view_drill", raise_exception=True)
def drill_report(request: HttpRequest, pk: int) -> HttpResponse:
    drill = get_object_or_404(
        Drill.objects.select_related("runbook__system", "leader"), pk=pk
    )
    response = HttpResponse(
        drill_pdf.drill_report_pdf(drill), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'inline; filename="drill-{drill.pk}-report.pdf"'
    return response
