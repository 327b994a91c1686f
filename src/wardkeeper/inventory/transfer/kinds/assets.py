"""Assets, keyed by tag. References (model, location, department, vendor,
parent) are looked up in dictionaries loaded once; a parent may be another
row of the same file. A status that differs from an existing asset's must be
a move the lifecycle allows."""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _t

from wardkeeper.core import audit
from wardkeeper.core.models.audit import AuditAction
from wardkeeper.inventory.choices import (
    LIFECYCLE_MOVES,
    AssetStatus,
)
from wardkeeper.inventory.filters import AssetFilter
from wardkeeper.inventory.models import (
    Asset,
    AssetModel,
    AssetType,
    DataWipeRecord,
    Department,
    LifecycleEvent,
    Location,
    Vendor,
)
from wardkeeper.inventory.transfer import bulk
from wardkeeper.inventory.transfer.base import (
    Importer,
    Planned,
    Step,
    bulk_update,
    load_by,
)
from wardkeeper.inventory.transfer.bulk import BATCH, chunks
from wardkeeper.inventory.transfer.columns import Column
from wardkeeper.inventory.transfer.kinds.asset_columns import columns, export_row
from wardkeeper.inventory.transfer.kinds.models import fold
from wardkeeper.inventory.transfer.report import RowError

PLAIN = (
    "name",
    "serial",
    "custodian",
    "hostname",
    "ip_address",
    "mac_address",
    "purchase_order",
    "purchase_date",
    "purchase_cost",
    "warranty_end",
    "criticality_override",
    "notes",
)
FIELDS = (
    *PLAIN,
    "model",
    "asset_type",
    "status",
    "condition",
    "location",
    "department",
    "vendor",
    "parent",
    "updated_at",
)
# (column, field, attribute of the importer holding the lookup)
REFERENCES = (
    ("location_code", "location", "places"),
    ("department_code", "department", "departments"),
    ("vendor", "vendor", "vendors"),
)
MAX_DEPTH = 50


class AssetImporter(Importer[Asset]):
    """Assets: a row per piece of equipment, matched by tag."""

    kind = "assets"
    model = Asset
    key_column = "tag"
    filterset = AssetFilter

    @classmethod
    def columns(cls) -> Sequence[Column]:
        return columns()

    @classmethod
    def export_queryset(cls) -> QuerySet[Asset]:
        return Asset.objects.select_related(
            "model__manufacturer",
            "asset_type",
            "location",
            "department",
            "vendor",
            "parent",
        )

    @classmethod
    def export_row(cls, obj: Asset) -> list[Any]:
        return export_row(obj)

    def preload(self, rows: Sequence[dict[str, Any]]) -> None:
        tags = [row.get("tag") for row in rows]
        tags += [row.get("parent_tag") for row in rows]
        self.by_tag = {a.tag: a for a in load_by(Asset.objects.all(), "tag", tags)}
        self.by_id = {asset.pk: asset for asset in self.by_tag.values()}
        self.pairs: dict[tuple[str, str], AssetModel] = {}
        self.combined: dict[str, AssetModel] = {}
        for model in AssetModel.objects.select_related("manufacturer"):
            maker = fold(model.manufacturer.name)
            self.pairs[(maker, fold(model.name))] = model
            self.combined[f"{maker} {fold(model.name)}"] = model
        self.types = {kind.pk: kind for kind in AssetType.objects.all()}
        codes = [row.get("location_code") for row in rows]
        self.places = {
            p.code: p for p in load_by(Location.objects.all(), "code", codes)
        }
        codes = [row.get("department_code") for row in rows]
        self.departments = {
            d.code: d for d in load_by(Department.objects.all(), "code", codes)
        }
        self.vendors: dict[str, Vendor] = {}
        for vendor in Vendor.objects.all():
            self.vendors[vendor.name] = vendor
            self.vendors.setdefault(fold(vendor.name), vendor)
        disposing = any(row.get("status") == AssetStatus.DISPOSED for row in rows)
        self.wiped = (
            set(DataWipeRecord.objects.values_list("asset_id", flat=True))
            if disposing
            else set()
        )

    def existing(self, key: Hashable) -> Asset | None:
        return self.by_tag.get(str(key))

    def new(self) -> Asset:
        return Asset()

    def apply(self, planned: Planned[Asset]) -> list[RowError]:
        obj, values = planned.obj, planned.values
        if obj.pk is None:
            obj.tag = values["tag"]
        self.set_values(obj, values, PLAIN)
        self.set_unless_empty(obj, values, ("condition",))
        errors = self._set_model(planned)
        for column, name, lookup in REFERENCES:
            errors += self._set_reference(planned, column, name, getattr(self, lookup))
        if not errors:
            errors += self._set_status(planned)
        return errors

    def _set_model(self, planned: Planned[Asset]) -> list[RowError]:
        values = planned.values
        maker = (
            values.get("manufacturer") if self.header.present("manufacturer") else ""
        )
        if maker:
            model = self.pairs.get((fold(maker), fold(values["model"])))
            shown = f"{maker} {values['model']}"
        else:
            model = self.combined.get(fold(values["model"]))
            shown = values["model"]
        if model is None:
            message = _t(
                "No model “%(model)s” is known; import it in a models file first."
            )
            return [RowError(planned.row, "model", message % {"model": shown})]
        planned.obj.model = model
        planned.obj.asset_type_id = model.asset_type_id
        return []

    def _set_reference(
        self, planned: Planned[Asset], column: str, name: str, lookup: dict[str, Any]
    ) -> list[RowError]:
        if not self.header.present(column):
            return []
        key = planned.values[column]
        found = (lookup.get(key) or lookup.get(fold(key))) if key else None
        if key and found is None:
            message = _t("“%(value)s” is not known (no %(column)s matches it).")
            return [
                RowError(
                    planned.row, column, message % {"value": key, "column": column}
                )
            ]
        setattr(planned.obj, name, found)
        return []

    def _set_status(self, planned: Planned[Asset]) -> list[RowError]:
        """A new asset takes any status; an existing one must follow the
        lifecycle, and a disposal of a data-holding device needs a wipe."""
        to = planned.values.get("status")
        obj = planned.obj
        if to is None or to == obj.status:
            return []
        if planned.before is not None:
            message = self.refused_move(obj, to)
            if message:
                return [RowError(planned.row, "status", message)]
            planned.action = AuditAction.LIFECYCLE
        obj.status = to
        return []

    def refused_move(self, obj: Asset, to: str) -> str:
        current = AssetStatus(obj.status)
        if to not in LIFECYCLE_MOVES[current]:
            allowed = [
                str(AssetStatus(s).label)
                for s in AssetStatus.values
                if s in LIFECYCLE_MOVES[current]
            ]
            return _t(
                "An asset that is %(now)s cannot move to %(to)s; allowed: %(allowed)s."
            ) % {
                "now": current.label,
                "to": AssetStatus(to).label,
                "allowed": ", ".join(allowed) or _t("none"),
            }
        kind = self.types[obj.asset_type_id]
        if to == AssetStatus.DISPOSED and kind.stores_data and obj.pk not in self.wiped:
            return _t("%(type)s stores data: record the data wipe before disposal.") % {
                "type": kind.name
            }
        return ""

    def resolve(self, plan: list[Planned[Asset]]) -> list[RowError]:
        if not self.header.present("parent_tag"):
            return []
        self._load_ancestors()
        created = {p.obj.tag: p.obj for p in plan if p.is_new}
        errors: list[RowError] = []
        for planned in plan:
            tag = planned.values["parent_tag"]
            parent = (created.get(tag) or self.by_tag.get(tag)) if tag else None
            if tag and parent is None:
                message = _t(
                    "No asset has the tag “%(tag)s”, in the database or in this file."
                )
                errors.append(
                    RowError(planned.row, "parent_tag", message % {"tag": tag})
                )
                continue
            planned.obj.parent = parent
            if parent is not None and parent.pk is None:
                planned.new_refs.add("parent")
        for planned in plan:
            if self._loops(planned.obj):
                message = _t("An asset cannot be part of itself or of its own parts.")
                errors.append(RowError(planned.row, "parent_tag", message))
        return errors

    def _load_ancestors(self) -> None:
        """Load the parents of loaded assets, level by level, so a loop made
        through records outside the file is still seen."""
        for _level in range(MAX_DEPTH):
            missing = sorted(
                {
                    a.parent_id
                    for a in self.by_id.values()
                    if a.parent_id and a.parent_id not in self.by_id
                }
            )
            if not missing:
                return
            for part in chunks(missing):
                self.by_id.update({a.pk: a for a in Asset.objects.filter(pk__in=part)})

    def parent_of(self, asset: Asset) -> Asset | None:
        if Asset.parent.is_cached(asset):
            return asset.parent
        return self.by_id.get(asset.parent_id) if asset.parent_id else None

    def _loops(self, asset: Asset) -> bool:
        parent = self.parent_of(asset)
        for _step in range(MAX_DEPTH):
            if parent is None:
                return False
            if parent is asset:
                return True
            parent = self.parent_of(parent)
        return True

    def write(self, plan: list[Planned[Asset]], step: Step) -> None:
        now = timezone.now()
        new = [p.obj for p in plan if p.is_new]
        for asset in new:
            # One import, one moment: and auto_now does not run on this path.
            asset.created_at = asset.updated_at = now
        # Parts after the asset they belong to, so its id is known.
        depths = {id(asset): self._new_depth(asset) for asset in new}
        for depth in sorted(set(depths.values())):
            wave = [asset for asset in new if depths[id(asset)] == depth]
            for part in chunks(wave, BATCH):
                bulk.insert(Asset, part, "tag")
                step(len(part))
        changed = [p for p in plan if not p.is_new]
        for planned in changed:
            planned.obj.updated_at = now
        for part in chunks(changed, BATCH):
            bulk_update(Asset, part, FIELDS)
            step(len(part))
        self._record_moves(changed)

    def _new_depth(self, asset: Asset) -> int:
        depth, parent = 0, self.parent_of(asset)
        while parent is not None and parent.pk is None and depth < MAX_DEPTH:
            depth, parent = depth + 1, self.parent_of(parent)
        return depth

    def _record_moves(self, changed: list[Planned[Asset]]) -> None:
        actor = audit.current().resolve_actor()
        LifecycleEvent.objects.bulk_create(
            [
                LifecycleEvent(
                    asset=p.obj,
                    from_status=(p.before or {}).get("status", ""),
                    to_status=p.obj.status,
                    reason=_t("Imported from a file (row %(row)d).") % {"row": p.row},
                    actor=actor,
                )
                for p in changed
                if p.action == AuditAction.LIFECYCLE
            ],
            batch_size=BATCH,
        )
