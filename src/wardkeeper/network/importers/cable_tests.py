"""Cable test reports (without the instrument's file), keyed by the cable's
label, the date, the tester and the standard."""

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
from wardkeeper.network.importers.base import NetworkImporter, filterset_for, missing
from wardkeeper.network.importers.cells import decimal
from wardkeeper.network.models import Cable, CableTest

# The instrument's file is not in a spreadsheet: it is uploaded on the page.
FIELDS = ("cable", *(f for f in CableTest.editable_fields if f != "file"))


class CableTestImporter(NetworkImporter[CableTest]):
    """A row per test; the cable is named by its label, which must be unique."""

    kind = "cable-tests"
    model = CableTest
    key_column = "cable"
    filterset = filterset_for(CableTest, ["passed", "tested_on"])
    fields = FIELDS

    @classmethod
    def columns(cls) -> Sequence[Column]:
        return (
            Column("cable", _("cable"), cells.text(60, required=True), required=True),
            Column("tested_on", _("tested on"), cells.date, required=True),
            Column(
                "tester", _("tested by"), cells.text(120, required=True), required=True
            ),
            Column("instrument", _("instrument"), cells.text(120)),
            Column(
                "standard", _("standard"), cells.text(120, required=True), required=True
            ),
            Column(
                "link_type",
                _("link type"),
                cells.text(30, required=True),
                required=True,
            ),
            Column("passed", _("passed"), cells.boolean(), required=True),
            Column("length_m", _("measured length (m)"), decimal(2)),
            Column("margin_db", _("worst margin (dB)"), decimal(2, signed=True)),
            Column("notes", _("notes"), cells.text()),
        )

    @classmethod
    def export_queryset(cls) -> QuerySet[CableTest]:
        return CableTest.objects.select_related("cable")

    @classmethod
    def export_row(cls, obj: CableTest) -> list[Any]:
        return [
            obj.cable.label,
            obj.tested_on,
            obj.tester,
            obj.instrument,
            obj.standard,
            obj.link_type,
            obj.passed,
            obj.length_m,
            obj.margin_db,
            obj.notes,
        ]

    def key(self, values: dict[str, Any]) -> Hashable | None:
        if not values.get("cable") or not values.get("tested_on"):
            return None
        parts = ("cable", "tested_on", "tester", "standard")
        return tuple(values.get(part) for part in parts)

    def preload(self, rows: Sequence[dict[str, Any]]) -> None:
        labels = {row.get("cable") for row in rows if row.get("cable")}
        self.cables: dict[str, list[Cable]] = {}
        for cable in Cable.objects.filter(label__in=labels):
            self.cables.setdefault(cable.label, []).append(cable)
        self.by_key = {
            (t.cable.label, t.tested_on, t.tester, t.standard): t
            for t in CableTest.objects.filter(cable__label__in=labels).select_related(
                "cable"
            )
        }

    def existing(self, key: Hashable) -> CableTest | None:
        return self.by_key.get(key)  # type: ignore[call-overload]

    def apply(self, planned: Planned[CableTest]) -> list[RowError]:
        values, obj = planned.values, planned.obj
        found = self.cables.get(values["cable"], [])
        if not found:
            return [missing(planned.row, "cable", _t("cable"), values["cable"])]
        if len(found) > 1:
            message = _t("%(n)d cables have the label “%(label)s”; label them apart.")
            return [
                RowError(
                    planned.row,
                    "cable",
                    message % {"n": len(found), "label": values["cable"]},
                )
            ]
        obj.cable = found[0]
        if planned.is_new:
            obj.recorded_by = None
        self.set_values(obj, values, FIELDS[1:])
        return []
