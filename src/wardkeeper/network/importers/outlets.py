"""Wall and floor outlets, keyed by the label on the faceplate."""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from wardkeeper.inventory.transfer import cells
from wardkeeper.inventory.transfer.base import Planned
from wardkeeper.inventory.transfer.columns import Column
from wardkeeper.inventory.transfer.report import RowError
from wardkeeper.network.choices import OutletKind
from wardkeeper.network.importers.base import (
    Lookups,
    NetworkImporter,
    Resolver,
    filterset_for,
)
from wardkeeper.network.models import Outlet


class OutletImporter(NetworkImporter[Outlet]):
    """A row per outlet."""

    kind = "outlets"
    model = Outlet
    key_column = "label"
    filterset = filterset_for(Outlet, ["kind", "location"])
    fields = Outlet.editable_fields

    @classmethod
    def columns(cls) -> Sequence[Column]:
        return (
            Column("label", _("label"), cells.text(60, required=True), required=True),
            Column("room", _("room"), cells.text(40, required=True), required=True),
            Column("kind", _("kind"), cells.choice(OutletKind)),
            Column("description", _("description"), cells.text(200)),
        )

    @classmethod
    def export_queryset(cls) -> QuerySet[Outlet]:
        return Outlet.objects.select_related("location")

    @classmethod
    def export_row(cls, obj: Outlet) -> list[Any]:
        return [obj.label, obj.location.code, obj.kind, obj.description]

    def preload(self, rows: Sequence[dict[str, Any]]) -> None:
        self.lookups = Lookups()

    def existing(self, key: Hashable) -> Outlet | None:
        return self.lookups.outlets.get(str(key))

    def apply(self, planned: Planned[Outlet]) -> list[RowError]:
        values, obj = planned.values, planned.obj
        find = Resolver(self.lookups, planned.row)
        location = find.location("room", values["room"])
        if location is not None:
            obj.location = location
        self.set_values(obj, values, ("label", "description"))
        self.set_unless_empty(obj, values, ("kind",))
        return find.errors
