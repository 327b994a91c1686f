"""Speed and duplex mismatches between the two interfaces of a link, found
through patch panels as well as on a direct cable: on the mismatches page
and on the interface's own page (which names its far end)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories.network_physical import (
    InterfaceFactory,
    OutletFactory,
    PatchPanelFactory,
    connect,
    device,
    port,
)
from wardkeeper.network.choices import CableStatus, Duplex
from wardkeeper.network.services.traffic_reports import mismatched_links

pytestmark = pytest.mark.django_db


@pytest.fixture
def server_room():
    """sw-core Gi1/0/9 (1000, full) → PP-A 3 front/rear → PP-B 3 rear/front →
    pacs-1 eth0 (100, half), and a well-matched direct cable next to it."""
    a, b = PatchPanelFactory(name="PP-A"), PatchPanelFactory(name="PP-B")
    switch = device(name="sw-core")
    uplink = InterfaceFactory(
        device=switch, name="Gi1/0/9", speed_mbps=1000, duplex=Duplex.FULL
    )
    server = InterfaceFactory(
        device=device("server", name="pacs-1"),
        name="eth0",
        speed_mbps=100,
        duplex=Duplex.HALF,
    )
    connect(uplink, port(a, 3, "front"), label="P-1")
    connect(port(a, 3, "rear"), port(b, 3, "rear"), label="T-1")
    connect(port(b, 3, "front"), server, label="P-2")
    fine_a = InterfaceFactory(device=switch, name="Gi1/0/10", speed_mbps=1000)
    fine_b = InterfaceFactory(device=device(name="ap-1"), name="eth0", speed_mbps=1000)
    connect(fine_a, fine_b, label="P-3")
    return uplink, server


def test_a_mismatch_through_two_panels_is_listed_with_its_cables(server_room):
    uplink, server = server_room

    found = mismatched_links()

    assert [(m.a, m.b) for m in found] in ([(uplink, server)], [(server, uplink)])
    assert [str(cable) for cable in found[0].cables] in (
        ["P-1", "T-1", "P-2"],
        ["P-2", "T-1", "P-1"],
    )
    assert found[0].speed
    assert found[0].duplex


def test_a_path_ending_on_an_outlet_or_a_removed_cable_is_no_link(server_room):
    ward = InterfaceFactory(
        device=device(name="sw-ward"), name="Gi1/0/1", speed_mbps=10
    )
    pc = InterfaceFactory(device=device(name="pc-1"), name="eth0", speed_mbps=1000)
    floor = PatchPanelFactory(name="PP-FLOOR")
    connect(ward, port(floor, 1, "front"))
    connect(port(floor, 1, "rear"), OutletFactory(label="W-01"))  # ends here
    connect(ward.device.interfaces.create(name="Gi1/0/2", speed_mbps=10), pc,
            status=CableStatus.REMOVED)  # fmt: skip

    assert len(mismatched_links()) == 1  # only the server room's panel path


def test_a_planned_cable_carries_nothing(server_room):
    uplink, _server = server_room
    uplink.cable_ends.get().cable.__class__.objects.filter(label="T-1").update(
        status=CableStatus.PLANNED
    )
    assert mismatched_links() == []


def test_the_interface_page_names_its_far_end_and_the_mismatch(
    login, hardware_engineer, server_room
):
    uplink, _server = server_room
    page = login(hardware_engineer).get(
        reverse("network:interface-detail", args=[uplink.pk])
    )
    body = page.content.decode()
    peer = body.split('id="interface-peer"')[1]
    assert "pacs-1" in peer[:400]
    assert "through 3 cables and patch panels" in peer
    warning = body.split('id="interface-mismatch"')[1][:600]
    assert "speed 1000 Mbit/s here, 100 Mbit/s at the far end" in warning
    assert "full duplex here, half duplex at the far end" in warning


def test_a_matched_direct_link_shows_no_warning(login, hardware_engineer, server_room):
    uplink, _server = server_room
    fine = uplink.device.interfaces.get(name="Gi1/0/10")
    body = (
        login(hardware_engineer)
        .get(reverse("network:interface-detail", args=[fine.pk]))
        .content.decode()
    )
    assert "a direct cable" in body
    assert 'id="interface-mismatch"' not in body


def test_the_mismatches_page_lists_the_panel_path(login, network_engineer, server_room):
    page = login(network_engineer).get(reverse("network:traffic-mismatches"))
    table = page.content.decode().split('id="mismatch-table"')[1]
    assert "pacs-1" in table
    assert all(label in table for label in ("P-1", "T-1", "P-2"))
    assert "P-3" not in table
