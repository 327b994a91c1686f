"""Devices mounted in racks, keyed by the device's asset tag."""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _

from wardkeeper.inventory.transfer import cells
from wardkeeper.inventory.transfer.base import Planned
from wardkeeper.inventory.transfer.columns import Column
from wardkeeper.inventory.transfer.report import RowError
from wardkeeper.network.choices import Face
from wardkeeper.network.importers.base import (
    Lookups,
    NetworkImporter,
    Resolver,
    filterset_for,
)
from wardkeeper.network.importers.cells import integer
from wardkeeper.network.models import Placement


class PlacementImporter(NetworkImporter[Placement]):
    """A row per mounted device: rack (room and name), lowest U, height, face."""

    kind = "placements"
    model = Placement
    key_column = "device"
    filterset = filterset_for(Placement, ["rack", "face"])
    fields = ("rack", "asset", "position", "height_u", "face", "full_depth")

    @classmethod
    def columns(cls) -> Sequence[Column]:
        return (
            Column("device", _("device"), cells.text(64, required=True), required=True),
            Column("room", _("room"), cells.text(40, required=True), required=True),
            Column("rack", _("rack"), cells.text(100, required=True), required=True),
            Column(
                "position",
                _("position (U)"),
                integer(1, 60, required=True),
                required=True,
            ),
            Column("height_u", _("height (U)"), integer(1, 60)),
            Column("face", _("face"), cells.choice(Face)),
            Column("full_depth", _("full depth"), cells.boolean()),
        )

    @classmethod
    def export_queryset(cls) -> QuerySet[Placement]:
        return Placement.objects.select_related("asset", "rack__location")

    @classmethod
    def export_row(cls, obj: Placement) -> list[Any]:
        return [
            obj.asset.tag,
            obj.rack.location.code,
            obj.rack.name,
            obj.position,
            obj.height_u,
            obj.face,
            obj.full_depth,
        ]

    def preload(self, rows: Sequence[dict[str, Any]]) -> None:
        self.lookups = Lookups()
        self.by_tag = {
            p.asset.tag: p for p in Placement.objects.select_related("asset", "rack")
        }

    def existing(self, key: Hashable) -> Placement | None:
        return self.by_tag.get(str(key))

    def apply(self, planned: Planned[Placement]) -> list[RowError]:
        values, obj = planned.values, planned.obj
        find = Resolver(self.lookups, planned.row)
        asset = find.asset("device", values["device"])
        rack = find.rack("rack", values["room"], values["rack"])
        if asset is not None:
            obj.asset = asset
        if rack is not None:
            obj.rack = rack
        obj.position = values["position"]
        self.set_unless_empty(obj, values, ("height_u", "face", "full_depth"))
        top = obj.position + obj.height_u - 1
        if rack is not None and top > rack.height_u:
            find.errors.append(
                RowError(
                    planned.row,
                    "position",
                    _t("U%(top)d is above the top of %(rack)s (%(height)dU).")
                    % {"top": top, "rack": rack.name, "height": rack.height_u},
                )
            )
        return find.errors

    def resolve(self, plan: list[Planned[Placement]]) -> list[RowError]:
        """Devices may not share a unit on the same face of a rack."""
        in_file = {p.obj.asset_id for p in plan}
        taken: dict[tuple[int, str, int], str] = {}
        for other in self.by_tag.values():
            if other.asset_id not in in_file:
                mark(taken, other, other.asset.tag)
        errors = []
        for planned in plan:
            clash = mark(taken, planned.obj, planned.values["device"])
            if clash:
                errors.append(
                    RowError(
                        planned.row,
                        "position",
                        _t("%(other)s is already in these units.") % {"other": clash},
                    )
                )
        return errors


def mark(taken: dict[tuple[int, str, int], str], placement: Placement, tag: str) -> str:
    """Occupy the placement's units; the tag of a device already there, or ''."""
    faces: list[str] = (
        [Face.FRONT, Face.REAR] if placement.full_depth else [placement.face]
    )
    for unit in range(placement.position, placement.position + placement.height_u):
        for face in faces:
            holder = taken.setdefault((placement.rack_id, face, unit), tag)
            if holder != tag:
                return holder
    return ""
