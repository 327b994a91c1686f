"""A cable end in a file: on a device's interface (``device`` asset tag and
``interface`` name), on a panel port (``room``, ``panel``, ``port``,
``face``) or on an outlet (``outlet`` label); one column group per side."""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _

from wardkeeper.inventory.transfer import cells
from wardkeeper.inventory.transfer.columns import Column
from wardkeeper.inventory.transfer.report import RowError
from wardkeeper.network.choices import UNCABLED_KINDS, Face
from wardkeeper.network.importers.base import Lookups, missing
from wardkeeper.network.importers.cells import integer
from wardkeeper.network.models import CableEnd

PARTS = ("device", "interface", "room", "panel", "port", "face", "outlet")


def end_columns(side: str) -> list[Column]:
    label = side.upper()
    parsers = {
        "device": cells.text(64),
        "interface": cells.text(64),
        "room": cells.text(40),
        "panel": cells.text(100),
        "port": integer(1, 288),
        "face": cells.choice(Face),
        "outlet": cells.text(60),
    }
    names = {
        "device": _("device"),
        "interface": _("interface"),
        "room": _("panel room"),
        "panel": _("panel"),
        "port": _("port"),
        "face": _("face"),
        "outlet": _("outlet"),
    }
    return [
        Column(f"{side}_{part}", f"{label} {names[part]}", parse)
        for part, parse in parsers.items()
    ]


def end_cells(end: CableEnd | None) -> list[Any]:
    """An end as the seven cells of its side."""
    if end is None:
        return [""] * len(PARTS)
    if end.interface is not None:
        return [end.interface.device.tag, end.interface.name, "", "", None, "", ""]
    if end.port is not None:
        panel = end.port.panel
        return ["", "", panel.location.code, panel.name, end.port.number, end.face, ""]
    assert end.outlet is not None
    return ["", "", "", "", None, "", end.outlet.label]


def end_text(values: dict[str, Any], side: str) -> tuple[Any, ...]:
    """The cells of one side, as a hashable key."""
    return tuple(values.get(f"{side}_{part}") or "" for part in PARTS)


@dataclass(frozen=True)
class Point:
    """Where an end is: field values for a CableEnd, and a key that is the
    same for the same point however the file spells it."""

    interface: Any = None
    port: Any = None
    face: str = ""
    outlet: Any = None

    @property
    def key(self) -> Hashable:
        if self.interface is not None:
            return ("i", self.interface.pk)
        if self.port is not None:
            return ("p", self.port.pk, self.face)
        return ("o", self.outlet.pk)


def point_of(end: CableEnd) -> Point:
    return Point(end.interface, end.port, end.face, end.outlet)


def find_point(
    lookups: Lookups, values: dict[str, Any], side: str, row: int
) -> tuple[Point | None, list[RowError]]:
    """The point one side of a row names, or why it cannot be found."""
    v = {part: values.get(f"{side}_{part}") for part in PARTS}
    col = f"{side}_device"
    named = [bool(v["interface"]), bool(v["panel"]), bool(v["outlet"])]
    if sum(named) != 1:
        message = _t(
            "Name exactly one of: an interface (device and interface), a panel port "
            "(room, panel, port and face) or an outlet."
        )
        return None, [RowError(row, col, message)]
    if v["interface"]:
        found = lookups.interfaces.get((v["device"], v["interface"]))
        if found is None:
            what = f"{v['device']} {v['interface']}"
            return None, [missing(row, f"{side}_interface", _t("interface"), what)]
        if found.kind in UNCABLED_KINDS:
            message = _t("%(name)s is a %(kind)s interface; no cable plugs into it.")
            return None, [
                RowError(
                    row,
                    f"{side}_interface",
                    message % {"name": found.name, "kind": found.get_kind_display()},
                )
            ]
        return Point(interface=found), []
    if v["panel"]:
        return _panel_point(lookups, v, side, row)
    outlet = lookups.outlets.get(v["outlet"])
    if outlet is None:
        return None, [missing(row, f"{side}_outlet", _t("outlet"), v["outlet"])]
    return Point(outlet=outlet), []


def _panel_point(
    lookups: Lookups, v: dict[str, Any], side: str, row: int
) -> tuple[Point | None, list[RowError]]:
    panel = lookups.panels.get((v["room"], v["panel"]))
    if panel is None:
        what = f"{v['room']}/{v['panel']}"
        return None, [missing(row, f"{side}_panel", _t("patch panel"), what)]
    if not v["port"] or not v["face"]:
        message = _t("A panel end needs the port number and the face (front or rear).")
        return None, [RowError(row, f"{side}_port", message)]
    port = lookups.ports.get((panel.pk, v["port"]))
    if port is None:
        message = _t("%(panel)s has no port %(n)d.")
        return None, [
            RowError(
                row, f"{side}_port", message % {"panel": panel.name, "n": v["port"]}
            )
        ]
    return Point(port=port, face=v["face"]), []
