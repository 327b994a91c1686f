"""Checks: the list with filters, a check's page (state, latency chart,
outages, recent results) and the forms."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wardkeeper.core.views.generic import (
    Column,
    ObjectCreate,
    ObjectDelete,
    ObjectDetail,
    ObjectList,
    ObjectUpdate,
)
from wardkeeper.monitoring.filters import CheckFilter
from wardkeeper.monitoring.forms import CheckForm
from wardkeeper.monitoring.models import Check
from wardkeeper.monitoring.services import charts, state

RECENT_RESULTS = 30


class CheckList(ObjectList):
    model = Check
    filterset_class = CheckFilter
    template_name = "monitoring/check_list.html"
    filter_fields = ["q", "status", "team", "service"]
    filter_more = ["kind", "enabled"]
    columns = [
        Column(gettext_lazy("Status"), "status", badge=True),
        Column(gettext_lazy("Name"), "name", link=True),
        Column(gettext_lazy("Asset"), "asset"),
        Column(gettext_lazy("Kind"), "kind"),
        Column(gettext_lazy("Host"), "host", css="text-break"),
        Column(
            gettext_lazy("Service"),
            "service",
            css="wk-hide-empty",
            template="monitoring/cells/optional.html",
        ),
        Column(
            gettext_lazy("Since"),
            "status_since",
            css="wk-hide-empty",
            template="monitoring/cells/since.html",
        ),
        Column(
            gettext_lazy("Latency (ms)"),
            "last_latency_ms",
            css="text-end wk-hide-empty",
            template="monitoring/cells/latency.html",
        ),
    ]

    def get_queryset(self) -> QuerySet[Check]:
        return Check.objects.select_related("asset", "team")

    def get_filterset(self, filterset_class: Any) -> Any:
        filterset = super().get_filterset(filterset_class)
        for name in ("status", "kind"):
            field = filterset.form.fields[name]
            # Toggle chips, as on the ticket list, not a tall multiple select.
            field.widget = forms.CheckboxSelectMultiple(choices=field.choices)
        return filterset


class CheckDetail(ObjectDetail):
    model = Check

    def get_queryset(self) -> QuerySet[Check]:
        return Check.objects.select_related("asset", "team", "template")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        check = self.object
        results = list(check.results.order_by("-at")[:RECENT_RESULTS])
        state.show_newest(check, results[0] if results else None)
        span = self.request.GET.get("range", "24h")
        span = span if span in charts.RANGES else "24h"
        context.update(
            span=span,
            chart=charts.latency(check, span),
            chart_names={
                "latency": _("Latency (ms)"),
                "p50": _("Median (ms)"),
                "p95": _("95th percentile (ms)"),
                "outage": _("Outage"),
                "maintenance": _("Maintenance"),
            },
            parents=check.parents.all(),
            outages=check.outages.select_related("root_cause")[:20],
            results=results,
            alerts=check.alerts.all()[:10],
            has_secrets=bool(check.secrets),
        )
        return context


class CheckCreate(ObjectCreate):
    model = Check
    form_class = CheckForm

    def get_initial(self) -> dict[str, Any]:
        # "Add a check" from an asset's page starts from that asset.
        tag = self.request.GET.get("asset", "")
        return {"asset": tag} if tag else {}


class CheckUpdate(ObjectUpdate):
    model = Check
    form_class = CheckForm


class CheckDelete(ObjectDelete):
    model = Check
