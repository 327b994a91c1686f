"""The physical network's API: cables created with their ends (errors per
field), panels with their ports, placements refused on taken units, the
trace, and who may do what."""

from __future__ import annotations

import pytest

from tests.factories.inventory import RoomFactory
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
from wardkeeper.network.models import Cable, PatchPanel

pytestmark = pytest.mark.django_db


def test_nick_creates_a_cable_with_its_two_ends(api, network_engineer):
    outlet, panel = OutletFactory(label="ER-01"), PatchPanelFactory(name="PP-1")
    port_1 = panel.panel_ports.get(number=1)

    response = api(network_engineer).post(
        "/api/network/cables/",
        {
            "label": "H-1",
            "kind": "cat6a",
            "a": {"kind": "outlet", "id": outlet.pk},
            "b": {"kind": "port", "id": port_1.pk, "face": "rear"},
        },
        format="json",
    )

    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["a"]["label"] == "ER-01"
    assert body["b"] == {
        "kind": "port",
        "label": "PP-1:1 (rear)",
        "id": port_1.pk,
        "panel": panel.pk,
        "face": "rear",
    }


def test_a_taken_end_is_a_field_error(api, network_engineer):
    switch_port = InterfaceFactory(name="Gi1/0/2")
    connect(switch_port, OutletFactory(), label="P-2")

    response = api(network_engineer).post(
        "/api/network/cables/",
        {
            "a": {"kind": "outlet", "id": OutletFactory().pk},
            "b": {"kind": "interface", "id": switch_port.pk},
        },
        format="json",
    )

    assert response.status_code == 400
    [error] = response.json()["error"]["fields"]
    assert error["field"] == "b"
    assert "already carries cable P-2" in error["message"]
    assert Cable.objects.count() == 1


def test_a_malformed_end_is_a_field_error(api, network_engineer):
    response = api(network_engineer).post(
        "/api/network/cables/",
        {"a": {"kind": "outlet"}, "b": {"kind": "teleport", "id": 1}},
        format="json",
    )

    fields = {f["field"] for f in response.json()["error"]["fields"]}
    assert response.status_code == 400
    assert fields == {"a", "b"}


def test_a_panel_made_through_the_api_has_its_ports(api, network_engineer):
    room = RoomFactory()

    response = api(network_engineer).post(
        "/api/network/panels/",
        {"name": "PP-API", "location": room.pk, "ports": 12},
        format="json",
    )

    panel = PatchPanel.objects.get(name="PP-API")
    assert response.status_code == 201
    ports = api(network_engineer).get("/api/network/panel-ports/", {"panel": panel.pk})
    assert ports.json()["count"] == 12


def test_a_placement_on_taken_units_is_refused(api, network_engineer):
    rack = RackFactory()
    PlacementFactory(rack=rack, asset=device(name="core"), position=5)

    response = api(network_engineer).post(
        "/api/network/placements/",
        {"rack": rack.pk, "asset": device().pk, "position": 5, "face": "front"},
        format="json",
    )

    assert response.status_code == 400
    assert response.json()["error"]["fields"][0]["field"] == "position"


def test_the_trace_endpoint_follows_the_panel(api, hardware_engineer):
    outlet, panel = OutletFactory(label="ER-03"), PatchPanelFactory(name="PP-3")
    switch_port = InterfaceFactory(name="Gi1/0/3")
    connect(outlet, port(panel, 3, "rear"), length_m=30)
    connect(port(panel, 3, "front"), switch_port, length_m=2)

    body = (
        api(hardware_engineer).get("/api/network/trace/", {"outlet": outlet.pk}).json()
    )

    assert body["complete"] is True
    assert body["end"]["kind"] == "interface"
    assert body["end"]["id"] == switch_port.pk
    assert body["total_length_m"] == "32.00"
    assert next(h["to"]["label"] for h in body["hops"]) == "PP-3:3 (rear)"


def test_the_trace_endpoint_starts_from_a_port_face(api, hardware_engineer):
    panel = PatchPanelFactory()
    switch_port = InterfaceFactory()
    connect(port(panel, 1, "front"), switch_port)
    port_1 = panel.panel_ports.get(number=1)

    body = (
        api(hardware_engineer)
        .get("/api/network/trace/", {"port": port_1.pk, "face": "front"})
        .json()
    )

    assert body["end"]["id"] == switch_port.pk


def test_hana_reads_but_may_not_write(api, hardware_engineer):
    client = api(hardware_engineer)

    assert client.get("/api/network/interfaces/").status_code == 200
    response = client.post(
        "/api/network/outlets/", {"label": "X", "location": RoomFactory().pk}
    )
    assert response.status_code == 403


@pytest.mark.parametrize(
    "url",
    [
        "/api/network/racks/",
        "/api/network/cables/",
        "/api/network/cable-tests/",
        "/api/network/trace/?outlet=1",
    ],
)
def test_otto_gets_nothing(api, outsider, url):
    assert api(outsider).get(url).status_code == 403


def test_the_interface_list_is_paginated_and_filterable(
    api, hardware_engineer, django_assert_max_num_queries
):
    sw = device(tag="SW-77")
    for n in range(30):
        InterfaceFactory(device=sw, name=f"Gi1/0/{n}", enabled=n % 2 == 0)
    InterfaceFactory(name="other")
    client = api(hardware_engineer)

    with django_assert_max_num_queries(8):
        body = client.get(
            "/api/network/interfaces/", {"tag": "sw-77", "enabled": "true"}
        ).json()

    assert body["count"] == 15
