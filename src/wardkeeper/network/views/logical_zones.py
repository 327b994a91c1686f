"""Zones (with their VLANs, prefixes and pollers) and the flow policy page:
the zone-by-zone matrix and the rules behind it."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required, permission_required
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from wardkeeper.core.views.generic import (
    Column,
    ObjectCreate,
    ObjectDelete,
    ObjectDetail,
    ObjectList,
    ObjectUpdate,
)
from wardkeeper.monitoring.models import Poller
from wardkeeper.network.forms_logical import FlowRuleForm, ZoneFilter, ZoneForm
from wardkeeper.network.models import FlowRule, Zone
from wardkeeper.network.services import ipam, zones
from wardkeeper.network.services.segmentation import probe_notes, probe_plans

CELLS = "network/logical/cells"


class ZoneList(ObjectList):
    model = Zone
    template_name = "network/logical/list.html"
    queryset = Zone.objects.annotate(
        vlan_count=Count("vlans", distinct=True),
        prefix_count=Count("prefixes", distinct=True),
        poller_count=Count("pollers", distinct=True),
    ).order_by("name")
    filterset_class = ZoneFilter
    columns = [
        Column(_("Name"), "name", template=f"{CELLS}/zone_name.html"),
        Column(_("Kind"), "kind"),
        Column(_("Criticality"), "criticality", template=f"{CELLS}/criticality.html"),
        Column(_("VLANs"), "vlan_count", css="text-end"),
        Column(_("Prefixes"), "prefix_count", css="text-end"),
        Column(_("Pollers"), "poller_count", css="text-end"),
    ]


class ZoneDetail(ObjectDetail):
    model = Zone

    def get_template_names(self) -> list[str]:
        return ["network/logical/zone_detail.html"]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        zone = self.object
        context.update(
            vlans=zone.vlans.select_related("site")[:200],
            prefixes=ipam.measured(zone.prefixes.select_related("vlan", "site")),
            pollers=Poller.objects.filter(zone=zone).order_by("name"),
            rules_out=zone.flows_out.count(),
            rules_in=zone.flows_in.count(),
        )
        return context


class ZoneCreate(ObjectCreate):
    model = Zone
    form_class = ZoneForm


class ZoneUpdate(ObjectUpdate):
    model = Zone
    form_class = ZoneForm


class ZoneDelete(ObjectDelete):
    model = Zone


@login_required
@permission_required("network.view_flowrule", raise_exception=True)
def policy(request: HttpRequest) -> HttpResponse:
    """The flow policy: rows are the source zones, columns the destinations."""
    all_zones = list(Zone.objects.order_by("name"))
    rules = list(
        FlowRule.objects.select_related("source", "destination").order_by(
            "action", "service", "pk"
        )
    )
    plans = probe_plans(rules)
    for rule in rules:
        rule.plan = plans[rule.pk]  # type: ignore[attr-defined]
    return render(
        request,
        "network/logical/policy.html",
        {
            "zones": all_zones,
            "rows": zones.policy_matrix(all_zones, rules),
            "rules": rules,
            "rule_count": len(rules),
            "unverified": sum(1 for plan in plans.values() if not plan.verified),
            "can_add": request.user.has_perm("network.add_flowrule"),
            "can_change": request.user.has_perm("network.change_flowrule"),
        },
    )


class _PolicyReturn:
    def get_success_url(self) -> str:
        return reverse("network:policy")


class FlowRuleDetail(ObjectDetail):
    model = FlowRule

    def get_template_names(self) -> list[str]:
        return ["network/logical/flowrule_detail.html"]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["notes"] = probe_notes(self.object)
        return context


class FlowRuleCreate(_PolicyReturn, ObjectCreate):
    model = FlowRule
    form_class = FlowRuleForm

    initial_from_query = ("source", "destination", "action")


class FlowRuleUpdate(_PolicyReturn, ObjectUpdate):
    model = FlowRule
    form_class = FlowRuleForm


class FlowRuleDelete(_PolicyReturn, ObjectDelete):
    model = FlowRule
