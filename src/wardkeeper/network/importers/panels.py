"""Patch panels, keyed by room code and name. Their ports 1…N are made with
them; fewer ports than before is refused while a cable is on a port that
would go."""

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
from wardkeeper.network.choices import Medium
from wardkeeper.network.importers.base import (
    Lookups,
    NetworkImporter,
    Resolver,
    filterset_for,
)
from wardkeeper.network.importers.cells import integer
from wardkeeper.network.models import CableEnd, PanelPort, PatchPanel


class PanelImporter(NetworkImporter[PatchPanel]):
    """A row per patch panel; ``rack`` is a rack of the same room."""

    kind = "patch-panels"
    model = PatchPanel
    key_column = "name"
    filterset = filterset_for(PatchPanel, ["medium", "location", "rack"])
    fields = PatchPanel.editable_fields

    @classmethod
    def columns(cls) -> Sequence[Column]:
        return (
            Column("room", _("room"), cells.text(40, required=True), required=True),
            Column("name", _("name"), cells.text(100, required=True), required=True),
            Column("rack", _("rack"), cells.text(100)),
            Column("position", _("position (U)"), integer(1, 60)),
            Column("height_u", _("height (U)"), integer(1, 60)),
            Column("medium", _("medium"), cells.choice(Medium)),
            Column("ports", _("ports"), integer(1, 288)),
            Column("description", _("description"), cells.text()),
        )

    @classmethod
    def export_queryset(cls) -> QuerySet[PatchPanel]:
        return PatchPanel.objects.select_related("location", "rack")

    @classmethod
    def export_row(cls, obj: PatchPanel) -> list[Any]:
        rack = obj.rack.name if obj.rack else ""
        return [
            obj.location.code,
            obj.name,
            rack,
            obj.position,
            obj.height_u,
            obj.medium,
            obj.ports,
            obj.description,
        ]

    def key(self, values: dict[str, Any]) -> Hashable | None:
        return (values.get("room"), values.get("name")) if values.get("name") else None

    def preload(self, rows: Sequence[dict[str, Any]]) -> None:
        self.lookups = Lookups()

    def existing(self, key: Hashable) -> PatchPanel | None:
        return self.lookups.panels.get(key)

    def apply(self, planned: Planned[PatchPanel]) -> list[RowError]:
        values, obj = planned.values, planned.obj
        find = Resolver(self.lookups, planned.row)
        location = find.location("room", values["room"])
        if location is not None:
            obj.location = location
        self.set_values(obj, values, ("name", "position", "description"))
        self.set_unless_empty(obj, values, ("height_u", "medium"))
        if self.header.present("rack"):
            obj.rack = find.rack("rack", values["room"], values["rack"])
        old_ports = obj.ports
        self.set_unless_empty(obj, values, ("ports",))
        if not planned.is_new and obj.ports < old_ports:
            cabled = CableEnd.objects.filter(
                port__panel=obj, port__number__gt=obj.ports
            ).exists()
            if cabled:
                find.errors.append(
                    RowError(
                        planned.row,
                        "ports",
                        _t("A cable is on a port above %(n)d; move it first.")
                        % {"n": obj.ports},
                    )
                )
        return find.errors

    def after_write(self, plan: list[Planned[PatchPanel]]) -> None:
        """Add the ports a panel lacks and drop those above its count."""
        have = self.lookups.ports
        add = [
            PanelPort(panel=p.obj, number=n)
            for p in plan
            for n in range(1, p.obj.ports + 1)
            if (p.obj.pk, n) not in have
        ]
        PanelPort.objects.bulk_create(add, batch_size=1000)
        for planned in plan:
            if not planned.is_new:
                planned.obj.panel_ports.filter(number__gt=planned.obj.ports).delete()
