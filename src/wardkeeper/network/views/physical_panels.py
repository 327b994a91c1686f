"""Patch panels (with their ports and what each face is cabled to) and wall
outlets (with their cable and the way to trace it)."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Exists, OuterRef
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from wardkeeper.core.views.generic import (
    Column,
    ObjectCreate,
    ObjectDelete,
    ObjectDetail,
    ObjectList,
    ObjectUpdate,
)
from wardkeeper.network.forms_physical import (
    OutletFilter,
    OutletForm,
    PatchPanelFilter,
    PatchPanelForm,
)
from wardkeeper.network.models import CableEnd, Outlet, PatchPanel
from wardkeeper.network.services import trace as tracing

CELLS = "network/physical/cells"


class PatchPanelList(ObjectList):
    model = PatchPanel
    queryset = (
        PatchPanel.objects.select_related("location", "rack")
        .annotate(
            cabled=Count("panel_ports__cable_ends", distinct=True),
        )
        .order_by("location__full_name", "name", "pk")
    )
    filterset_class = PatchPanelFilter
    filter_fields = ("q", "site", "room", "medium")
    columns = [
        Column(_("Name"), "name", link=True),
        Column(_("Room"), "location"),
        Column(_("Rack"), "rack", template=f"{CELLS}/panel_rack.html"),
        Column(_("Medium"), "get_medium_display"),
        Column(_("Ports"), "ports", css="text-end"),
        Column(_("Cabled faces"), "cabled", css="text-end"),
    ]


class PatchPanelDetail(ObjectDetail):
    model = PatchPanel
    queryset = PatchPanel.objects.select_related("location", "rack")

    def get_template_names(self) -> list[str]:
        return ["network/physical/panel_detail.html"]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        panel = self.object
        ends = CableEnd.objects.filter(port__panel=panel).select_related("cable")
        # What is on the far end of each cable, in one more query.
        far = {
            (end.cable_id, end.side): end
            for end in CableEnd.objects.filter(
                cable__in=ends.values("cable")
            ).select_related("interface__device", "outlet", "port__panel")
        }
        faces: dict[tuple[int, str], dict[str, Any]] = {}
        for end in ends:
            other = far.get((end.cable_id, "b" if end.side == "a" else "a"))
            point = tracing.point_of(other) if other else None
            faces[(end.port_id, end.face)] = {  # type: ignore[index]
                "cable": end.cable,
                "to": tracing.point_label(point),
                "to_url": tracing.point_url(point),
            }
        ports = list(panel.panel_ports.all())
        for port in ports:
            port.front = faces.get((port.pk, "front"))
            port.rear = faces.get((port.pk, "rear"))
        context.update(
            ports=ports, can_cable=self.request.user.has_perm("network.add_cable")
        )
        return context


class PatchPanelCreate(ObjectCreate):
    model = PatchPanel
    form_class = PatchPanelForm


class PatchPanelUpdate(ObjectUpdate):
    model = PatchPanel
    form_class = PatchPanelForm


class PatchPanelDelete(ObjectDelete):
    model = PatchPanel


class OutletList(ObjectList):
    model = Outlet
    queryset = (
        Outlet.objects.select_related("location")
        .annotate(has_cable=Exists(CableEnd.objects.filter(outlet=OuterRef("pk"))))
        .order_by("label", "pk")
    )
    filterset_class = OutletFilter
    filter_fields = ("q", "site", "room", "kind", "cabled")
    columns = [
        Column(pgettext_lazy("network", "Label"), "label", link=True, css="wk-code"),
        Column(_("Room"), "location"),
        Column(_("Kind"), "get_kind_display"),
        Column(_("Cabled"), "has_cable", yesno=True),
        Column(_("Description"), "description"),
    ]


class OutletDetail(ObjectDetail):
    model = Outlet
    queryset = Outlet.objects.select_related("location")

    def get_template_names(self) -> list[str]:
        return ["network/physical/outlet_detail.html"]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        end = (
            CableEnd.objects.filter(outlet=self.object).select_related("cable").first()
        )
        context.update(
            cable=end.cable if end else None,
            can_cable=self.request.user.has_perm("network.add_cable"),
        )
        return context


class OutletCreate(ObjectCreate):
    model = Outlet
    form_class = OutletForm


class OutletUpdate(ObjectUpdate):
    model = Outlet
    form_class = OutletForm


class OutletDelete(ObjectDelete):
    model = Outlet
