"""The trace: from an outlet through patch panels to the switch port, and
paths that loop, break or meet a removed cable."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.factories.network_physical import (
    InterfaceFactory,
    OutletFactory,
    PatchPanelFactory,
    connect,
    device,
    port,
)
from wardkeeper.network.services.trace import point_label, trace

pytestmark = pytest.mark.django_db


@pytest.fixture
def ward_to_switch():
    """Outlet ER-04 → PP-FLOOR 4 (rear/front) → PP-CORE 9 (rear/front) → sw Gi1/0/4."""
    outlet = OutletFactory(label="ER-04")
    floor, core = PatchPanelFactory(name="PP-FLOOR"), PatchPanelFactory(name="PP-CORE")
    switch_port = InterfaceFactory(device=device(name="sw-er"), name="Gi1/0/4")
    connect(outlet, port(floor, 4, "rear"), label="H-1", length_m=Decimal("42.5"))
    connect(port(floor, 4, "front"), port(core, 9, "rear"), label="T-1", length_m=60)
    connect(port(core, 9, "front"), switch_port, label="P-1", length_m=2)
    return outlet, switch_port


def test_an_outlet_traces_through_two_panels_to_its_switch_port(ward_to_switch):
    outlet, switch_port = ward_to_switch

    path = trace(outlet)

    assert [str(cable) for cable, _a, _b in path.hops] == ["H-1", "T-1", "P-1"]
    assert path.end == switch_port
    assert path.complete
    assert not path.looped
    assert path.total_length_m == Decimal("104.5")
    assert point_label(path.hops[0][2]) == "PP-FLOOR:4 (rear)"
    assert point_label(path.hops[1][1]) == "PP-FLOOR:4 (front)"


def test_the_switch_port_traces_back_to_the_outlet(ward_to_switch):
    outlet, switch_port = ward_to_switch

    path = trace(switch_port)

    assert path.end == outlet
    assert path.complete


def test_a_trace_costs_one_query_per_cable(
    ward_to_switch, django_assert_max_num_queries
):
    outlet, _switch = ward_to_switch

    with django_assert_max_num_queries(3):
        path = trace(outlet)
        labels = [point_label(b) for _c, _a, b in path.hops]

    assert labels[-1].endswith("Gi1/0/4")


def test_a_path_that_stops_at_a_panel_is_broken():
    outlet, panel = OutletFactory(), PatchPanelFactory(name="PP-X")
    connect(outlet, port(panel, 2, "rear"))

    path = trace(outlet)

    assert not path.complete
    assert path.end == (panel.panel_ports.get(number=2), "rear")


def test_an_outlet_without_cable_has_no_hops():
    path = trace(OutletFactory())

    assert path.hops == []
    assert not path.complete


def test_cables_that_come_back_to_the_start_are_a_loop():
    one, two = PatchPanelFactory(), PatchPanelFactory()
    connect(port(one, 1, "front"), port(two, 1, "rear"))
    connect(port(two, 1, "front"), port(one, 1, "rear"))

    path = trace(port(one, 1, "front"))

    assert path.looped
    assert not path.complete
    assert len(path.hops) == 2


def test_a_removed_cable_stops_the_trace():
    outlet, panel = OutletFactory(), PatchPanelFactory()
    connect(outlet, port(panel, 1, "rear"))
    gone = connect(port(panel, 1, "front"), InterfaceFactory(), status="removed")

    path = trace(outlet)

    assert path.blocked_by == gone
    assert not path.complete
    assert len(path.hops) == 1
