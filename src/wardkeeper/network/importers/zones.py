"""Security zones, keyed by name."""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import Any

from django.utils.translation import gettext_lazy as _

from wardkeeper.inventory.choices import Criticality
from wardkeeper.inventory.transfer import cells
from wardkeeper.inventory.transfer.base import Planned
from wardkeeper.inventory.transfer.columns import Column
from wardkeeper.inventory.transfer.report import RowError
from wardkeeper.network.choices import ZoneKind
from wardkeeper.network.importers.base import Lookups, NetworkImporter, filterset_for
from wardkeeper.network.models import Zone

FIELDS = Zone.editable_fields


class ZoneImporter(NetworkImporter[Zone]):
    """A row per zone."""

    kind = "zones"
    model = Zone
    key_column = "name"
    filterset = filterset_for(Zone, ["kind", "criticality"])
    fields = FIELDS

    @classmethod
    def columns(cls) -> Sequence[Column]:
        return (
            Column("name", _("name"), cells.text(80, required=True), required=True),
            Column(
                "kind", _("kind"), cells.choice(ZoneKind, required=True), required=True
            ),
            Column("criticality", _("criticality"), cells.choice(Criticality)),
            Column("colour", _("colour"), cells.text(7)),
            Column("description", _("description"), cells.text()),
        )

    @classmethod
    def export_row(cls, obj: Zone) -> list[Any]:
        code = cells.choice_code(Criticality(obj.criticality))
        return [obj.name, obj.kind, code, obj.colour, obj.description]

    def preload(self, rows: Sequence[dict[str, Any]]) -> None:
        self.lookups = Lookups()

    def existing(self, key: Hashable) -> Zone | None:
        return self.lookups.zones.get(str(key))

    def apply(self, planned: Planned[Zone]) -> list[RowError]:
        self.set_values(
            planned.obj, planned.values, ("name", "kind", "colour", "description")
        )
        self.set_unless_empty(planned.obj, planned.values, ("criticality",))
        return []
