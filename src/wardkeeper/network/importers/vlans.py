"""VLANs, keyed by site code (empty for a global VLAN) and VLAN ID."""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from wardkeeper.inventory.transfer import cells
from wardkeeper.inventory.transfer.base import Planned
from wardkeeper.inventory.transfer.columns import Column
from wardkeeper.inventory.transfer.report import RowError
from wardkeeper.network.importers.base import (
    Lookups,
    NetworkImporter,
    Resolver,
    filterset_for,
)
from wardkeeper.network.importers.cells import integer
from wardkeeper.network.models import VLAN


class VlanImporter(NetworkImporter[VLAN]):
    """A row per VLAN."""

    kind = "vlans"
    model = VLAN
    key_column = "vid"
    filterset = filterset_for(VLAN, ["site", "zone", "vid"])
    fields = VLAN.editable_fields

    @classmethod
    def columns(cls) -> Sequence[Column]:
        return (
            Column("site", _("site"), cells.text(40)),
            Column("vid", _("VLAN ID"), integer(1, 4094, required=True), required=True),
            Column("name", _("name"), cells.text(80, required=True), required=True),
            Column("zone", _("zone"), cells.text(80)),
            Column("description", _("description"), cells.text(200)),
        )

    @classmethod
    def export_queryset(cls) -> QuerySet[VLAN]:
        return VLAN.objects.select_related("site", "zone")

    @classmethod
    def export_row(cls, obj: VLAN) -> list[Any]:
        return [
            obj.site.code if obj.site else "",
            obj.vid,
            obj.name,
            obj.zone.name if obj.zone else "",
            obj.description,
        ]

    def key(self, values: dict[str, Any]) -> Hashable | None:
        vid = values.get("vid")
        return (values.get("site") or "", vid) if vid else None

    def preload(self, rows: Sequence[dict[str, Any]]) -> None:
        self.lookups = Lookups()

    def existing(self, key: Hashable) -> VLAN | None:
        return self.lookups.vlans.get(key)

    def apply(self, planned: Planned[VLAN]) -> list[RowError]:
        values, obj = planned.values, planned.obj
        find = Resolver(self.lookups, planned.row)
        obj.vid = values["vid"]
        if self.header.present("site"):
            obj.site = find.location("site", values["site"])
        self.set_values(obj, values, ("name", "description"))
        if self.header.present("zone"):
            obj.zone = find.zone("zone", values["zone"])
        return find.errors
