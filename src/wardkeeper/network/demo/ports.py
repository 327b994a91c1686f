"""How the demo's network equipment names its interfaces, by model: the
names each vendor's command line shows (Huawei ``GigabitEthernet0/0/1``,
H3C ``Ten-GigabitEthernet1/0/49``, Ruijie ``GigabitEthernet 0/1``, Cisco
``TenGigabitEthernet1/1/1``, FortiGate ``port1``/``x1``), and the interface
that carries the device's management address. Plain data."""

from __future__ import annotations

from dataclasses import dataclass

from wardkeeper.network.choices import InterfaceKind

K = InterfaceKind
SPEED: dict[str, int] = {
    K.COPPER_1G: 1000,
    K.COPPER_10G: 10_000,
    K.SFP_10G: 10_000,
    K.QSFP_40G: 40_000,
    K.QSFP_100G: 100_000,
}


@dataclass(frozen=True)
class Group:
    """A run of ports: ``pattern`` with ``{n}`` from ``first`` for ``count``."""

    pattern: str
    count: int
    kind: str
    first: int = 1

    def names(self) -> list[str]:
        return [
            self.pattern.format(n=n) for n in range(self.first, self.first + self.count)
        ]


@dataclass(frozen=True)
class Layout:
    """A model's ports: ``edge`` faces devices (or outlets), ``uplinks`` are
    the fibre (or stacking) ports towards the core; ``management`` is the
    virtual or dedicated interface holding the device's own address."""

    edge: tuple[Group, ...]
    uplinks: tuple[Group, ...]
    management: str
    management_kind: str = K.VIRTUAL


def _switch(edge: Group, uplink: Group, svi: str) -> Layout:
    return Layout((edge,), (uplink,), svi)


LAYOUTS: dict[str, Layout] = {
    # Access switches: 48 copper ports and 4 SFP+ uplinks.
    "S5735-L48T4X-A1": _switch(
        Group("GigabitEthernet0/0/{n}", 48, K.COPPER_1G),
        Group("XGigabitEthernet0/0/{n}", 4, K.SFP_10G),
        "Vlanif99",
    ),
    "S5130S-52S-EI": _switch(
        Group("GigabitEthernet1/0/{n}", 48, K.COPPER_1G),
        Group("Ten-GigabitEthernet1/0/{n}", 4, K.SFP_10G, first=49),
        "Vlan-interface99",
    ),
    "RG-S2910-48GT4XS-E": _switch(
        Group("GigabitEthernet 0/{n}", 48, K.COPPER_1G),
        Group("TenGigabitEthernet 0/{n}", 4, K.SFP_10G, first=49),
        "VLAN 99",
    ),
    # Data-centre and core switches.
    "S6730-H48X6C": _switch(
        Group("XGigabitEthernet0/0/{n}", 48, K.SFP_10G),
        Group("100GE0/0/{n}", 6, K.QSFP_100G),
        "Vlanif99",
    ),
    "CloudEngine S12704": Layout(
        (
            Group("XGigabitEthernet1/0/{n}", 48, K.SFP_10G, first=0),
            Group("XGigabitEthernet2/0/{n}", 48, K.SFP_10G, first=0),
        ),
        (Group("40GE3/0/{n}", 8, K.QSFP_40G, first=0),),
        "Vlanif99",
    ),
    "Catalyst 9300-48P": _switch(
        Group("GigabitEthernet1/0/{n}", 48, K.COPPER_1G),
        Group("TenGigabitEthernet1/1/{n}", 8, K.SFP_10G),
        "Vlan99",
    ),
    # Firewalls: copper ports, SFP+ ports towards the core, a management port.
    "FortiGate 600E": Layout(
        (Group("port{n}", 16, K.COPPER_1G),),
        (Group("x{n}", 4, K.SFP_10G),),
        "mgmt1",
        K.COPPER_1G,
    ),
    "FortiGate 200F": Layout(
        (Group("port{n}", 16, K.COPPER_1G),),
        (Group("x{n}", 4, K.SFP_10G),),
        "mgmt",
        K.COPPER_1G,
    ),
    "NGAF M5400": Layout(
        (Group("eth{n}", 7, K.COPPER_1G),),
        (Group("eth{n}", 2, K.SFP_10G, first=8),),
        "eth0",
        K.COPPER_1G,
    ),
    # WAN routers.
    "NetEngine AR6280": Layout(
        (Group("GigabitEthernet0/0/{n}", 8, K.COPPER_1G),),
        (Group("XGigabitEthernet0/0/{n}", 2, K.SFP_10G, first=8),),
        "LoopBack0",
    ),
    "MSR3620": Layout(
        (Group("GigabitEthernet0/{n}", 4, K.COPPER_1G, first=0),),
        (Group("Ten-GigabitEthernet1/{n}", 2, K.SFP_10G, first=0),),
        "LoopBack0",
    ),
}
# Servers and storage arrays by maker: two data ports and the baseboard
# management controller; the address lives on the first data port.
HOST_LAYOUTS: dict[str, Layout] = {
    "Dell": Layout((Group("eno{n}", 2, K.SFP_10G),), (), "iDRAC", K.COPPER_1G),
    "Huawei": Layout(
        (Group("enp1s0f{n}", 2, K.SFP_10G, first=0),), (), "iBMC", K.COPPER_1G
    ),
    "Inspur": Layout(
        (Group("ens1f{n}", 2, K.SFP_10G, first=0),), (), "BMC", K.COPPER_1G
    ),
}
# Access points: their one wired port (powered over Ethernet).
AP_PORTS = {"Huawei": "GE0/0/0", "H3C": "GigabitEthernet1/0/1"}
# Rack units a model takes (others: 1).
HEIGHTS = {
    "CloudEngine S12704": 10,
    "NetEngine AR6280": 2,
    "PowerEdge R750": 2,
    "PowerEdge R740": 2,
    "FusionServer 2288H V6": 2,
    "NF5280M6": 2,
    "OceanStor 5310": 2,
    "PowerVault ME5024": 2,
    "Smart-UPS SRT 3000": 2,
    "9PX 6000i": 3,
}


def layout_of(model: str, maker: str, type_code: str) -> Layout | None:
    """The model's ports, or None for a device the demo does not wire."""
    if model in LAYOUTS:
        return LAYOUTS[model]
    if type_code in ("server", "storage"):
        return HOST_LAYOUTS.get(maker, HOST_LAYOUTS["Dell"])
    return None


def height_of(model: str) -> int:
    return HEIGHTS.get(model, 1)
