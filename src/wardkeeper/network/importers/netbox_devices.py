"""NetBox devices → inventory assets, with their rack placements.

A device is matched to an asset by asset tag, then serial number, then name
(or hostname). A device with no match is created: its model from NetBox's
manufacturer and device type (made when missing), its type from the device
role (an asset type with the role's name or code, else ROLES in netbox.py),
its location from the NetBox location or site (a location with that code or
name). What is created or kept differently is a note on the row.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import Any

from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _

from wardkeeper.inventory.models import Asset, AssetModel, AssetType, Manufacturer
from wardkeeper.inventory.transfer import cells
from wardkeeper.inventory.transfer.base import Planned, Step
from wardkeeper.inventory.transfer.columns import Column
from wardkeeper.inventory.transfer.report import RowError
from wardkeeper.network.choices import Face
from wardkeeper.network.importers.base import Lookups, NetworkImporter
from wardkeeper.network.importers.netbox import (
    DEVICE_STATUSES,
    ROLES,
    Devices,
    Places,
    fold,
    lookup,
    note,
)
from wardkeeper.network.models import Placement, Rack

PANEL_ROLES = frozenset({"patch panel", "patchpanel", "patch panels"})


class NetboxDeviceImporter(NetworkImporter[Asset]):
    """NetBox's device export; one asset per device."""

    kind = "netbox-devices"
    model = Asset
    key_column = "name"
    ignore_unknown_columns = True
    exportable = False
    fields = ("serial", "hostname", "ip_address")

    @classmethod
    def columns(cls) -> Sequence[Column]:
        return (
            Column("name", _("name"), cells.text(150, required=True), required=True),
            Column(
                "role", _("role"), cells.text(), aliases=("device_role", "device role")
            ),
            Column("manufacturer", _("manufacturer"), cells.text(120)),
            Column(
                "device_type",
                _("device type"),
                cells.text(120, required=True),
                required=True,
                aliases=("type",),
            ),
            Column("site", _("site"), cells.text(), required=True),
            Column("location", _("location"), cells.text()),
            Column("rack", _("rack"), cells.text()),
            Column("position", _("position"), cells.text(), aliases=("position (u)",)),
            Column("face", _("face"), cells.choice(Face)),
            Column("status", _("status"), cells.text()),
            Column("serial", _("serial"), cells.text(100), aliases=("serial number",)),
            Column("asset_tag", _("asset tag"), cells.text(64)),
            Column(
                "primary_ip",
                _("primary IP"),
                cells.text(),
                aliases=("ip address", "primary ipv4", "primary_ip4"),
            ),
        )

    def key(self, values: dict[str, Any]) -> Hashable | None:
        return fold(values.get("name")) or None

    def preload(self, rows: Sequence[dict[str, Any]]) -> None:
        self.lookups = Lookups()
        self.places = Places()
        self.devices = Devices()
        self.serials: dict[str, Asset] = {}
        for asset in self.lookups.assets.values():
            if asset.serial:
                self.serials.setdefault(asset.serial, asset)
        self.types = {}
        for kind in AssetType.objects.all():
            self.types[fold(kind.code)] = self.types[fold(kind.name)] = kind
        self.makers = {fold(m.name): m for m in Manufacturer.objects.all()}
        self.models = {
            (fold(m.manufacturer.name), fold(m.name)): m
            for m in AssetModel.objects.select_related("manufacturer", "asset_type")
        }
        self.placements = {p.asset_id: p for p in Placement.objects.all()}
        self.racks = list(Rack.objects.select_related("location"))
        self.made: list[Any] = []  # manufacturers and models, in order
        self.place: dict[int, Placement] = {}

    def existing(self, key: Hashable) -> Asset | None:
        return None  # matched in ``apply``: by tag, serial or name

    def match(self, values: dict[str, Any]) -> Asset | None:
        tag, serial = values.get("asset_tag"), values.get("serial")
        if tag and tag in self.lookups.assets:
            return self.lookups.assets[tag]
        if serial and serial in self.serials:
            return self.serials[serial]
        return self.devices.find(values["name"])

    def apply(self, planned: Planned[Asset]) -> list[RowError]:
        values, row = planned.values, planned.row
        if fold(values.get("role")).replace("-", " ") in PANEL_ROLES:
            message = _t("A patch panel: import it as a patch panel, not an asset.")
            self.notes.append(note(row, "role", message))
            self.skipped.add(row)
            return []
        found = self.match(values)
        errors: list[RowError] = []
        place = self.places.find(values.get("location") or values["site"])
        if place is None:
            column = "location" if values.get("location") else "site"
            message = _t("No location has the code or name “%(v)s”; add it first.")
            errors.append(RowError(row, column, message % {"v": values[column]}))
        if found is not None:
            planned.obj, planned.before = found, dict(found._audit_snapshot or {})
            self.update(planned)
        elif place is not None:
            errors += self.create(planned, place)
        if not errors and values.get("rack"):
            errors += self.set_placement(planned, place)
        return errors

    def update(self, planned: Planned[Asset]) -> None:
        values, obj = planned.values, planned.obj
        if not obj.hostname:
            obj.hostname = values["name"]
        if not obj.serial and values.get("serial"):
            obj.serial = values["serial"]
        if values.get("primary_ip"):
            obj.ip_address = values["primary_ip"].split("/")[0]
        status = DEVICE_STATUSES.get(fold(values.get("status")))
        if status and status != obj.status:
            message = _t("%(tag)s stays %(status)s; move it through its lifecycle.")
            self.notes.append(
                note(
                    planned.row,
                    "status",
                    message % {"tag": obj.tag, "status": obj.get_status_display()},
                )
            )

    def create(self, planned: Planned[Asset], place: Any) -> list[RowError]:
        values, obj, row = planned.values, planned.obj, planned.row
        status, error = lookup(
            DEVICE_STATUSES,
            values.get("status") or "active",
            row,
            "status",
            _t("status"),
        )
        if error:
            return [error]
        model, errors = self.asset_model(values, row)
        if errors:
            return errors
        obj.tag = values.get("asset_tag") or f"NB-{values['name']}"[:64]
        obj.name, obj.hostname = values["name"], values["name"]
        obj.serial = values.get("serial") or ""
        obj.model, obj.asset_type, obj.location, obj.status = (
            model,
            model.asset_type,
            place,
            status,
        )
        if values.get("primary_ip"):
            obj.ip_address = values["primary_ip"].split("/")[0]
        message = _t("%(name)s is not in the inventory; it will be created as %(tag)s.")
        self.notes.append(
            note(row, "name", message % {"name": obj.name, "tag": obj.tag})
        )
        return []

    def asset_model(
        self, values: dict[str, Any], row: int
    ) -> tuple[Any, list[RowError]]:
        maker_name = values.get("manufacturer") or "NetBox"
        key = (fold(maker_name), fold(values["device_type"]))
        if key in self.models:
            return self.models[key], []
        role = fold(values.get("role"))
        kind = self.types.get(role) or self.types.get(ROLES.get(role, ""))
        if kind is None:
            message = _t(
                "No asset type matches the role “%(role)s”; add a type with that name."
            )
            return None, [RowError(row, "role", message % {"role": values.get("role")})]
        maker = self.makers.get(key[0])
        if maker is None:
            maker = self.makers[key[0]] = Manufacturer(name=maker_name)
            self.made.append(maker)
        model = AssetModel(
            manufacturer=maker, name=values["device_type"], asset_type=kind
        )
        self.models[key] = model
        self.made.append(model)
        message = _t("The model %(maker)s %(model)s will be created as a %(type)s.")
        self.notes.append(
            note(
                row,
                "device_type",
                message % {"maker": maker_name, "model": model.name, "type": kind.name},
            )
        )
        return model, []

    def set_placement(self, planned: Planned[Asset], place: Any) -> list[RowError]:
        values, row = planned.values, planned.row
        racks = [r for r in self.racks if fold(r.name) == fold(values["rack"])]
        here = [r for r in racks if place is not None and r.location_id == place.pk]
        rack = (here or racks)[0] if len(here or racks) == 1 else None
        if rack is None:
            message = _t("No single rack is named “%(v)s”; import the racks first.")
            return [RowError(row, "rack", message % {"v": values["rack"]})]
        try:
            position = int(float(values.get("position") or 0))
        except ValueError:
            position = 0
        if position < 1:
            return [
                RowError(row, "position", _t("A racked device needs its position."))
            ]
        current = self.placements.get(planned.obj.pk) if planned.obj.pk else None
        placement = current or Placement()
        placement.rack, placement.position = rack, position
        placement.face = values.get("face") or placement.face
        self.place[planned.row] = placement
        if current is None or placement.audit_values() != current._audit_snapshot:
            planned.new_refs.add("placement")
        return []

    def write(self, plan: list[Planned[Asset]], step: Step) -> None:
        for record in self.made:  # audited one by one: few, and new
            record.save()
        super().write(plan, step)
        for planned in plan:
            placement = self.place.get(planned.row)
            if placement is not None:
                placement.asset = planned.obj
                placement.save()
