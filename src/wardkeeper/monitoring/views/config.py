"""Maintenance windows, check templates (with "apply to every asset of this
type") and alert rules: the generic pages, configured."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from wardkeeper.core.errors import DomainError
from wardkeeper.core.views.generic import (
    Column,
    ObjectCreate,
    ObjectDelete,
    ObjectDetail,
    ObjectList,
    ObjectUpdate,
)
from wardkeeper.inventory.choices import AssetStatus
from wardkeeper.inventory.models import Asset
from wardkeeper.monitoring import filters, forms
from wardkeeper.monitoring.models import AlertRule, CheckTemplate, MaintenanceWindow
from wardkeeper.monitoring.services import templates


class MaintenanceWindowList(ObjectList):
    model = MaintenanceWindow
    filterset_class = filters.MaintenanceWindowFilter
    columns = [
        Column(gettext_lazy("Name"), "name", link=True),
        Column(gettext_lazy("Starts"), "starts_at"),
        Column(gettext_lazy("Duration (minutes)"), "duration", css="text-end"),
        Column(gettext_lazy("Repeats"), "recurrence"),
        Column(gettext_lazy("Repeats until"), "until"),
    ]


class MaintenanceWindowDetail(ObjectDetail):
    model = MaintenanceWindow


class MaintenanceWindowCreate(ObjectCreate):
    model = MaintenanceWindow
    form_class = forms.MaintenanceWindowForm
    template_name = "monitoring/maintenancewindow_form.html"


class MaintenanceWindowUpdate(ObjectUpdate):
    model = MaintenanceWindow
    form_class = forms.MaintenanceWindowForm
    template_name = "monitoring/maintenancewindow_form.html"


class MaintenanceWindowDelete(ObjectDelete):
    model = MaintenanceWindow


class CheckTemplateList(ObjectList):
    model = CheckTemplate
    filterset_class = filters.CheckTemplateFilter
    columns = [
        Column(gettext_lazy("Name"), "name", link=True),
        Column(gettext_lazy("Asset type"), "asset_type"),
        Column(gettext_lazy("Kind"), "kind"),
        Column(gettext_lazy("Interval (seconds)"), "interval", css="text-end"),
        Column(gettext_lazy("Active"), "is_active", yesno=True),
    ]

    def get_queryset(self) -> QuerySet[CheckTemplate]:
        return CheckTemplate.objects.select_related("asset_type")


class CheckTemplateDetail(ObjectDetail):
    model = CheckTemplate


class CheckTemplateCreate(ObjectCreate):
    model = CheckTemplate
    form_class = forms.CheckTemplateForm


class CheckTemplateUpdate(ObjectUpdate):
    model = CheckTemplate
    form_class = forms.CheckTemplateForm


class CheckTemplateDelete(ObjectDelete):
    model = CheckTemplate


@login_required
@permission_required("monitoring.add_check", raise_exception=True)
@require_POST
def apply_template(request: HttpRequest, pk: int) -> HttpResponse:
    """Give every asset of the template's type in use (and with an address)
    the template's check, unless it has it already."""
    template = get_object_or_404(CheckTemplate, pk=pk)
    assets = Asset.objects.filter(
        asset_type_id=template.asset_type_id, status=AssetStatus.IN_USE
    )
    try:
        with transaction.atomic():
            created = templates.apply(
                assets, CheckTemplate.objects.filter(pk=template.pk)
            )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("%(count)s checks added from %(template)s.")
            % {"count": len(created), "template": template},
        )
    return redirect("monitoring:checktemplate-detail", pk=pk)


class AlertRuleList(ObjectList):
    model = AlertRule
    filterset_class = filters.AlertRuleFilter
    columns = [
        Column(gettext_lazy("Order"), "order", css="text-end"),
        Column(gettext_lazy("Name"), "name", link=True),
        Column(gettext_lazy("At least this severe"), "max_severity"),
        Column(gettext_lazy("Team"), "team"),
        Column(gettext_lazy("Open a ticket"), "open_ticket", yesno=True),
        Column(gettext_lazy("Active"), "is_active", yesno=True),
    ]


class AlertRuleDetail(ObjectDetail):
    model = AlertRule


class AlertRuleCreate(ObjectCreate):
    model = AlertRule
    form_class = forms.AlertRuleForm


class AlertRuleUpdate(ObjectUpdate):
    model = AlertRule
    form_class = forms.AlertRuleForm


class AlertRuleDelete(ObjectDelete):
    model = AlertRule
