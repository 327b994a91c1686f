"""Departments, keyed by code; the campus is named by its location code."""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _

from wardkeeper.inventory.choices import LocationKind
from wardkeeper.inventory.filters import DepartmentFilter
from wardkeeper.inventory.models import Department, Location
from wardkeeper.inventory.transfer import cells
from wardkeeper.inventory.transfer.base import (
    Importer,
    Planned,
    Step,
    bulk_update,
    load_by,
)
from wardkeeper.inventory.transfer.bulk import BATCH
from wardkeeper.inventory.transfer.columns import Column
from wardkeeper.inventory.transfer.report import RowError

FIELDS = ("code", "name", "cost_centre", "campus", "is_clinical")


class DepartmentImporter(Importer[Department]):
    """Departments: a row per unit, matched by code."""

    kind = "departments"
    model = Department
    key_column = "code"
    filterset = DepartmentFilter

    @classmethod
    def columns(cls) -> Sequence[Column]:
        return (
            Column("code", _("code"), cells.text(40, required=True), required=True),
            Column("name", _("name"), cells.text(120, required=True), required=True),
            Column("cost_centre", _("cost centre"), cells.text(40)),
            Column("campus_code", _("campus code"), cells.text(40)),
            Column("is_clinical", _("clinical"), cells.boolean()),
        )

    @classmethod
    def export_queryset(cls) -> QuerySet[Department]:
        return Department.objects.select_related("campus")

    @classmethod
    def export_row(cls, obj: Department) -> list[Any]:
        campus = obj.campus.code if obj.campus else ""
        return [obj.code, obj.name, obj.cost_centre, campus, obj.is_clinical]

    def preload(self, rows: Sequence[dict[str, Any]]) -> None:
        self.by_code = {
            d.code: d
            for d in load_by(
                Department.objects.all(), "code", [r.get("code") for r in rows]
            )
        }
        self.places = {
            place.code: place
            for place in load_by(
                Location.objects.all(),
                "code",
                [row.get("campus_code") for row in rows],
            )
        }

    def existing(self, key: Hashable) -> Department | None:
        return self.by_code.get(str(key))

    def new(self) -> Department:
        return Department()

    def apply(self, planned: Planned[Department]) -> list[RowError]:
        self.set_values(planned.obj, planned.values, ("code", "name", "cost_centre"))
        self.set_unless_empty(planned.obj, planned.values, ("is_clinical",))
        if not self.header.present("campus_code"):
            return []
        code = planned.values["campus_code"]
        campus = self.places.get(code) if code else None
        if code and campus is None:
            return [
                RowError(
                    planned.row,
                    "campus_code",
                    _t("No location has the code “%(code)s”.") % {"code": code},
                )
            ]
        if campus is not None and campus.kind != LocationKind.CAMPUS:
            return [
                RowError(
                    planned.row,
                    "campus_code",
                    _t("“%(code)s” is a %(kind)s, not a campus.")
                    % {"code": code, "kind": campus.get_kind_display()},
                )
            ]
        planned.obj.campus = campus
        return []

    def write(self, plan: list[Planned[Department]], step: Step) -> None:
        Department.objects.bulk_create(
            [p.obj for p in plan if p.is_new], batch_size=BATCH
        )
        bulk_update(Department, [p for p in plan if not p.is_new], FIELDS)
        step(len(plan))
