"""Imports of NetBox's CSV exports, for hospitals moving from NetBox.

NetBox names things its own way; these tables say what each of its values
becomes here. A value not in a table is an error on its row naming the
value (never a silent guess); values we map to a near equivalent or do not
keep are notes the dry run shows. Load the files in order: devices,
interfaces, cables, VLANs, prefixes (VLANs may come first when interfaces
name them).
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _

from wardkeeper.inventory.choices import AssetStatus
from wardkeeper.inventory.models import Asset, Location
from wardkeeper.inventory.transfer.cells import cell_text
from wardkeeper.inventory.transfer.report import RowError
from wardkeeper.network.choices import CableKind, CableStatus, InterfaceKind, VlanMode
from wardkeeper.network.models import VLAN

K = InterfaceKind
# NetBox interface type (its value, and its label without the speed note).
INTERFACE_KINDS: dict[str, str] = {
    "100base-tx": K.COPPER_100M,
    "100base-fx": K.OTHER,
    "1000base-t": K.COPPER_1G,
    "2.5gbase-t": K.COPPER_2G5,
    "5gbase-t": K.COPPER_10G,
    "10gbase-t": K.COPPER_10G,
    "1000base-x-gbic": K.SFP_1G,
    "1000base-x-sfp": K.SFP_1G,
    "10gbase-x-sfpp": K.SFP_10G,
    "10gbase-x-xfp": K.SFP_10G,
    "25gbase-x-sfp28": K.SFP_25G,
    "40gbase-x-qsfpp": K.QSFP_40G,
    "100gbase-x-qsfp28": K.QSFP_100G,
    "virtual": K.VIRTUAL,
    "bridge": K.VIRTUAL,
    "lag": K.LAG,
    "ieee802.11a": K.WIRELESS,
    "ieee802.11g": K.WIRELESS,
    "ieee802.11n": K.WIRELESS,
    "ieee802.11ac": K.WIRELESS,
    "ieee802.11ax": K.WIRELESS,
    "ieee802.11be": K.WIRELESS,
    "other": K.OTHER,
    # Labels as NetBox's table export writes them.
    "100base-tx (10/100me)": K.COPPER_100M,
    "1000base-t (1ge)": K.COPPER_1G,
    "2.5gbase-t (2.5ge)": K.COPPER_2G5,
    "10gbase-t (10ge)": K.COPPER_10G,
    "sfp (1ge)": K.SFP_1G,
    "sfp+ (10ge)": K.SFP_10G,
    "sfp28 (25ge)": K.SFP_25G,
    "qsfp+ (40ge)": K.QSFP_40G,
    "qsfp28 (100ge)": K.QSFP_100G,
    "link aggregation group (lag)": K.LAG,
}
# NetBox types we take as a near equivalent: noted on the row.
INTERFACE_NEAR = frozenset(
    {"5gbase-t", "100base-fx", "10gbase-x-xfp", "1000base-x-gbic"}
)

VLAN_MODES = {
    "access": VlanMode.ACCESS,
    "tagged": VlanMode.TRUNK,
    "tagged (all)": VlanMode.TRUNK_ALL,
    "tagged-all": VlanMode.TRUNK_ALL,
    "q-in-q": VlanMode.TRUNK,
    "q-in-q (802.1ad)": VlanMode.TRUNK,
}

CABLE_KINDS = {
    "cat5e": CableKind.CAT5E,
    "cat6": CableKind.CAT6,
    "cat6a": CableKind.CAT6A,
    "cat7": CableKind.CAT7,
    "cat7a": CableKind.CAT7,
    "cat8": CableKind.CAT8,
    "mmf-om3": CableKind.OM3,
    "mmf-om4": CableKind.OM4,
    "mmf-om5": CableKind.OM5,
    "smf": CableKind.OS2,
    "smf-os1": CableKind.OS2,
    "smf-os2": CableKind.OS2,
    "dac-active": CableKind.DAC,
    "dac-passive": CableKind.DAC,
    "power": CableKind.POWER,
    # Kept as "other", with a note.
    "cat3": CableKind.OTHER,
    "cat5": CableKind.OTHER,
    "mmf": CableKind.OTHER,
    "mmf-om1": CableKind.OTHER,
    "mmf-om2": CableKind.OTHER,
    "aoc": CableKind.OTHER,
    "coaxial": CableKind.OTHER,
    "mrj21-trunk": CableKind.OTHER,
}
CABLE_STATUSES = {
    "connected": CableStatus.INSTALLED,
    "planned": CableStatus.PLANNED,
    "decommissioning": CableStatus.REMOVED,
}
# NetBox device status → the status a device is created with here.
DEVICE_STATUSES = {
    "active": AssetStatus.IN_USE,
    "offline": AssetStatus.IN_STOCK,
    "planned": AssetStatus.ORDERED,
    "staged": AssetStatus.IN_STOCK,
    "inventory": AssetStatus.IN_STOCK,
    "failed": AssetStatus.IN_REPAIR,
    "decommissioning": AssetStatus.RETIRED,
}
# NetBox VLAN and prefix statuses; not kept here (every record is in use).
PLAN_STATUSES = frozenset({"active", "reserved", "deprecated", "container"})
# NetBox device role → asset type code, when no type has the role's name.
ROLES = {
    "access switch": "switch",
    "core switch": "switch",
    "distribution switch": "switch",
    "leaf": "switch",
    "spine": "switch",
    "access point": "wireless-ap",
    "wireless ap": "wireless-ap",
    "ap": "wireless-ap",
    "router": "router",
    "edge router": "router",
    "firewall": "firewall",
    "server": "server",
    "hypervisor": "server",
    "pdu": "ups",
}
LENGTH_UNITS = {
    "m": Decimal(1),
    "meters": Decimal(1),
    "cm": Decimal("0.01"),
    "centimeters": Decimal("0.01"),
    "km": Decimal(1000),
    "kilometers": Decimal(1000),
    "ft": Decimal("0.3048"),
    "feet": Decimal("0.3048"),
    "in": Decimal("0.0254"),
    "inches": Decimal("0.0254"),
}


def fold(value: Any) -> str:
    return re.sub(r"\s+", " ", cell_text(value).casefold()).strip()


def lookup(
    table: dict[str, Any], value: Any, row: int, column: str, what: str
) -> tuple[Any, RowError | None]:
    """``table[value]`` by its folded spelling, or the error naming the value."""
    word = fold(value)
    if word in table:
        return table[word], None
    known = ", ".join(sorted(k for k in table if "(" not in k))
    message = _t("Unknown %(what)s “%(value)s”; known: %(known)s.") % {
        "what": what,
        "value": cell_text(value),
        "known": known,
    }
    return None, RowError(row, column, message)


def note(row: int, column: str, message: str) -> RowError:
    return RowError(row, column, message)


def metres(length: Any, unit: Any, row: int) -> tuple[Decimal | None, RowError | None]:
    """A length in NetBox's unit, in metres rounded to the centimetre."""
    text = cell_text(length).replace(",", ".")
    if not text:
        return None, None
    factor, error = lookup(LENGTH_UNITS, unit or "m", row, "length_unit", _t("unit"))
    if error:
        return None, error
    try:
        value = Decimal(text) * factor
    except ArithmeticError:
        return None, RowError(
            row, "length", _t("“%(v)s” is not a number.") % {"v": text}
        )
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP), None


class Places:
    """NetBox sites and locations → our locations, by code or by name."""

    def __init__(self) -> None:
        self.by_word: dict[str, Location | None] = {}
        for place in Location.objects.all():
            for word in (fold(place.code), fold(place.name)):
                # A name two places share matches neither.
                self.by_word[word] = None if word in self.by_word else place

    def find(self, value: Any) -> Location | None:
        return self.by_word.get(fold(value))


class Devices:
    """NetBox device names → assets: by name, then by hostname."""

    def __init__(self) -> None:
        self.by_name: dict[str, Asset | None] = {}
        hosts: dict[str, Asset] = {}
        for asset in Asset.objects.select_related("location"):
            word = fold(asset.name)
            self.by_name[word] = None if word in self.by_name else asset
            if asset.hostname:
                hosts.setdefault(fold(asset.hostname), asset)
        for word, asset in hosts.items():
            if self.by_name.get(word) is None:
                self.by_name[word] = asset

    def find(self, name: Any) -> Asset | None:
        return self.by_name.get(fold(name))


def vlan_words(value: Any) -> list[str]:
    """NetBox VLAN cells: ``Guest (20)``, ``20``, or several, comma-separated."""
    return [part.strip() for part in cell_text(value).split(",") if part.strip()]


class Vlans:
    """A NetBox VLAN reference → our VLAN, preferring the device's site."""

    def __init__(self) -> None:
        self.all = list(VLAN.objects.select_related("site"))

    def find(self, word: str, site: Location | None) -> VLAN | None:
        match = re.match(r"^(.*?)\s*\((\d+)\)$", word)
        name, vid = (match.group(1), int(match.group(2))) if match else (word, None)
        if vid is None and name.isdigit():
            name, vid = "", int(name)
        fits = [
            v
            for v in self.all
            if (vid is None or v.vid == vid)
            and (not name or fold(v.name) == fold(name))
        ]
        sites = {site.pk, site.campus_id, site.parent_id} if site else set()
        for vlan in fits:
            if vlan.site_id in sites:
                return vlan
        plain = [v for v in fits if v.site_id is None]
        if plain:
            return plain[0]
        return fits[0] if len(fits) == 1 else None


def _kinds() -> tuple[tuple[Any, Any], ...]:
    from wardkeeper.network.importers.netbox_devices import NetboxDeviceImporter
    from wardkeeper.network.importers.netbox_links import (
        NetboxCableImporter,
        NetboxInterfaceImporter,
    )
    from wardkeeper.network.importers.netbox_plan import (
        NetboxPrefixImporter,
        NetboxVlanImporter,
    )

    return (
        (NetboxDeviceImporter, _("NetBox devices")),
        (NetboxInterfaceImporter, _("NetBox interfaces")),
        (NetboxCableImporter, _("NetBox cables")),
        (NetboxVlanImporter, _("NetBox VLANs")),
        (NetboxPrefixImporter, _("NetBox prefixes")),
    )


NETBOX_KINDS = _kinds()
