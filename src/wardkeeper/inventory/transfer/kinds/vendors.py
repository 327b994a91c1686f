"""Vendors, keyed by name."""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import Any

from django.utils.translation import gettext_lazy as _

from wardkeeper.inventory.filters import VendorFilter
from wardkeeper.inventory.models import Vendor
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

FIELDS = ("name", "contact_name", "phone", "email", "address")


class VendorImporter(Importer[Vendor]):
    """Vendors: a row per company, matched by its exact name."""

    kind = "vendors"
    model = Vendor
    key_column = "name"
    filterset = VendorFilter

    @classmethod
    def columns(cls) -> Sequence[Column]:
        return (
            Column("name", _("name"), cells.text(120, required=True), required=True),
            Column("contact_name", _("contact"), cells.text(120)),
            Column("phone", _("phone"), cells.text(40)),
            Column("email", _("e-mail"), cells.email),
            Column("address", _("address"), cells.text()),
        )

    @classmethod
    def export_row(cls, obj: Vendor) -> list[Any]:
        return [getattr(obj, name) for name in FIELDS]

    def preload(self, rows: Sequence[dict[str, Any]]) -> None:
        names = [row.get("name") for row in rows]
        self.by_name = {
            vendor.name: vendor
            for vendor in load_by(Vendor.objects.all(), "name", names)
        }

    def existing(self, key: Hashable) -> Vendor | None:
        return self.by_name.get(str(key))

    def new(self) -> Vendor:
        return Vendor()

    def apply(self, planned: Planned[Vendor]) -> list[RowError]:
        self.set_values(planned.obj, planned.values, FIELDS)
        return []

    def write(self, plan: list[Planned[Vendor]], step: Step) -> None:
        Vendor.objects.bulk_create([p.obj for p in plan if p.is_new], batch_size=BATCH)
        bulk_update(Vendor, [p for p in plan if not p.is_new], FIELDS)
        step(len(plan))
