"""A small documented network for the import tests: two rooms, a rack, a
switch and a PC, a patch panel, an outlet, VLANs, a prefix, addresses,
zones and a flow rule, with cables switch → panel → outlet."""

import datetime as dt
from decimal import Decimal

from tests.factories.inventory import (
    AssetFactory,
    AssetModelFactory,
    CampusFactory,
    RoomFactory,
    asset_type,
)
from wardkeeper.network.models import (
    VLAN,
    Cable,
    CableEnd,
    CableTest,
    FlowRule,
    Interface,
    IPAddress,
    Outlet,
    PanelPort,
    PatchPanel,
    Placement,
    Prefix,
    Rack,
    Zone,
)

# Children first, so each delete leaves nothing pointing at a deleted row.
NETWORK_MODELS = (
    CableTest,
    CableEnd,
    Cable,
    IPAddress,
    Interface,
    Outlet,
    PanelPort,
    PatchPanel,
    Placement,
    Rack,
    Prefix,
    VLAN,
    FlowRule,
    Zone,
)


def build_network():
    campus = CampusFactory(code="MAIN", name="Main Campus")
    server_room = RoomFactory(
        code="SR1", name="Server room", parent__parent__parent=campus
    )
    ward = RoomFactory(code="W3", name="Ward 3", parent__parent__parent=campus)
    switch = AssetFactory(
        tag="SW-01",
        name="core-sw",
        model=AssetModelFactory(asset_type=asset_type("switch")),
        location=server_room,
    )
    pc = AssetFactory(tag="PC-07", name="ward-pc", location=ward)
    clinical = Zone.objects.create(
        name="Clinical", kind="clinical", criticality=2, colour="#00aa00"
    )
    guest = Zone.objects.create(name="Guest", kind="guest", description="Wi-Fi")
    FlowRule.objects.create(
        source=guest,
        destination=clinical,
        action="refuse",
        service="HIS database",
        protocol="tcp",
        ports="1521, 8000-8010",
        targets="10.20.0.5\nhis.local",
    )
    v10 = VLAN.objects.create(vid=10, name="clinical", site=campus, zone=clinical)
    v20 = VLAN.objects.create(vid=20, name="guest", zone=guest)
    Prefix.objects.create(prefix="10.20.0.0/24", site=campus, vlan=v10, zone=clinical)
    Prefix.objects.create(prefix="2001:db8::/64", is_pool=True, description="v6")
    rack = Rack.objects.create(name="A1", location=server_room, height_u=42)
    Placement.objects.create(rack=rack, asset=switch, position=40, height_u=1)
    panel = PatchPanel.objects.create(
        name="PP1", location=server_room, rack=rack, position=42, ports=4
    )
    PanelPort.objects.bulk_create(PanelPort(panel=panel, number=n) for n in range(1, 5))
    outlet = Outlet.objects.create(label="W3-01", location=ward)
    uplink = Interface.objects.create(
        device=switch, name="Gi1/0/1", mode="access", untagged_vlan=v10
    )
    trunk = Interface.objects.create(
        device=switch, name="Te1/1/1", kind="10gbase-x-sfpp", mode="trunk"
    )
    trunk.tagged_vlans.set([v10, v20])
    Interface.objects.create(device=switch, name="Po1", kind="lag")
    nic = Interface.objects.create(
        device=pc, name="eth0", mac_address="aa:bb:cc:00:00:07"
    )
    IPAddress.objects.create(address="10.20.0.7/24", interface=nic, dns_name="ward-pc")
    IPAddress.objects.create(address="10.20.0.1/24", status="reserved")
    c1 = Cable.objects.create(
        label="C-001", kind="cat6a", length_m=Decimal("2.50"), colour="blue"
    )
    CableEnd.objects.create(cable=c1, side="a", interface=uplink)
    CableEnd.objects.create(
        cable=c1, side="b", port=panel.panel_ports.get(number=1), face="front"
    )
    c2 = Cable.objects.create(label="C-002", length_m=Decimal("35.00"))
    CableEnd.objects.create(
        cable=c2, side="a", port=panel.panel_ports.get(number=1), face="rear"
    )
    CableEnd.objects.create(cable=c2, side="b", outlet=outlet)
    CableTest.objects.create(
        cable=c2,
        tested_on=dt.date(2024, 5, 2),
        tester="Li Wei",
        standard="TIA-568.2-D Cat 6",
        link_type="permanent link",
        passed=True,
        length_m=Decimal("34.80"),
        margin_db=Decimal("-0.50"),
    )
