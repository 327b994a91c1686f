"""Racks and panels: placing devices without overlap, panel ports following
the port count, and cables that refuse a point already taken."""

from __future__ import annotations

import pytest

from tests.factories.network_physical import (
    InterfaceFactory,
    OutletFactory,
    PatchPanelFactory,
    PlacementFactory,
    RackFactory,
    connect,
    device,
    port,
)
from wardkeeper.core.models import AuditEntry
from wardkeeper.network.models import Cable, CableEnd, Placement
from wardkeeper.network.services import physical, physical_cables
from wardkeeper.network.services.physical import PlacementRefused, PortsRefused
from wardkeeper.network.services.physical_cables import CableRefused

pytestmark = pytest.mark.django_db


def placement(rack, **kwargs):
    kwargs.setdefault("asset", device(name=kwargs.pop("name", "sw")))
    return Placement(rack=rack, **kwargs)


def test_a_device_on_taken_units_is_refused_naming_the_unit_and_device():
    rack = RackFactory(height_u=42)
    PlacementFactory(rack=rack, asset=device(name="core-1"), position=10, height_u=2)

    with pytest.raises(PlacementRefused) as refused:
        physical.place_device(placement(rack, position=11, height_u=1))

    assert "U11" in refused.value.message
    assert "core-1" in refused.value.message
    assert refused.value.field == "position"


def test_a_half_depth_device_may_sit_behind_another_half_depth_one():
    rack = RackFactory()
    PlacementFactory(rack=rack, position=5, face="front", full_depth=False)

    behind = physical.place_device(
        placement(rack, position=5, face="rear", full_depth=False)
    )

    assert behind.pk


def test_a_full_depth_device_takes_the_rear_too():
    rack = RackFactory()
    PlacementFactory(rack=rack, asset=device(name="srv"), position=5, full_depth=True)

    with pytest.raises(PlacementRefused, match="srv"):
        physical.place_device(
            placement(rack, position=5, face="rear", full_depth=False)
        )


def test_a_device_reaching_above_the_rack_is_refused():
    rack = RackFactory(name="RK-A", height_u=10)

    with pytest.raises(PlacementRefused, match="U11 is above the top of RK-A"):
        physical.place_device(placement(rack, position=9, height_u=3))


def test_moving_a_device_within_its_own_units_is_allowed():
    rack = RackFactory()
    mounted = PlacementFactory(rack=rack, position=3, height_u=2)

    mounted.position = 4
    physical.place_device(mounted)

    mounted.refresh_from_db()
    assert mounted.position == 4


def test_a_panel_in_the_rack_keeps_its_units():
    rack = RackFactory()
    panel = PatchPanelFactory(name="PP-A", location=rack.location)
    panel.rack, panel.position = rack, 40
    physical.save_panel(panel)

    with pytest.raises(PlacementRefused, match="PP-A"):
        physical.place_device(placement(rack, position=40))


def test_a_new_panel_gets_its_ports():
    rack = RackFactory()
    panel = PatchPanelFactory.build(location=rack.location, ports=12)

    physical.save_panel(panel)

    assert list(panel.panel_ports.values_list("number", flat=True)) == list(
        range(1, 13)
    )


def test_more_ports_are_added_and_free_ports_dropped():
    panel = PatchPanelFactory(ports=24)

    panel.ports = 48
    physical.save_panel(panel)
    assert panel.panel_ports.count() == 48

    panel.ports = 12
    physical.save_panel(panel)
    assert panel.panel_ports.count() == 12


def test_dropping_a_port_that_carries_a_cable_is_refused():
    panel = PatchPanelFactory(ports=24)
    connect(port(panel, 20, "rear"), OutletFactory(), label="C-20")

    panel.ports = 16
    with pytest.raises(PortsRefused, match="Port 20 carries cable C-20"):
        physical.save_panel(panel)

    assert panel.panel_ports.count() == 24


def test_a_point_already_cabled_is_refused_naming_the_cable():
    switch_port = InterfaceFactory()
    connect(switch_port, OutletFactory(), label="C-1")

    with pytest.raises(CableRefused, match="already carries cable C-1") as refused:
        physical_cables.connect(Cable(label="C-2"), OutletFactory(), switch_port)

    assert refused.value.field == "b"
    assert not Cable.objects.filter(label="C-2").exists()


def test_a_wireless_interface_takes_no_cable():
    radio = InterfaceFactory(name="wlan0", kind="wireless")

    with pytest.raises(CableRefused, match="no cable plugs into it"):
        physical_cables.connect(Cable(), radio, OutletFactory())


def test_both_ends_on_one_point_is_refused():
    outlet = OutletFactory(label="ER-01")

    with pytest.raises(CableRefused, match="Both ends are on ER-01"):
        physical_cables.connect(Cable(), outlet, outlet)


def test_the_two_faces_of_one_port_are_two_points():
    panel = PatchPanelFactory()

    cable = physical_cables.connect(
        Cable(), port(panel, 1, "front"), port(panel, 1, "rear")
    )

    assert cable.ends.count() == 2


def test_moving_an_end_records_it_in_the_cables_history():
    outlet, old, new = OutletFactory(), InterfaceFactory(), InterfaceFactory()
    cable = physical_cables.connect(Cable(label="C-9"), outlet, old)

    physical_cables.connect(cable, outlet, new)

    assert CableEnd.objects.get(cable=cable, side="b").interface == new
    entry = AuditEntry.objects.for_object(cable).filter(changes__has_key="end_b")
    assert entry.exists()


def test_swapping_the_ends_of_a_cable_is_allowed():
    outlet, switch_port = OutletFactory(), InterfaceFactory()
    cable = physical_cables.connect(Cable(), outlet, switch_port)

    physical_cables.connect(cable, switch_port, outlet)

    assert CableEnd.objects.get(cable=cable, side="a").interface == switch_port


def test_deleting_a_cable_frees_its_points():
    outlet, switch_port = OutletFactory(), InterfaceFactory()
    cable = connect(outlet, switch_port)

    physical_cables.delete_cable(cable)
    physical_cables.connect(Cable(label="new"), outlet, switch_port)

    assert Cable.objects.get().label == "new"


def test_a_removed_cable_still_holds_its_points():
    outlet = OutletFactory()
    connect(outlet, InterfaceFactory(), label="OLD", status="removed")

    with pytest.raises(CableRefused, match="OLD"):
        physical_cables.connect(Cable(), outlet, InterfaceFactory())
