from wardkeeper.network.models.logical import (
    VLAN,
    FlowRule,
    IPAddress,
    Prefix,
    Zone,
)
from wardkeeper.network.models.physical import (
    Cable,
    CableEnd,
    CableTest,
    Interface,
    InterfaceSample,
    Neighbour,
    Outlet,
    PanelPort,
    PatchPanel,
    Placement,
    Rack,
)
from wardkeeper.network.models.plans import FloorPlan, Marker

__all__ = [
    "VLAN",
    "Cable",
    "CableEnd",
    "CableTest",
    "FloorPlan",
    "FlowRule",
    "IPAddress",
    "Interface",
    "InterfaceSample",
    "Marker",
    "Neighbour",
    "Outlet",
    "PanelPort",
    "PatchPanel",
    "Placement",
    "Prefix",
    "Rack",
    "Zone",
]
