"""The site's device graph: cables through panels, LLDP, both, and the
devices' status from monitoring."""

from __future__ import annotations

import pytest

from tests.factories.inventory import BuildingFactory, FloorFactory, RoomFactory
from tests.factories.monitoring import CheckFactory
from tests.factories.network_topology import (
    InterfaceFactory,
    OutletFactory,
    PatchPanelFactory,
    connect,
    device,
    neighbour,
    port,
)
from wardkeeper.network.services import topology

pytestmark = pytest.mark.django_db


@pytest.fixture
def site():
    return BuildingFactory(name="Surgery")


@pytest.fixture
def room(site):
    return RoomFactory(parent=FloorFactory(parent=site))


def edges_by_pair(graph):
    return {frozenset((e.source, e.target)): e for e in graph.edges}


def test_a_cable_through_two_panels_makes_one_edge(site, room):
    core = device("router", location=room, name="core-1")
    access = device("switch", location=room, name="sw-3f")
    up, down = InterfaceFactory(device=core), InterfaceFactory(device=access)
    mdf, idf = PatchPanelFactory(location=room), PatchPanelFactory(location=room)
    connect(up, port(mdf, 1, "front"))
    connect(port(mdf, 1, "rear"), port(idf, 7, "rear"))
    connect(port(idf, 7, "front"), down)

    graph = topology.build(site)

    assert set(graph.nodes) == {core.pk, access.pk}
    [edge] = graph.edges
    assert {edge.source, edge.target} == {core.pk, access.pk}
    assert edge.learned == "cable"
    link = graph.as_json()["edges"][0]["data"]["links"][0]
    assert {link["source_interface"], link["target_interface"]} == {
        up.name,
        down.name,
    }
    # The core is drawn at the top, the access switch below it.
    assert graph.nodes[core.pk].level == 0
    assert graph.nodes[access.pk].level == 1


def test_a_chain_ending_on_an_outlet_joins_nothing(site, room):
    switch = device("switch", location=room)
    panel = PatchPanelFactory(location=room)
    connect(InterfaceFactory(device=switch), port(panel, 3, "front"))
    connect(port(panel, 3, "rear"), OutletFactory(location=room))

    assert topology.build(site).edges == []


def test_an_lldp_neighbour_without_a_cable_is_an_lldp_edge(site, room):
    a, b = device(location=room), device(location=room)
    a_port, b_port = InterfaceFactory(device=a), InterfaceFactory(device=b)
    neighbour(a_port, b_port)
    neighbour(b_port, a_port)  # the far end says the same

    [edge] = topology.build(site).edges

    assert edge.learned == "lldp"
    assert len(edge.links) == 1
    assert not edge.mismatches


def test_a_cable_that_lldp_confirms_is_learned_both_ways(site, room):
    a, b = device(location=room), device(location=room)
    a_port, b_port = InterfaceFactory(device=a), InterfaceFactory(device=b)
    connect(a_port, b_port)
    neighbour(a_port, b_port)

    [edge] = topology.build(site).edges

    assert edge.learned == "both"
    assert not edge.mismatches


def test_lldp_that_contradicts_the_cables_is_flagged(site, room):
    a, b, c = (device(location=room, name=n) for n in ("sw-a", "sw-b", "sw-c"))
    a_port = InterfaceFactory(device=a, name="Gi1/0/1")
    connect(a_port, InterfaceFactory(device=b))
    neighbour(a_port, InterfaceFactory(device=c, name="Gi1/0/9"))

    edges = edges_by_pair(topology.build(site))

    cabled, seen = edges[frozenset((a.pk, b.pk))], edges[frozenset((a.pk, c.pk))]
    assert cabled.learned == "cable"
    assert seen.learned == "lldp"
    assert "Gi1/0/1" in cabled.mismatches[0]
    assert "sw-c" in seen.mismatches[0]


def test_a_device_outside_the_site_is_drawn_as_outside(site, room):
    local = device(location=room)
    elsewhere = device("router")  # in another campus
    connect(InterfaceFactory(device=local), InterfaceFactory(device=elsewhere))

    graph = topology.build(site)

    assert graph.nodes[elsewhere.pk].outside
    assert not graph.nodes[local.pk].outside


def test_node_colour_is_the_worst_enabled_check(site, room):
    sick, healthy, quiet = (device(location=room) for _ in range(3))
    for asset in (sick, healthy, quiet):
        InterfaceFactory(device=asset)
    CheckFactory(asset=sick, status="up")
    CheckFactory(asset=sick, status="down")
    CheckFactory(asset=healthy, status="up")
    CheckFactory(asset=healthy, status="down", enabled=False)

    nodes = topology.build(site).nodes

    assert nodes[sick.pk].status == "down"
    assert nodes[healthy.pk].status == "up"
    assert nodes[quiet.pk].status == "unmonitored"


def test_the_graph_takes_a_fixed_number_of_queries(
    site, room, django_assert_max_num_queries
):
    core = device("router", location=room)
    core_ports = [InterfaceFactory(device=core) for _ in range(20)]
    panel = PatchPanelFactory(location=room, ports=24)
    for n, core_port in enumerate(core_ports, start=1):
        switch = device(location=room)
        connect(core_port, port(panel, n, "front"))
        connect(port(panel, n, "rear"), InterfaceFactory(device=switch))

    with django_assert_max_num_queries(8):
        graph = topology.build(site)
        graph.as_json()

    assert len(graph.edges) == 20
