"""The pieces the network demo is made of, unsaved: racks filled from the
top, devices with their interfaces, patch panels with their ports, and
cables between points. ``writer.py`` stores them in bulk."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from wardkeeper.inventory.models import Asset, Location
from wardkeeper.network.choices import (
    CableKind,
    Duplex,
    Face,
    InterfaceKind,
    Medium,
    RackKind,
    VlanMode,
)
from wardkeeper.network.demo.ports import AP_PORTS, SPEED, Layout, height_of, layout_of
from wardkeeper.network.models import (
    VLAN,
    Cable,
    CableTest,
    Interface,
    Outlet,
    PanelPort,
    PatchPanel,
    Placement,
    Rack,
)

# A cable's end: an interface, an outlet, or one face of a panel port.
Point = Interface | Outlet | tuple[PanelPort, str]
COPPER_KINDS = frozenset(
    {InterfaceKind.COPPER_1G, InterfaceKind.COPPER_10G, InterfaceKind.COPPER_2G5}
)


@dataclass
class Out:
    """Everything the demo will write, in the order it is written."""

    today: dt.date
    racks: list[Rack] = field(default_factory=list)
    placements: list[Placement] = field(default_factory=list)
    panels: list[PatchPanel] = field(default_factory=list)
    ports: list[PanelPort] = field(default_factory=list)
    outlets: list[Outlet] = field(default_factory=list)
    interfaces: list[Interface] = field(default_factory=list)
    tagged: list[tuple[Interface, list[VLAN]]] = field(default_factory=list)
    cables: list[tuple[Cable, Point, Point]] = field(default_factory=list)
    tests: list[CableTest] = field(default_factory=list)
    # The interface holding each device's own address, by asset id.
    addressed: dict[int, Interface] = field(default_factory=dict)

    def cable(
        self,
        a: Point,
        b: Point,
        kind: str,
        length: float,
        label: str = "",
        colour: str = "",
    ) -> Cable:
        cable = Cable(
            label=label,
            kind=kind,
            length_m=Decimal(f"{length:.1f}"),
            colour=colour,
        )
        self.cables.append((cable, a, b))
        return cable


@dataclass
class Wired:
    """A device and its interfaces; ``take`` hands out free ports in order."""

    asset: Asset
    edge: list[Interface]
    uplinks: list[Interface]
    management: Interface | None
    used: set[int] = field(default_factory=set)  # indexes into ``ports``

    @property
    def ports(self) -> list[Interface]:
        return self.edge + self.uplinks

    def take(self, *, uplinks: bool = True) -> Interface | None:
        """The first free port (edge ports first, then uplinks if allowed)."""
        pool = self.ports if uplinks else self.edge
        for index, interface in enumerate(pool):
            if index not in self.used:
                self.used.add(index)
                return interface
        return None

    def uplink(self, n: int) -> Interface | None:
        """Uplink ``n`` (0-based) if the model has it and it is free."""
        index = len(self.edge) + n
        if n >= len(self.uplinks) or index in self.used:
            return None
        self.used.add(index)
        return self.uplinks[n]

    @property
    def free_edge(self) -> list[Interface]:
        return [i for n, i in enumerate(self.edge) if n not in self.used]


def _interface(asset: Asset, name: str, kind: str, index: int) -> Interface:
    return Interface(
        device=asset,
        name=name,
        kind=kind,
        speed_mbps=SPEED.get(kind),
        duplex=Duplex.FULL,
        if_index=index,
    )


def wire(out: Out, asset: Asset) -> Wired | None:
    """The device's interfaces, by its model's layout; None if it has none."""
    model = asset.model
    maker = model.manufacturer.name if model else ""
    type_code = asset.asset_type.code
    if type_code == "wireless-ap":
        port = _interface(
            asset, AP_PORTS.get(maker, "eth0"), InterfaceKind.COPPER_1G, 1
        )
        port.mac_address = asset.mac_address or ""
        out.interfaces.append(port)
        out.addressed[asset.pk] = port
        return Wired(asset, [port], [], None)
    layout: Layout | None = layout_of(model.name if model else "", maker, type_code)
    if layout is None:
        return None
    made: list[list[Interface]] = []
    index = 0
    for groups in (layout.edge, layout.uplinks):
        ports = []
        for group in groups:
            for name in group.names():
                index += 1
                ports.append(_interface(asset, name, group.kind, index))
        made.append(ports)
    management = _interface(asset, layout.management, layout.management_kind, index + 1)
    if layout.management_kind == InterfaceKind.VIRTUAL:
        management.speed_mbps, management.duplex = None, Duplex.UNKNOWN
    wired = Wired(asset, made[0], made[1], management)
    out.interfaces.extend([*wired.ports, management])
    # A server's address is on its first data port; others' on management.
    holder = made[0][0] if type_code in ("server", "storage") else management
    holder.mac_address = asset.mac_address or ""
    out.addressed[asset.pk] = holder
    return wired


def access(interface: Interface, vlan: VLAN | None) -> None:
    interface.mode, interface.untagged_vlan = VlanMode.ACCESS, vlan


def trunk(
    out: Out, interface: Interface, vlans: Sequence[VLAN], native: VLAN | None = None
) -> None:
    interface.mode, interface.untagged_vlan = VlanMode.TRUNK, native
    out.tagged.append((interface, list(vlans)))


class Racks:
    """Racks of one room, filled from the top down; a full one gets a
    neighbour (``IDF-3F-R1``, ``IDF-3F-R2`` …)."""

    def __init__(
        self, out: Out, room: Location, name: str, kind: str, height: int
    ) -> None:
        self.out, self.room, self.name = out, room, name
        self.kind, self.height = kind, height
        self.rack: Rack | None = None
        self.top = 0
        self.count = 0

    def _next(self) -> Rack:
        self.count += 1
        name = self.name if self.count == 1 else f"{self.name}-{self.count}"
        self.rack = Rack(
            name=name, kind=self.kind, location=self.room, height_u=self.height
        )
        self.out.racks.append(self.rack)
        self.top = self.height
        return self.rack

    def slot(self, height: int) -> tuple[Rack, int]:
        """A rack and the lowest unit of ``height`` free units in it."""
        if self.rack is None or self.top - height < 0:
            self._next()
        assert self.rack is not None
        position = self.top - height + 1
        self.top -= height
        return self.rack, position

    def mount(self, asset: Asset, *, full_depth: bool = True) -> None:
        height = height_of(asset.model.name if asset.model else "")
        rack, position = self.slot(height)
        self.out.placements.append(
            Placement(
                rack=rack,
                asset=asset,
                position=position,
                height_u=height,
                face=Face.FRONT,
                full_depth=full_depth,
            )
        )

    def panel(
        self, name: str, ports: int, medium: str, note: str = ""
    ) -> list[PanelPort]:
        """A patch panel (a 48-port copper panel takes 2U) with its ports."""
        height = 2 if medium == Medium.COPPER and ports > 24 else 1
        rack, position = self.slot(height)
        panel = PatchPanel(
            name=name,
            location=self.room,
            rack=rack,
            position=position,
            height_u=height,
            medium=medium,
            ports=ports,
            description=note,
        )
        self.out.panels.append(panel)
        made = [PanelPort(panel=panel, number=n) for n in range(1, ports + 1)]
        self.out.ports.extend(made)
        return made


def rack_kind(units: int) -> tuple[str, int]:
    """A 12U wall cabinet for a small closet, a 42U rack otherwise."""
    return (RackKind.WALL, 12) if units <= 11 else (RackKind.RACK, 42)


def describe(point: Any) -> str:
    """A cable end as the audit trail words it."""
    if isinstance(point, Interface):
        device = point.device
        return f"{device.hostname or device.tag} {point.name}"
    if isinstance(point, Outlet):
        return point.label
    port, face = point
    return f"{port.panel.location.name} {port.panel.name} {port.number} ({face})"


FIBRE = CableKind.OM4
SINGLE_MODE = CableKind.OS2
