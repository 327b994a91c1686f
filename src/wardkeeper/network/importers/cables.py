"""Cables, each row with its two ends. A cable is known by its ends: a row
between the two points of a cable updates that cable, as does a row with the
label of the cable on one of its points (that cable is moved). A row onto a
point another cable holds is refused."""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from functools import cached_property
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _

from wardkeeper.inventory.transfer import cells
from wardkeeper.inventory.transfer.base import Planned
from wardkeeper.inventory.transfer.columns import Column
from wardkeeper.inventory.transfer.report import RowError
from wardkeeper.network.choices import CableKind, CableSide, CableStatus
from wardkeeper.network.importers.base import Lookups, NetworkImporter, filterset_for
from wardkeeper.network.importers.cable_ends import (
    Point,
    end_cells,
    end_columns,
    end_text,
    find_point,
    point_of,
)
from wardkeeper.network.importers.cells import decimal
from wardkeeper.network.models import Cable, CableEnd

FIELDS = ("label", "kind", "status", "length_m", "colour", "description")


class CableImporter(NetworkImporter[Cable]):
    """A row per cable: its properties, then the A and the B end."""

    kind = "cables"
    model = Cable
    key_column = "a_device"
    filterset = filterset_for(Cable, ["kind", "status", "label"])
    fields = FIELDS

    @classmethod
    def columns(cls) -> Sequence[Column]:
        return (
            Column("label", _("label"), cells.text(60)),
            Column("type", _("type"), cells.choice(CableKind)),
            Column("status", _("status"), cells.choice(CableStatus)),
            Column("length_m", _("length (m)"), decimal(2)),
            Column("colour", _("colour"), cells.text(30)),
            Column("description", _("description"), cells.text(200)),
            *end_columns("a"),
            *end_columns("b"),
        )

    @classmethod
    def export_queryset(cls) -> QuerySet[Cable]:
        return Cable.objects.prefetch_related(
            "ends__interface__device", "ends__port__panel__location", "ends__outlet"
        )

    @classmethod
    def export_row(cls, obj: Cable) -> list[Any]:
        ends = {end.side: end for end in obj.ends.all()}
        return [
            obj.label,
            obj.kind,
            obj.status,
            obj.length_m,
            obj.colour,
            obj.description,
            *end_cells(ends.get(CableSide.A)),
            *end_cells(ends.get(CableSide.B)),
        ]

    def key(self, values: dict[str, Any]) -> Hashable | None:
        return end_text(values, "a") + end_text(values, "b")

    def preload(self, rows: Sequence[dict[str, Any]]) -> None:
        self.lookups = Lookups()
        self.points: dict[int, tuple[Point, Point]] = {}

    @cached_property
    def ends(self) -> dict[Hashable, CableEnd]:
        """Every cable end in the database by the point it is on."""
        found = CableEnd.objects.select_related("cable", "port")
        return {point_of(end).key: end for end in found}

    def existing(self, key: Hashable) -> Cable | None:
        # The key is textual; the points are found again in ``apply``.
        return None

    def apply(self, planned: Planned[Cable]) -> list[RowError]:
        values = planned.values
        a, errors = find_point(self.lookups, values, "a", planned.row)
        b, b_errors = find_point(self.lookups, values, "b", planned.row)
        errors += b_errors
        if a is None or b is None:
            return errors
        if a.key == b.key:
            return [
                RowError(
                    planned.row, "b_device", _t("Both ends are on the same point.")
                )
            ]
        current = self.same_cable(a, b, values.get("label") or "")
        if current is not None:
            self.adopt(planned, current)
        obj = planned.obj
        for side, point in (("a", a), ("b", b)):
            other = self.ends.get(point.key)
            if other is not None and other.cable_id != obj.pk:
                errors.append(
                    RowError(
                        planned.row,
                        f"{side}_device",
                        _t("Cable %(cable)s already ends there.")
                        % {"cable": other.cable},
                    )
                )
        self.set_values(obj, values, ("label", "colour", "description", "length_m"))
        for column, field in (("type", "kind"), ("status", "status")):
            if self.header.present(column) and values[column]:
                setattr(obj, field, values[column])
        self.points[planned.row] = (a, b)
        if not planned.is_new and self.ends_moved(obj, a, b):
            planned.new_refs.add("ends")
        return errors

    def same_cable(self, a: Point, b: Point, label: str) -> Cable | None:
        """The cable this row describes: the one already between both of its
        points, or the one of the same label on one of them (moved)."""
        here, there = self.ends.get(a.key), self.ends.get(b.key)
        if here is not None and there is not None and here.cable_id == there.cable_id:
            return here.cable
        for end in (here, there):
            if end is not None and label and end.cable.label == label:
                return end.cable
        return None

    def adopt(self, planned: Planned[Cable], cable: Cable) -> None:
        """Make the row an update of the cable already on its ends."""
        planned.obj = cable
        planned.before = dict(cable._audit_snapshot or {})

    def ends_moved(self, cable: Cable, a: Point, b: Point) -> bool:
        here = self.ends.get(a.key)
        there = self.ends.get(b.key)
        return not (
            here is not None
            and there is not None
            and here.cable_id == there.cable_id == cable.pk
            and here.side == CableSide.A
        )

    def resolve(self, plan: list[Planned[Cable]]) -> list[RowError]:
        """No point may carry two cables of the file."""
        first: dict[Hashable, int] = {}
        errors = []
        self.drop_skipped(plan)
        for planned in plan:
            for side, point in zip("ab", self.points[planned.row], strict=True):
                row = first.setdefault(point.key, planned.row)
                if row != planned.row:
                    message = _t("Row %(row)d has a cable on the same point.")
                    errors.append(
                        RowError(planned.row, f"{side}_device", message % {"row": row})
                    )
        return errors

    def after_write(self, plan: list[Planned[Cable]]) -> None:
        """Replace the ends of the written cables."""
        CableEnd.objects.filter(cable__in=[p.obj for p in plan]).delete()
        ends = []
        for planned in plan:
            for side, point in zip(CableSide, self.points[planned.row], strict=True):
                ends.append(
                    CableEnd(
                        cable=planned.obj,
                        side=side,
                        interface=point.interface,
                        port=point.port,
                        face=point.face,
                        outlet=point.outlet,
                    )
                )
        CableEnd.objects.bulk_create(ends, batch_size=1000)
