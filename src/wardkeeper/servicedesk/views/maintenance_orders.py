"""Work orders: the lists (all, mine, overdue), and the one page an engineer
does a work order or an inspection round on, from a phone."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from wardkeeper.core.errors import DomainError
from wardkeeper.core.views.generic import (
    Column,
    ObjectDetail,
    ObjectList,
    ObjectUpdate,
    style_form,
)
from wardkeeper.servicedesk.maintenance_forms import (
    AssignForm,
    ChecklistAnswerForm,
    SkipForm,
    WorkOrderFilter,
)
from wardkeeper.servicedesk.models import WorkOrder
from wardkeeper.servicedesk.services import maintenance as service

ORDER_RELATED = ("plan", "asset", "location", "assignee", "team", "ticket")


class WorkOrderList(ObjectList):
    """Every work order, soonest due first; filter by state, plan, overdue."""

    model = WorkOrder
    queryset = WorkOrder.objects.select_related(*ORDER_RELATED)
    filterset_class = WorkOrderFilter
    template_name = "servicedesk/workorder_list.html"
    filter_fields: Sequence[str] | None = ("state", "plan", "overdue")
    filter_more: Sequence[str] = ("team", "assignee", "due_on")
    title = gettext_lazy("Work orders")
    columns = [
        Column(gettext_lazy("Work order"), "reference", link=True, css="wk-code"),
        Column(gettext_lazy("Plan"), "plan.name", css="wk-wrap"),
        Column(
            gettext_lazy("Asset or place"),
            "target",
            css="wk-wrap",
            template="servicedesk/workorder_cell_target.html",
        ),
        Column(
            gettext_lazy("Due"),
            "due_on",
            template="servicedesk/workorder_cell_due.html",
        ),
        Column(gettext_lazy("State"), "state", badge=True),
        Column(gettext_lazy("Engineer"), "assignee"),
    ]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(title=self.title, today=timezone.localdate())
        return context


class MyWorkOrders(WorkOrderList):
    """Open work orders assigned to me, or unassigned in my teams."""

    title = gettext_lazy("My work orders")
    permission_required = "servicedesk.do_workorder"
    filter_fields = ("plan",)
    filter_more = ()

    def get_queryset(self) -> Any:
        return super().get_queryset().open().for_engineer(self.request.user)


class OverdueWorkOrders(WorkOrderList):
    """Open work orders past their due date, the most overdue first."""

    title = gettext_lazy("Overdue work orders")
    filter_fields = ("plan", "team", "assignee")
    filter_more = ()

    def get_queryset(self) -> Any:
        return super().get_queryset().overdue(timezone.localdate())


class WorkOrderDetail(ObjectDetail):
    """The work order's checklist, answered in place (when it is open and the
    reader may do it), or its answers once done."""

    model = WorkOrder
    queryset = WorkOrder.objects.select_related(*ORDER_RELATED, "completed_by")
    form: ChecklistAnswerForm | None = None

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        order: WorkOrder = self.object
        form = self.form or answer_form(order)
        answers = {a.item_id: a for a in order.answers.select_related("answered_by")}
        context.update(
            form=form,
            rows=[(item, field, answers.get(item.pk)) for item, field in form.rows()],
            can_do=order.is_open
            and self.request.user.has_perm("servicedesk.do_workorder"),
            skip_form=style_form(SkipForm()),
            overdue=order.is_overdue(timezone.localdate()),
        )
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        """Save the answers; "Complete" also closes the work order."""
        if not request.user.has_perm("servicedesk.do_workorder"):
            raise PermissionDenied
        order = self.object = self.get_object()
        form = answer_form(order, request.POST)
        complete = "complete" in request.POST
        if form.is_valid():
            try:
                order = service.record(
                    order, form.readings(), actor=request.user, complete=complete
                )
            except DomainError as exc:
                form.add_error(None, exc.message)
            else:
                return self.saved(order, complete)
        self.form = form
        response = self.render_to_response(self.get_context_data())
        response.status_code = 400
        return response

    def saved(self, order: WorkOrder, complete: bool) -> HttpResponse:
        done = _("Work order completed.") if complete else _("Answers saved.")
        messages.success(self.request, done)
        return redirect(order)


def answer_form(order: WorkOrder, data: Any = None) -> ChecklistAnswerForm:
    items = list(order.plan.checklist.items.all())
    answers = {answer.item_id: answer for answer in order.answers.all()}
    return ChecklistAnswerForm(items, answers, data)


@login_required
@permission_required("servicedesk.do_workorder", raise_exception=True)
@require_POST
def workorder_skip(request: HttpRequest, pk: int) -> HttpResponse:
    order = get_object_or_404(WorkOrder, pk=pk)
    form = SkipForm(request.POST)
    try:
        reason = form.data.get("reason", "")
        service.skip(order, reason=str(reason), actor=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Work order skipped."))
    return redirect(order)


class WorkOrderAssign(ObjectUpdate):
    """Give the work order to an engineer (or take it back to the team)."""

    model = WorkOrder
    form_class = AssignForm
