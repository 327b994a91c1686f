"""What the network's kinds share: permissions from the model, lookups of
the records files name by their natural keys, and the bulk write.

Records are named in files the way people name them, never by database id:
a room by its location code, a device by its asset tag, a rack or a panel by
its room and name, an interface by device and name, a VLAN as ``20`` or
``20@SITE``, a zone by name.
"""

from __future__ import annotations

from functools import cached_property
from typing import Any, ClassVar, TypeVar

import django_filters
from django.db.models import Model
from django.utils.translation import gettext as _

from wardkeeper.core.models import AuditedModel
from wardkeeper.inventory.models import Asset, Location
from wardkeeper.inventory.transfer.base import Importer, Planned, Step, bulk_update
from wardkeeper.inventory.transfer.bulk import BATCH
from wardkeeper.inventory.transfer.report import RowError
from wardkeeper.network.models import (
    VLAN,
    Interface,
    Outlet,
    PanelPort,
    PatchPanel,
    Rack,
    Zone,
)

M = TypeVar("M", bound=AuditedModel)


def filterset_for(model: type[Model], fields: list[str]) -> type[Any]:
    """A FilterSet for an export of ``model`` by exact values of ``fields``."""
    meta = type("Meta", (), {"model": model, "fields": fields})
    return type(
        f"{model.__name__}ExportFilter", (django_filters.FilterSet,), {"Meta": meta}
    )


class NetworkImporter(Importer[M]):
    """A network kind: importing needs the add and change permissions of
    its model, exporting the view permission."""

    # Model fields an import writes to an existing record.
    fields: ClassVar[tuple[str, ...]] = ()

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        model = cls.__dict__.get("model")
        if model is not None:
            meta = model._meta
            name = f"{meta.app_label}.%s_{meta.model_name}"
            cls.import_permissions = (name % "add", name % "change")
            cls.export_permissions = (name % "view",)

    def __init__(self, header: Any) -> None:
        super().__init__(header)
        # Rows read but not imported (a NetBox power cable): noted, not written.
        self.skipped: set[int] = set()

    def new(self) -> M:
        return self.model()  # type: ignore[return-value]

    def resolve(self, plan: list[Planned[M]]) -> list[RowError]:
        self.drop_skipped(plan)
        return []

    def drop_skipped(self, plan: list[Planned[M]]) -> None:
        plan[:] = [p for p in plan if p.row not in self.skipped]

    def write(self, plan: list[Planned[M]], step: Step) -> None:
        new = [p.obj for p in plan if p.is_new]
        self.model._default_manager.bulk_create(new, batch_size=BATCH)
        bulk_update(self.model, [p for p in plan if not p.is_new], self.fields)
        self.after_write(plan)
        step(len(plan))

    def after_write(self, plan: list[Planned[M]]) -> None:
        """What is stored beside the records (ports, ends, tagged VLANs)."""


class Lookups:
    """The records a file may name, each table read once when first needed."""

    @cached_property
    def locations(self) -> dict[Any, Location]:
        return {loc.code: loc for loc in Location.objects.all()}

    @cached_property
    def assets(self) -> dict[Any, Asset]:
        return {a.tag: a for a in Asset.objects.select_related("location")}

    @cached_property
    def racks(self) -> dict[Any, Rack]:
        return {
            (r.location.code, r.name): r
            for r in Rack.objects.select_related("location")
        }

    @cached_property
    def panels(self) -> dict[Any, PatchPanel]:
        return {
            (p.location.code, p.name): p
            for p in PatchPanel.objects.select_related("location")
        }

    @cached_property
    def ports(self) -> dict[Any, PanelPort]:
        return {(p.panel_id, p.number): p for p in PanelPort.objects.all()}

    @cached_property
    def outlets(self) -> dict[Any, Outlet]:
        return {o.label: o for o in Outlet.objects.all()}

    @cached_property
    def interfaces(self) -> dict[Any, Interface]:
        return {
            (i.device.tag, i.name): i
            for i in Interface.objects.select_related("device")
        }

    @cached_property
    def vlans(self) -> dict[Any, VLAN]:
        return {
            (v.site.code if v.site else "", v.vid): v
            for v in VLAN.objects.select_related("site")
        }

    @cached_property
    def zones(self) -> dict[Any, Zone]:
        return {z.name: z for z in Zone.objects.all()}


def missing(row: int, column: str, what: Any, value: Any) -> RowError:
    """The error for a reference to a record that does not exist."""
    return RowError(
        row,
        column,
        _("No %(what)s is named “%(value)s”.") % {"what": what, "value": value},
    )


class Resolver:
    """Finds the records a row names, collecting an error per bad cell."""

    def __init__(self, lookups: Lookups, row: int) -> None:
        self.lookups = lookups
        self.row = row
        self.errors: list[RowError] = []

    def location(self, column: str, code: str | None) -> Location | None:
        if not code:
            return None
        found = self.lookups.locations.get(code)
        if found is None:
            self.errors.append(missing(self.row, column, _("location code"), code))
        return found

    def asset(self, column: str, tag: str | None) -> Asset | None:
        if not tag:
            return None
        found = self.lookups.assets.get(tag)
        if found is None:
            self.errors.append(missing(self.row, column, _("asset tag"), tag))
        return found

    def rack(self, column: str, room: str | None, name: str | None) -> Rack | None:
        if not name:
            return None
        found = self.lookups.racks.get((room or "", name))
        if found is None:
            where = f"{room}/{name}" if room else name
            self.errors.append(missing(self.row, column, _("rack"), where))
        return found

    def vlan(self, column: str, ref: tuple[str, int] | None) -> VLAN | None:
        if ref is None:
            return None
        found = self.lookups.vlans.get(ref)
        if found is None:
            self.errors.append(
                missing(
                    self.row,
                    column,
                    _("VLAN"),
                    f"{ref[1]}@{ref[0]}" if ref[0] else ref[1],
                )
            )
        return found

    def zone(self, column: str, name: str | None) -> Zone | None:
        if not name:
            return None
        found = self.lookups.zones.get(name)
        if found is None:
            self.errors.append(missing(self.row, column, _("zone"), name))
        return found
