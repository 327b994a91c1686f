"""Device interfaces, keyed by the device's asset tag and the interface
name. VLANs are written ``20`` (global) or ``20@SITE``; tagged VLANs are a
list; ``lag`` names another interface of the same device (in the database or
in this file)."""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from wardkeeper.inventory.transfer import cells
from wardkeeper.inventory.transfer.base import Planned, bulk_update
from wardkeeper.inventory.transfer.columns import Column
from wardkeeper.inventory.transfer.report import RowError
from wardkeeper.network.choices import Duplex, InterfaceKind, VlanMode
from wardkeeper.network.importers import cells as net
from wardkeeper.network.importers.base import (
    Lookups,
    NetworkImporter,
    Resolver,
    filterset_for,
    missing,
)
from wardkeeper.network.models import VLAN, Interface

PLAIN = ("name", "speed_mbps", "mac_address", "if_index", "description")


def vlan_text(vlan: VLAN | None) -> str:
    if vlan is None:
        return ""
    return net.vlan_text(vlan.site.code if vlan.site else None, vlan.vid)


class InterfaceImporter(NetworkImporter[Interface]):
    """A row per interface."""

    kind = "interfaces"
    model = Interface
    key_column = "name"
    filterset = filterset_for(Interface, ["device", "kind", "enabled", "mode"])
    fields = (
        *PLAIN,
        "device",
        "kind",
        "duplex",
        "enabled",
        "mode",
        "untagged_vlan",
        "lag",
    )

    @classmethod
    def columns(cls) -> Sequence[Column]:
        return (
            Column("device", _("device"), cells.text(64, required=True), required=True),
            Column("name", _("name"), cells.text(64, required=True), required=True),
            Column("type", _("type"), cells.choice(InterfaceKind)),
            Column("speed_mbps", _("speed (Mbit/s)"), net.integer(0)),
            Column("duplex", _("duplex"), cells.choice(Duplex)),
            Column("mac_address", _("MAC address"), cells.mac_address),
            Column("enabled", _("enabled"), cells.boolean()),
            Column("mode", _("VLAN mode"), cells.choice(VlanMode)),
            Column("untagged_vlan", _("untagged VLAN"), net.vlan),
            Column("tagged_vlans", _("tagged VLANs"), net.vlan_list),
            Column("lag", _("member of"), cells.text(64)),
            Column("if_index", _("ifIndex"), net.integer(0)),
            Column("description", _("description"), cells.text(200)),
        )

    @classmethod
    def export_queryset(cls) -> QuerySet[Interface]:
        return Interface.objects.select_related(
            "device", "untagged_vlan__site", "lag"
        ).prefetch_related("tagged_vlans__site")

    @classmethod
    def export_row(cls, obj: Interface) -> list[Any]:
        tagged = sorted(obj.tagged_vlans.all(), key=lambda v: v.vid)
        return [
            obj.device.tag,
            obj.name,
            obj.kind,
            obj.speed_mbps,
            obj.duplex,
            obj.mac_address,
            obj.enabled,
            obj.mode,
            vlan_text(obj.untagged_vlan),
            " ".join(vlan_text(v) for v in tagged),
            obj.lag.name if obj.lag else "",
            obj.if_index,
            obj.description,
        ]

    def key(self, values: dict[str, Any]) -> Hashable | None:
        return (
            (values.get("device"), values.get("name")) if values.get("name") else None
        )

    def preload(self, rows: Sequence[dict[str, Any]]) -> None:
        self.lookups = Lookups()
        self.in_file = {(r.get("device"), r.get("name")) for r in rows}
        # By row number: unsaved instances cannot be dictionary keys.
        self.tagged: dict[int, list[VLAN]] = {}
        self.lags: dict[int, tuple[str, str]] = {}
        self.current: dict[int, set[int]] = {}
        if self.header.present("tagged_vlans"):
            through = Interface.tagged_vlans.through.objects.values_list(
                "interface_id", "vlan_id"
            )
            for interface_id, vlan_id in through:
                self.current.setdefault(interface_id, set()).add(vlan_id)

    def existing(self, key: Hashable) -> Interface | None:
        return self.lookups.interfaces.get(key)

    def apply(self, planned: Planned[Interface]) -> list[RowError]:
        values, obj = planned.values, planned.obj
        find = Resolver(self.lookups, planned.row)
        device = find.asset("device", values["device"])
        if device is not None:
            obj.device = device
        self.set_values(obj, values, PLAIN)
        if self.header.present("mac_address"):
            obj.mac_address = values["mac_address"] or ""
        self.set_unless_empty(obj, values, ("enabled",))
        if self.header.present("type") and values["type"]:
            obj.kind = values["type"]
        for name in ("duplex", "mode"):
            if self.header.present(name):
                setattr(obj, name, values[name] or "")
        if self.header.present("untagged_vlan"):
            obj.untagged_vlan = find.vlan("untagged_vlan", values["untagged_vlan"])
        if self.header.present("tagged_vlans"):
            self.apply_tagged(planned, find)
        if self.header.present("lag"):
            self.apply_lag(planned, find)
        return find.errors

    def apply_tagged(self, planned: Planned[Interface], find: Resolver) -> None:
        vlans = [
            find.vlan("tagged_vlans", ref) for ref in planned.values["tagged_vlans"]
        ]
        chosen = [v for v in vlans if v is not None]
        self.tagged[planned.row] = chosen
        if not planned.is_new and {v.pk for v in chosen} != self.current.get(
            planned.obj.pk, set()
        ):
            planned.new_refs.add("tagged_vlans")

    def apply_lag(self, planned: Planned[Interface], find: Resolver) -> None:
        name, tag = planned.values["lag"], planned.values["device"]
        planned.obj.lag = None
        if not name:
            return
        lag = self.lookups.interfaces.get((tag, name))
        if lag is not None:
            planned.obj.lag = lag
        elif (tag, name) in self.in_file:
            self.lags[planned.row] = (tag, name)
            planned.new_refs.add("lag")
        else:
            find.errors.append(missing(planned.row, "lag", _("interface"), name))

    def after_write(self, plan: list[Planned[Interface]]) -> None:
        by_key = {(p.values["device"], p.values["name"]): p.obj for p in plan}
        lagged = [p for p in plan if p.row in self.lags]
        for planned in lagged:
            planned.obj.lag = by_key[self.lags[planned.row]]
        bulk_update(Interface, lagged, ["lag"])
        tagged = [p for p in plan if p.row in self.tagged]
        through = Interface.tagged_vlans.through
        through.objects.filter(interface_id__in=[p.obj.pk for p in tagged]).delete()
        through.objects.bulk_create(
            [
                through(interface_id=p.obj.pk, vlan_id=vlan.pk)
                for p in tagged
                for vlan in self.tagged[p.row]
            ]
        )
