"""NetBox interfaces and cables, read into our interface and cable kinds:
each row's NetBox values are translated, then the same rules apply as to
our own files (interfaces.py, cables.py)."""

from __future__ import annotations

import re
from collections.abc import Hashable, Sequence
from typing import Any

from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _

from wardkeeper.inventory.transfer import cells
from wardkeeper.inventory.transfer.base import Planned
from wardkeeper.inventory.transfer.columns import Column
from wardkeeper.inventory.transfer.report import RowError
from wardkeeper.network.choices import CableKind, Face
from wardkeeper.network.importers.cables import CableImporter
from wardkeeper.network.importers.interfaces import InterfaceImporter
from wardkeeper.network.importers.netbox import (
    CABLE_KINDS,
    CABLE_STATUSES,
    INTERFACE_KINDS,
    INTERFACE_NEAR,
    VLAN_MODES,
    Devices,
    Vlans,
    fold,
    lookup,
    metres,
    note,
)
from wardkeeper.network.models import Cable, Interface

TEXT = cells.text()


class NetboxInterfaceImporter(InterfaceImporter):
    """NetBox's interface export. MTU is not kept."""

    kind = "netbox-interfaces"
    ignore_unknown_columns = True
    exportable = False

    @classmethod
    def columns(cls) -> Sequence[Column]:
        return (
            Column("device", _("device"), TEXT, required=True),
            Column("name", _("name"), cells.text(64, required=True), required=True),
            Column("type", _("type"), TEXT),
            Column("enabled", _("enabled"), cells.boolean()),
            Column("mtu", "MTU", TEXT),
            Column("mac_address", _("MAC address"), cells.mac_address),
            Column("mode", _("mode"), TEXT, aliases=("802.1q mode",)),
            Column("untagged_vlan", _("untagged VLAN"), TEXT),
            Column("tagged_vlans", _("tagged VLANs"), TEXT),
            Column("description", _("description"), cells.text(200)),
        )

    def preload(self, rows: Sequence[dict[str, Any]]) -> None:
        super().preload([])
        self.devices = Devices()
        self.vlan_finder = Vlans()
        self.in_file = set()

    def key(self, values: dict[str, Any]) -> Hashable | None:
        asset = self.devices.find(values.get("device"))
        tag = asset.tag if asset else f"?{values.get('device')}"
        return (tag, values.get("name")) if values.get("name") else None

    def apply(self, planned: Planned[Interface]) -> list[RowError]:
        values, row = planned.values, planned.row
        asset = self.devices.find(values["device"])
        if asset is None:
            message = _t("No device is named “%(v)s”; import the devices first.")
            return [RowError(row, "device", message % {"v": values["device"]})]
        errors: list[RowError] = []
        ours: dict[str, Any] = {"device": asset.tag, "name": values["name"], "lag": ""}
        if values.get("type"):
            kind, error = lookup(
                INTERFACE_KINDS, values["type"], row, "type", _t("interface type")
            )
            errors += [error] if error else []
            ours["type"] = kind
            if fold(values["type"]) in INTERFACE_NEAR:
                self.notes.append(
                    note(
                        row,
                        "type",
                        _t("“%(v)s” is kept as %(k)s.")
                        % {"v": values["type"], "k": kind},
                    )
                )
        ours["mode"] = None
        if values.get("mode"):
            ours["mode"], error = lookup(
                VLAN_MODES, values["mode"], row, "mode", _t("mode")
            )
            errors += [error] if error else []
        if values.get("mtu"):
            self.notes.append(note(row, "mtu", _t("The MTU is not kept.")))
        planned.values = {**values, **ours, "untagged_vlan": None, "tagged_vlans": []}
        if errors:
            return errors
        errors = super().apply(planned)
        return errors + self.set_vlans(planned, asset, values)

    def set_vlans(
        self, planned: Planned[Interface], asset: Any, values: dict[str, Any]
    ) -> list[RowError]:
        """NetBox names VLANs as ``Name (vid)``; found at the device's site first."""
        planned.new_refs.discard("tagged_vlans")
        errors = []
        found = []
        for column in ("untagged_vlan", "tagged_vlans"):
            for word in [
                p.strip()
                for p in cells.cell_text(values.get(column)).split(",")
                if p.strip()
            ]:
                vlan = self.vlan_finder.find(word, asset.location)
                if vlan is None:
                    message = _t("No VLAN matches “%(v)s”; import the VLANs first.")
                    errors.append(RowError(planned.row, column, message % {"v": word}))
                found.append((column, vlan))
        planned.obj.untagged_vlan = next(
            (v for c, v in found if c == "untagged_vlan"), None
        )
        tagged = [v for c, v in found if c == "tagged_vlans" and v is not None]
        self.tagged[planned.row] = tagged
        if not planned.is_new and {v.pk for v in tagged} != self.current.get(
            planned.obj.pk, set()
        ):
            planned.new_refs.add("tagged_vlans")
        return errors


# NetBox termination types: what our cable ends take, and what is skipped.
TERMINATIONS = {
    "dcim.interface": "interface",
    "interface": "interface",
    "dcim.frontport": Face.FRONT,
    "front port": Face.FRONT,
    "dcim.rearport": Face.REAR,
    "rear port": Face.REAR,
}
NOT_NETWORK = ("console", "power", "circuit")


class NetboxCableImporter(CableImporter):
    """NetBox's cable export. A patch panel is a NetBox device with front and
    rear ports; here it is the patch panel of that name, port N by the
    number in the port's name. Console and power cables are skipped."""

    kind = "netbox-cables"
    ignore_unknown_columns = True
    exportable = False

    @classmethod
    def columns(cls) -> Sequence[Column]:
        sides = []
        for side in ("a", "b"):
            upper = side.upper()
            sides += [
                Column(
                    f"side_{side}_device",
                    f"side {upper} device",
                    TEXT,
                    required=True,
                    aliases=(f"device {upper}",),
                ),
                Column(f"side_{side}_type", f"side {upper} type", TEXT, required=True),
                Column(
                    f"side_{side}_name",
                    f"side {upper} name",
                    TEXT,
                    required=True,
                    aliases=(f"termination {upper}",),
                ),
            ]
        return (
            *sides,
            Column("type", _("type"), TEXT),
            Column("status", _("status"), TEXT),
            Column("label", _("label"), cells.text(60)),
            Column("color", _("colour"), cells.text(30), aliases=("colour",)),
            Column("length", _("length"), TEXT),
            Column("length_unit", _("length unit"), TEXT),
        )

    def preload(self, rows: Sequence[dict[str, Any]]) -> None:
        super().preload(rows)
        self.devices = Devices()
        self.panels_by_name: dict[str, list[Any]] = {}
        for (room, name), panel in self.lookups.panels.items():
            self.panels_by_name.setdefault(fold(name), []).append((room, panel))

    def key(self, values: dict[str, Any]) -> Hashable | None:
        return tuple(
            values.get(f"side_{s}_{p}")
            for s in "ab"
            for p in ("device", "type", "name")
        )

    def apply(self, planned: Planned[Cable]) -> list[RowError]:
        values, row = planned.values, planned.row
        if any(
            word in fold(values[f"side_{s}_type"]) for s in "ab" for word in NOT_NETWORK
        ):
            self.notes.append(
                note(row, "side_a_type", _t("Not a network cable; skipped."))
            )
            self.skipped.add(row)
            return []
        ours: dict[str, Any] = {}
        errors: list[RowError] = []
        for side in ("a", "b"):
            errors += self.end(values, side, row, ours)
        if values.get("type"):
            ours["type"], error = lookup(
                CABLE_KINDS, values["type"], row, "type", _t("cable type")
            )
            errors += [error] if error else []
            if ours["type"] == CableKind.OTHER:
                self.notes.append(
                    note(
                        row,
                        "type",
                        _t("“%(v)s” is kept as other.") % {"v": values["type"]},
                    )
                )
        ours["status"] = None
        if values.get("status"):
            ours["status"], error = lookup(
                CABLE_STATUSES, values["status"], row, "status", _t("status")
            )
            errors += [error] if error else []
        ours["length_m"], error = metres(
            values.get("length"), values.get("length_unit"), row
        )
        errors += [error] if error else []
        ours["colour"] = values.get("color", "")
        ours["description"] = ""
        if errors:
            return errors
        planned.values = {**values, **ours}
        errors = super().apply(planned)
        # Our cable columns have other names than NetBox's: set them here.
        planned.obj.colour = ours["colour"]
        planned.obj.length_m = ours["length_m"]
        return errors

    def end(
        self, values: dict[str, Any], side: str, row: int, ours: dict[str, Any]
    ) -> list[RowError]:
        """Translate one NetBox termination into our end columns."""
        device, name = values[f"side_{side}_device"], values[f"side_{side}_name"]
        what, error = lookup(
            TERMINATIONS,
            values[f"side_{side}_type"],
            row,
            f"side_{side}_type",
            _t("termination type"),
        )
        if error:
            return [error]
        blank = {
            "device": "",
            "interface": "",
            "room": "",
            "panel": "",
            "port": None,
            "face": "",
            "outlet": "",
        }
        ours.update({f"{side}_{k}": v for k, v in blank.items()})
        if what == "interface":
            asset = self.devices.find(device)
            if asset is None:
                message = _t("No device is named “%(v)s”; import the devices first.")
                return [RowError(row, f"side_{side}_device", message % {"v": device})]
            ours[f"{side}_device"], ours[f"{side}_interface"] = asset.tag, name
            return []
        panels = self.panels_by_name.get(fold(device), [])
        number = re.search(r"(\d+)\s*$", name)
        if len(panels) != 1 or number is None:
            message = _t(
                "No single patch panel “%(panel)s” with a numbered port “%(port)s”."
            )
            return [
                RowError(
                    row, f"side_{side}_name", message % {"panel": device, "port": name}
                )
            ]
        room, panel = panels[0]
        ours.update(
            {
                f"{side}_room": room,
                f"{side}_panel": panel.name,
                f"{side}_port": int(number.group(1)),
                f"{side}_face": what,
            }
        )
        return []
