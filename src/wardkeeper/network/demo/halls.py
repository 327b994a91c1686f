"""Each campus's data-centre halls: the core room (the first hall) with the
core switch pair, firewalls and WAN routers in network racks and the MDF
frame whose fibre panels (one per building) receive the floors' backbone
fibres; server racks (up to sixteen servers or arrays each) with a
top-of-rack switch, every server on two top-of-rack switches, and each
top-of-rack switch and firewall uplinked to both cores."""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from wardkeeper.inventory.models import Asset
from wardkeeper.network.choices import CableKind, Face, Medium, RackKind
from wardkeeper.network.demo.certification import test_fibre
from wardkeeper.network.demo.parts import (
    FIBRE,
    SINGLE_MODE,
    Out,
    Racks,
    Wired,
    access,
    trunk,
    wire,
)
from wardkeeper.network.demo.site import Campus, Floor, Hall
from wardkeeper.network.models import VLAN, Interface, PanelPort

PER_RACK = 16
SERVERS = 100


def _wired(out: Out, assets: list[Asset]) -> list[Wired]:
    return [w for w in (wire(out, asset) for asset in assets) if w is not None]


@dataclass
class Core:
    """A campus's core pair and its MDF; the floors' uplinks land here."""

    out: Out
    vlans: dict[int, VLAN]
    rng: random.Random
    switches: list[Wired] = field(default_factory=list)
    panels: dict[str, list[PanelPort]] = field(default_factory=dict)
    core_building: str = ""

    def pick(self, leg: str) -> Wired | None:
        if not self.switches:
            return None
        return self.switches[0] if leg == "A" else self.switches[-1]

    def link(self, interface: Interface | None, leg: str, label: str) -> None:
        """``interface`` (an uplink) to a free port of core ``leg``."""
        core = self.pick(leg)
        port = core.take() if core is not None else None
        if interface is None or port is None:
            return
        self.out.cable(interface, port, FIBRE, self.rng.uniform(3, 30), label, "aqua")
        every = list(self.vlans.values())
        trunk(self.out, interface, every)
        trunk(self.out, port, every)

    def connect(self, floor: Floor, leg: str, idf_port: PanelPort) -> None:
        """A floor's leg: IDF panel rear → backbone fibre → MDF panel rear;
        MDF panel front → a core port."""
        core = self.pick(leg)
        mdf = self.panels.get(floor.building.code)
        if core is None or not mdf:
            return
        port = core.take()
        if port is None:
            return
        mdf_port = mdf.pop(0)
        near = floor.building.code == self.core_building
        backbone = self.out.cable(
            (idf_port, Face.REAR),
            (mdf_port, Face.REAR),
            FIBRE if near else SINGLE_MODE,
            self.rng.uniform(15, 60) if near else self.rng.uniform(80, 420),
            f"BB-{floor.tag}-{leg}",
            "aqua" if near else "yellow",
        )
        test_fibre(self.out, backbone, self.rng)
        self.out.cable(
            (mdf_port, Face.FRONT), port, FIBRE, 3.0, f"MDF-{floor.tag}-{leg}", "aqua"
        )
        trunk(self.out, port, list(self.vlans.values()))


def build_core(
    out: Out, campus: Campus, vlans: dict[int, VLAN], rng: random.Random
) -> Core:
    """The core room: core pair, firewalls, routers, the MDF; then the
    halls' server racks."""
    core = Core(out, vlans, rng)
    if not campus.halls:
        return core
    room = campus.halls[0]
    switches = _wired(out, room.devices["switch"])
    # The two biggest switches of the core room are the core (a chassis
    # where there is one), the rest are top-of-rack switches.
    ranked = sorted(switches, key=lambda w: (-len(w.ports), w.asset.hostname))
    core.switches = ranked[:2]
    core.core_building = room.location.code.split("-")[1]
    network = Racks(out, room.location, "DC1-N01", RackKind.RACK, 42)
    for switch in core.switches:
        network.mount(switch.asset)
    if len(core.switches) == 2:
        a, b = core.switches[0].uplink(0), core.switches[1].uplink(0)
        if a is not None and b is not None:
            out.cable(a, b, FIBRE, 3.0, f"{campus.tag}-CORE-ISL", "aqua")
            trunk(out, a, list(vlans.values()))
            trunk(out, b, list(vlans.values()))
    _mdf(out, campus, room, core)
    _edge(out, room, network, core)
    tors = [s for s in switches if s not in core.switches]
    _servers(out, room, 1, tors, network, core)
    for n, hall in enumerate(campus.halls[1:], start=2):
        racks = Racks(out, hall.location, f"DC{n}-N01", RackKind.RACK, 42)
        _edge(out, hall, racks, core)
        _servers(out, hall, n, _wired(out, hall.devices["switch"]), racks, core)
    return core


def _mdf(out: Out, campus: Campus, room: Hall, core: Core) -> None:
    """The MDF frame: a fibre panel per building, two ports per floor."""
    frame = Racks(out, room.location, "MDF", RackKind.FRAME, 42)
    for building, _location in campus.buildings:
        size = 24 if 2 * len(building.floors) <= 24 else 48
        core.panels[building.code] = frame.panel(
            f"FP-{building.code}", size, Medium.FIBRE, f"Backbone from {building.name}"
        )


def _edge(out: Out, hall: Hall, racks: Racks, core: Core) -> None:
    """Firewalls (to both cores) and WAN routers (to the first firewall)."""
    firewalls = _wired(out, hall.devices["firewall"])
    for firewall in firewalls:
        racks.mount(firewall.asset)
        name = firewall.asset.hostname
        core.link(firewall.uplink(0), "A", f"{name}-UL-A")
        core.link(firewall.uplink(1), "B", f"{name}-UL-B")
    for router in _wired(out, hall.devices["router"]):
        racks.mount(router.asset)
        inside = firewalls[0].take(uplinks=False) if firewalls else None
        own = router.take(uplinks=False)
        if inside is not None and own is not None:
            out.cable(own, inside, CableKind.CAT6, 2.0, f"{router.asset.hostname}-FW")


def _servers(
    out: Out, hall: Hall, n: int, tors: list[Wired], spare: Racks, core: Core
) -> None:
    """Server racks, each topped by a switch; every host on two of them."""
    hosts = _wired(out, hall.devices["server"] + hall.devices["storage"])
    chunks = [hosts[i : i + PER_RACK] for i in range(0, len(hosts), PER_RACK)]
    for r, chunk in enumerate(chunks):
        racks = Racks(out, hall.location, f"DC{n}-A{r + 1:02d}", RackKind.RACK, 42)
        if r < len(tors):
            racks.mount(tors[r].asset, full_depth=False)
        for host in chunk:
            racks.mount(host.asset)
            for leg, data in enumerate(host.edge[:2]):
                tor = tors[(r + leg) % len(tors)] if tors else core.pick("AB"[leg])
                port = tor.take(uplinks=False) if tor is not None else None
                if port is None:
                    continue
                out.cable(data, port, CableKind.DAC, 3.0, "", "black")
                access(port, core.vlans.get(SERVERS))
    for tor in tors[len(chunks) :]:
        spare.mount(tor.asset, full_depth=False)
    for tor in tors:
        name = tor.asset.hostname
        core.link(tor.uplink(0), "A", f"{name}-UL-A")
        core.link(tor.uplink(1), "B", f"{name}-UL-B")
