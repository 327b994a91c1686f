"""Device interfaces: a list fast at 100,000 rows (one query for the page,
one for the count), and each interface's page."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from wardkeeper.core.views.generic import (
    Column,
    ObjectCreate,
    ObjectDelete,
    ObjectDetail,
    ObjectList,
    ObjectUpdate,
)
from wardkeeper.network.choices import UNCABLED_KINDS, InterfaceKind
from wardkeeper.network.forms_physical import InterfaceFilter, InterfaceForm
from wardkeeper.network.models import CableEnd, Interface
from wardkeeper.network.services import trace as tracing
from wardkeeper.network.services import traffic_reports as reports

CELLS = "network/physical/cells"


class InterfaceList(ObjectList):
    model = Interface
    # Ordered by the unique (device, name) pair: its index serves the page.
    queryset = Interface.objects.select_related("device", "untagged_vlan").order_by(
        "device_id", "name"
    )
    filterset_class = InterfaceFilter
    filter_fields = ("q", "tag", "kind", "enabled", "mode")
    filter_more = ("untagged_vlan",)
    columns = [
        Column(_("Device"), "device", template=f"{CELLS}/device.html"),
        Column(_("Name"), "name", link=True, css="wk-code"),
        Column(_("Type"), "get_kind_display"),
        Column(_("Speed (Mbit/s)"), "speed_mbps", css="text-end"),
        Column(_("Enabled"), "enabled", yesno=True),
        Column(_("VLAN mode"), "get_mode_display"),
        Column(_("Untagged VLAN"), "untagged_vlan"),
        Column(_("MAC address"), "mac_address", css="wk-code"),
    ]


class InterfaceDetail(ObjectDetail):
    model = Interface
    queryset = Interface.objects.select_related("device", "untagged_vlan", "lag")

    def get_template_names(self) -> list[str]:
        return ["network/physical/interface_detail.html"]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        interface = self.object
        end = (
            CableEnd.objects.filter(interface=interface).select_related("cable").first()
        )
        far = tracing.trace(interface) if end else None
        peer = far.end if far and far.complete else None
        peer = peer if isinstance(peer, Interface) else None
        user = self.request.user
        context.update(
            tagged=interface.tagged_vlans.select_related("site")[:200],
            members=interface.members.order_by("name")[:200],
            is_lag=interface.kind == InterfaceKind.LAG,
            cable=end.cable if end else None,
            peer=peer,
            hops=len(far.hops) if far else 0,
            mismatch=reports.mismatch_of(interface, peer) if peer else [],
            cableless=interface.kind in UNCABLED_KINDS,
            can_cable=user.has_perm("network.add_cable"),
            can_add=user.has_perm("network.add_interface"),
        )
        return context


class InterfaceCreate(ObjectCreate):
    model = Interface
    form_class = InterfaceForm

    initial_from_query = ("device", "lag")


class InterfaceUpdate(ObjectUpdate):
    model = Interface
    form_class = InterfaceForm


class InterfaceDelete(ObjectDelete):
    model = Interface
