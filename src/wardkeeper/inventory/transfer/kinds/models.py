"""Product models, keyed by manufacturer and model name (in any case).
A manufacturer not yet known is created along the way."""

from __future__ import annotations

import functools
from collections.abc import Hashable, Sequence
from typing import Any, cast

from django.db.models import QuerySet
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _

from wardkeeper.core import audit
from wardkeeper.core.models.audit import AuditAction
from wardkeeper.inventory.filters import AssetModelFilter
from wardkeeper.inventory.models import Asset, AssetModel, AssetType, Manufacturer
from wardkeeper.inventory.transfer import cells
from wardkeeper.inventory.transfer.base import Importer, Planned, Step, bulk_update
from wardkeeper.inventory.transfer.bulk import BATCH
from wardkeeper.inventory.transfer.columns import Column
from wardkeeper.inventory.transfer.report import RowError

FIELDS = ("manufacturer", "name", "asset_type", "part_number", "end_of_support")


@functools.lru_cache(maxsize=8192)
def fold(text: str) -> str:
    """A name compared without regard to case or repeated spaces."""
    return " ".join(text.split()).casefold()


class AssetModelImporter(Importer[AssetModel]):
    """Models: a row per product model of a manufacturer."""

    kind = "models"
    model = AssetModel
    key_column = "name"
    filterset = AssetModelFilter

    @classmethod
    def columns(cls) -> Sequence[Column]:
        return (
            Column(
                "manufacturer",
                _("manufacturer"),
                cells.text(120, required=True),
                required=True,
            ),
            Column("name", _("name"), cells.text(120, required=True), required=True),
            Column(
                "type_code",
                _("type code"),
                cells.text(40, required=True),
                required=True,
            ),
            Column("part_number", _("part number"), cells.text(80)),
            Column("end_of_support", _("end of support"), cells.date),
        )

    @classmethod
    def export_queryset(cls) -> QuerySet[AssetModel]:
        return AssetModel.objects.select_related("manufacturer", "asset_type")

    @classmethod
    def export_row(cls, obj: AssetModel) -> list[Any]:
        return [
            obj.manufacturer.name,
            obj.name,
            obj.asset_type.code,
            obj.part_number,
            obj.end_of_support,
        ]

    def key(self, values: dict[str, Any]) -> Hashable | None:
        if not values.get("manufacturer") or not values.get("name"):
            return None
        return (fold(values["manufacturer"]), fold(values["name"]))

    def preload(self, rows: Sequence[dict[str, Any]]) -> None:
        # Catalogue tables are small (hundreds of rows): load them whole.
        self.makers = {fold(m.name): m for m in Manufacturer.objects.all()}
        self.new_makers: dict[str, Manufacturer] = {}
        self.by_key = {
            (fold(m.manufacturer.name), fold(m.name)): m
            for m in AssetModel.objects.select_related("manufacturer")
        }
        self.types: dict[str, AssetType] = {}
        for kind in AssetType.objects.all():
            self.types.setdefault(fold(kind.name), kind)
        for kind in AssetType.objects.all():
            self.types[fold(kind.code)] = kind

    def existing(self, key: Hashable) -> AssetModel | None:
        return self.by_key.get(cast(tuple[str, str], key))

    def new(self) -> AssetModel:
        return AssetModel()

    def apply(self, planned: Planned[AssetModel]) -> list[RowError]:
        obj, values = planned.obj, planned.values
        kind = self.types.get(fold(values["type_code"]))
        if kind is None:
            codes = ", ".join(sorted({t.code for t in self.types.values()}))
            return [
                RowError(
                    planned.row,
                    "type_code",
                    _t("Unknown type “%(code)s”; the types are: %(codes)s.")
                    % {"code": values["type_code"], "codes": codes},
                )
            ]
        if obj.pk is None:
            obj.manufacturer = self.maker(values["manufacturer"])
            obj.name = values["name"]
        obj.asset_type = kind
        self.set_values(obj, values, ("part_number", "end_of_support"))
        return []

    def maker(self, name: str) -> Manufacturer:
        """The manufacturer of this name, created (once) when unknown."""
        key = fold(name)
        found = self.makers.get(key) or self.new_makers.get(key)
        if found is None:
            found = self.new_makers[key] = Manufacturer(name=name)
        return found

    def write(self, plan: list[Planned[AssetModel]], step: Step) -> None:
        Manufacturer.objects.bulk_create(
            list(self.new_makers.values()), batch_size=BATCH
        )
        AssetModel.objects.bulk_create(
            [p.obj for p in plan if p.is_new], batch_size=BATCH
        )
        changed = [p for p in plan if not p.is_new]
        bulk_update(AssetModel, changed, FIELDS)
        # Assets copy their model's type; a model that changes type takes its
        # assets along (the model's own entry records the change).
        for planned in changed:
            if "asset_type" in planned.changes:
                Asset.objects.filter(model=planned.obj).update(
                    asset_type=planned.obj.asset_type
                )
        step(len(plan))

    def side_entries(self) -> list[Any]:
        return [
            audit.build_entry(
                AuditAction.CREATE,
                maker,
                changes=audit.diff(None, maker.audit_values()),
                message=_t("Created by a model import."),
            )
            for maker in self.new_makers.values()
        ]
