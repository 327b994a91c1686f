"""NetBox VLANs and prefixes. NetBox sites are our locations (by code or
name); VLAN groups, tenants and statuses are not kept (a status other than
active is noted); a prefix's role becomes its zone where a zone has the
role's name."""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import Any

from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _

from wardkeeper.inventory.transfer import cells
from wardkeeper.inventory.transfer.base import Planned
from wardkeeper.inventory.transfer.columns import Column
from wardkeeper.inventory.transfer.report import RowError
from wardkeeper.network.importers import cells as net
from wardkeeper.network.importers.netbox import (
    PLAN_STATUSES,
    Places,
    Vlans,
    fold,
    lookup,
    note,
)
from wardkeeper.network.importers.prefixes import PrefixImporter, set_prefix
from wardkeeper.network.importers.vlans import VlanImporter
from wardkeeper.network.models import VLAN, Prefix

TEXT = cells.text()
STATUSES = {word: word for word in PLAN_STATUSES}


def check_status(importer: Any, values: dict[str, Any], row: int) -> list[RowError]:
    if not values.get("status"):
        return []
    status, error = lookup(STATUSES, values["status"], row, "status", _t("status"))
    if error:
        return [error]
    if status != "active":
        message = _t("NetBox status “%(v)s” is not kept.") % {"v": values["status"]}
        importer.notes.append(note(row, "status", message))
    return []


def find_site(
    places: Places, values: dict[str, Any], row: int
) -> tuple[Any, list[RowError]]:
    if not values.get("site"):
        return None, []
    site = places.find(values["site"])
    if site is None:
        message = _t("No location has the code or name “%(v)s”; add it first.")
        return None, [RowError(row, "site", message % {"v": values["site"]})]
    return site, []


class NetboxVlanImporter(VlanImporter):
    """NetBox's VLAN export."""

    kind = "netbox-vlans"
    ignore_unknown_columns = True
    exportable = False

    @classmethod
    def columns(cls) -> Sequence[Column]:
        return (
            Column("site", _("site"), TEXT),
            Column("group", _("group"), TEXT),
            Column(
                "vid",
                _("VLAN ID"),
                net.integer(1, 4094, required=True),
                required=True,
            ),
            Column("name", _("name"), cells.text(80, required=True), required=True),
            Column("status", _("status"), TEXT),
            Column("description", _("description"), cells.text(200)),
        )

    def preload(self, rows: Sequence[dict[str, Any]]) -> None:
        super().preload(rows)
        self.places = Places()

    def key(self, values: dict[str, Any]) -> Hashable | None:
        site = self.places.find(values.get("site")) if values.get("site") else None
        code = site.code if site else f"?{values.get('site') or ''}"
        return (code if values.get("site") else "", values.get("vid"))

    def existing(self, key: Hashable) -> VLAN | None:
        return self.lookups.vlans.get(key)

    def apply(self, planned: Planned[VLAN]) -> list[RowError]:
        values, obj = planned.values, planned.obj
        site, errors = find_site(self.places, values, planned.row)
        errors += check_status(self, values, planned.row)
        if values.get("group"):
            self.notes.append(
                note(planned.row, "group", _t("VLAN groups are not kept."))
            )
        obj.vid, obj.site, obj.name = values["vid"], site, values["name"]
        self.set_values(obj, values, ("description",))
        return errors


class NetboxPrefixImporter(PrefixImporter):
    """NetBox's prefix export."""

    kind = "netbox-prefixes"
    ignore_unknown_columns = True
    exportable = False

    @classmethod
    def columns(cls) -> Sequence[Column]:
        return (
            Column("prefix", _("prefix"), net.prefix, required=True),
            Column("site", _("site"), TEXT),
            Column("vlan", _("VLAN"), TEXT),
            Column("status", _("status"), TEXT),
            Column("role", _("role"), TEXT),
            Column("is_pool", _("pool"), cells.boolean(), aliases=("is a pool",)),
            Column("description", _("description"), cells.text(200)),
        )

    def preload(self, rows: Sequence[dict[str, Any]]) -> None:
        super().preload(rows)
        self.places = Places()
        self.vlan_finder = Vlans()

    def apply(self, planned: Planned[Prefix]) -> list[RowError]:
        values, obj, row = planned.values, planned.obj, planned.row
        set_prefix(obj, values["prefix"])
        site, errors = find_site(self.places, values, row)
        errors += check_status(self, values, row)
        obj.site = site
        obj.vlan = None
        if values.get("vlan"):
            obj.vlan = self.vlan_finder.find(values["vlan"], site)
            if obj.vlan is None:
                message = _t("No VLAN matches “%(v)s”; import the VLANs first.")
                errors.append(RowError(row, "vlan", message % {"v": values["vlan"]}))
        if values.get("role"):
            zone = {fold(z): v for z, v in self.lookups.zones.items()}.get(
                fold(values["role"])
            )
            if zone is None:
                message = _t("No zone is named “%(v)s”; the prefix gets no zone.")
                self.notes.append(note(row, "role", message % {"v": values["role"]}))
            obj.zone = zone
        self.set_unless_empty(obj, values, ("is_pool",))
        self.set_values(obj, values, ("description",))
        return errors
