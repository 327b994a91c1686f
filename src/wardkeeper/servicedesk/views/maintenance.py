"""Checklists and maintenance plans: the generic pages, plus a plan's next due
dates and recent work orders. Work orders and rounds are in
``maintenance_orders``."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wardkeeper.core.views.generic import (
    Column,
    ObjectCreate,
    ObjectDelete,
    ObjectDetail,
    ObjectList,
    ObjectUpdate,
)
from wardkeeper.servicedesk.maintenance_forms import (
    ChecklistFilter,
    ChecklistForm,
    ChecklistItemForm,
    MaintenancePlanFilter,
    MaintenancePlanForm,
)
from wardkeeper.servicedesk.models import (
    Checklist,
    ChecklistItem,
    MaintenancePlan,
    PlanKind,
)

RECENT_ORDERS = 20
NEXT_DUES = 6


class ChecklistList(ObjectList):
    model = Checklist
    filterset_class = ChecklistFilter
    columns = [
        Column(_("Name"), "name", link=True, css="fw-semibold"),
        Column(_("Description"), "description", css="wk-wrap"),
    ]


class ChecklistDetail(ObjectDetail):
    """A checklist and its items in order, each editable."""

    model = Checklist

    def get_template_names(self) -> list[str]:
        return ["servicedesk/maintenance_checklist_detail.html"]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(
            items=self.object.items.all(),
            plans=self.object.plans.all()[:50],
        )
        return context


class ChecklistCreate(ObjectCreate):
    model = Checklist
    form_class = ChecklistForm


class ChecklistUpdate(ObjectUpdate):
    model = Checklist
    form_class = ChecklistForm


class ChecklistDelete(ObjectDelete):
    model = Checklist


class BackToChecklist:
    """Items are edited from their checklist's page and go back there."""

    def get_success_url(self: Any) -> str:
        return str(self.object.get_absolute_url())


class ChecklistItemCreate(BackToChecklist, ObjectCreate):
    model = ChecklistItem
    form_class = ChecklistItemForm

    def get_initial(self) -> dict[str, Any]:
        checklist = get_object_or_404(Checklist, pk=self.kwargs["checklist"])
        last = checklist.items.order_by("-position").first()
        return {"position": (last.position + 10) if last else 10}

    def form_valid(self, form: Any) -> HttpResponse:
        form.instance.checklist = get_object_or_404(
            Checklist, pk=self.kwargs["checklist"]
        )
        return super().form_valid(form)


class ChecklistItemUpdate(BackToChecklist, ObjectUpdate):
    model = ChecklistItem
    form_class = ChecklistItemForm


class ChecklistItemDelete(BackToChecklist, ObjectDelete):
    model = ChecklistItem

    def refusal(self, obj: Any) -> str:
        if obj.answers.exists():
            return str(_("This item has answers on work orders: it is kept."))
        return ""


def checklist_item_page(request: HttpRequest, pk: int) -> HttpResponse:
    """An item has no page of its own: its checklist's page shows it."""
    return redirect(get_object_or_404(ChecklistItem, pk=pk).get_absolute_url())


def checklist_items(request: HttpRequest) -> HttpResponse:
    return redirect("servicedesk:checklist-list")


class MaintenancePlanList(ObjectList):
    model = MaintenancePlan
    queryset = MaintenancePlan.objects.select_related("checklist", "team")
    filterset_class = MaintenancePlanFilter
    filter_fields = ("q", "kind", "team", "is_active")
    filter_more = ("checklist",)
    columns = [
        Column(_("Name"), "name", link=True, css="fw-semibold"),
        Column(_("Kind"), "kind", badge=True),
        Column(_("Schedule"), "schedule_label"),
        Column(_("Checklist"), "checklist"),
        Column(_("Team"), "team"),
        Column(_("Active"), "is_active", yesno=True),
    ]


class MaintenancePlanDetail(ObjectDetail):
    """A plan's scope, schedule, next due dates and recent work orders."""

    model = MaintenancePlan
    queryset = MaintenancePlan.objects.select_related("checklist", "team")

    def get_template_names(self) -> list[str]:
        return ["servicedesk/maintenance_plan_detail.html"]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        plan: MaintenancePlan = self.object
        today = timezone.localdate()
        recent = plan.work_orders.select_related(
            "asset", "location", "assignee"
        ).order_by("-due_on", "-id")
        context.update(
            today=today,
            next_dues=plan.next_due_dates(today, NEXT_DUES),
            recent_orders=recent[:RECENT_ORDERS],
            orders_url=reverse("servicedesk:workorder-list") + f"?plan={plan.pk}",
            asset_types=plan.asset_types.all(),
            asset_models=plan.asset_models.select_related("manufacturer"),
            places=plan.locations.all(),
        )
        return context


class MaintenancePlanCreate(ObjectCreate):
    model = MaintenancePlan
    form_class = MaintenancePlanForm

    def get_initial(self) -> dict[str, Any]:
        initial: dict[str, Any] = {"starts_on": timezone.localdate()}
        if self.request.GET.get("kind") in PlanKind.values:
            initial["kind"] = self.request.GET["kind"]
        return initial


class MaintenancePlanUpdate(ObjectUpdate):
    model = MaintenancePlan
    form_class = MaintenancePlanForm


class MaintenancePlanDelete(ObjectDelete):
    model = MaintenancePlan

    def refusal(self, obj: Any) -> str:
        if obj.work_orders.exists():
            return str(
                _("This plan has work orders: make it inactive instead of deleting it.")
            )
        return ""
