"""Racks, frames and wall cabinets, keyed by room code and name."""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from wardkeeper.inventory.transfer import cells
from wardkeeper.inventory.transfer.base import Planned
from wardkeeper.inventory.transfer.columns import Column
from wardkeeper.inventory.transfer.report import RowError
from wardkeeper.network.choices import RackKind
from wardkeeper.network.importers.base import (
    Lookups,
    NetworkImporter,
    Resolver,
    filterset_for,
)
from wardkeeper.network.importers.cells import integer
from wardkeeper.network.models import Rack


class RackImporter(NetworkImporter[Rack]):
    """A row per rack; the room is its location code."""

    kind = "racks"
    model = Rack
    key_column = "name"
    filterset = filterset_for(Rack, ["kind", "location"])
    fields = Rack.editable_fields

    @classmethod
    def columns(cls) -> Sequence[Column]:
        return (
            Column("room", _("room"), cells.text(40, required=True), required=True),
            Column("name", _("name"), cells.text(100, required=True), required=True),
            Column("kind", _("kind"), cells.choice(RackKind)),
            Column("height_u", _("height (U)"), integer(1, 60)),
            Column("asset_tag", _("asset tag"), cells.text(64)),
            Column("description", _("description"), cells.text()),
        )

    @classmethod
    def export_queryset(cls) -> QuerySet[Rack]:
        return Rack.objects.select_related("location", "asset")

    @classmethod
    def export_row(cls, obj: Rack) -> list[Any]:
        tag = obj.asset.tag if obj.asset else ""
        return [
            obj.location.code,
            obj.name,
            obj.kind,
            obj.height_u,
            tag,
            obj.description,
        ]

    def key(self, values: dict[str, Any]) -> Hashable | None:
        return (values.get("room"), values.get("name")) if values.get("name") else None

    def preload(self, rows: Sequence[dict[str, Any]]) -> None:
        self.lookups = Lookups()

    def existing(self, key: Hashable) -> Rack | None:
        return self.lookups.racks.get(key)

    def apply(self, planned: Planned[Rack]) -> list[RowError]:
        values, obj = planned.values, planned.obj
        find = Resolver(self.lookups, planned.row)
        location = find.location("room", values["room"])
        if location is not None:
            obj.location = location
        self.set_values(obj, values, ("name", "description"))
        self.set_unless_empty(obj, values, ("kind", "height_u"))
        if self.header.present("asset_tag"):
            obj.asset = find.asset("asset_tag", values["asset_tag"])
        return find.errors
