"""The physical network's pages: who may read and edit, the rack elevation,
placing a device, panels and their ports, outlets, interfaces."""

from __future__ import annotations

import pytest
from django.urls import reverse

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
from wardkeeper.network.models import Interface, PatchPanel, Placement, Rack

pytestmark = pytest.mark.django_db

LISTS = [
    "network:rack-list",
    "network:panel-list",
    "network:outlet-list",
    "network:interface-list",
    "network:cable-list",
    "network:cable-due",
    "network:trace",
]


@pytest.mark.parametrize("name", LISTS)
def test_hana_reads_every_physical_page(login, hardware_engineer, name):
    assert login(hardware_engineer).get(reverse(name)).status_code == 200


@pytest.mark.parametrize("name", LISTS)
def test_otto_is_refused(login, outsider, name):
    assert login(outsider).get(reverse(name)).status_code == 403


def test_a_visitor_not_signed_in_is_sent_to_sign_in(client):
    response = client.get(reverse("network:rack-list"))

    assert response.status_code == 302


def test_hana_may_not_add_a_rack(login, hardware_engineer):
    response = login(hardware_engineer).get(reverse("network:rack-add"))

    assert response.status_code == 403


def test_nick_adds_a_rack_in_a_room(login, network_engineer):
    room = RoomFactory(code="MDF-1")

    response = login(network_engineer).post(
        reverse("network:rack-add"),
        {"name": "RK-01", "kind": "rack", "location": "mdf-1", "height_u": 42},
    )

    rack = Rack.objects.get(name="RK-01")
    assert response.status_code == 302
    assert rack.location == room


def test_the_elevation_shows_devices_at_their_units_and_the_empty_ones(
    login, hardware_engineer
):
    rack = RackFactory(height_u=12)
    PlacementFactory(rack=rack, asset=device(name="core-sw"), position=10, height_u=2)

    page = login(hardware_engineer).get(reverse("network:rack-detail", args=[rack.pk]))

    front = page.context["faces"]["front"]
    assert [row["unit"] for row in front][:3] == [12, 11, 9]
    assert front[1]["units"] == [11, 10]
    assert "core-sw" in page.content.decode()
    # 12 units: 10 empty + one device of 2 on each face.
    assert sum(1 for row in front if row["occupant"] is None) == 10


def test_placing_a_device_over_another_shows_which(login, network_engineer):
    rack = RackFactory()
    PlacementFactory(rack=rack, asset=device(name="core-sw"), position=10)
    newcomer = device(name="edge-sw")

    page = login(network_engineer).post(
        reverse("network:placement-add", args=[rack.pk]),
        {"asset": newcomer.tag, "position": 10, "height_u": 1, "face": "front"},
    )

    assert page.status_code == 200
    assert "U10 (front) is taken by" in page.content.decode()
    assert not Placement.objects.filter(asset=newcomer).exists()


def test_nick_places_a_device(login, network_engineer):
    rack = RackFactory()
    sw = device(name="edge-sw")

    response = login(network_engineer).post(
        reverse("network:placement-add", args=[rack.pk]),
        {"asset": sw.tag, "position": 20, "height_u": 1, "face": "front"},
    )

    assert response.status_code == 302
    assert Placement.objects.get(asset=sw).position == 20


def test_a_new_panel_has_its_ports_listed(login, network_engineer):
    room = RoomFactory(code="IDF-2")
    client = login(network_engineer)

    client.post(
        reverse("network:patchpanel-add"),
        {
            "name": "PP-2",
            "location": room.code,
            "height_u": 1,
            "medium": "copper",
            "ports": 24,
        },
    )

    panel = PatchPanel.objects.get(name="PP-2")
    page = client.get(reverse("network:patchpanel-detail", args=[panel.pk]))
    assert len(page.context["ports"]) == 24


def test_the_panel_page_says_what_each_face_is_cabled_to(login, hardware_engineer):
    panel = PatchPanelFactory(ports=4)
    connect(OutletFactory(label="ER-04"), port(panel, 2, "rear"), label="H-9")

    page = login(hardware_engineer).get(
        reverse("network:patchpanel-detail", args=[panel.pk])
    )

    second = page.context["ports"][1]
    assert str(second.rear["to"]) == "ER-04"
    assert second.front is None


def test_a_panel_port_cabled_to_another_panel_names_that_port(login, hardware_engineer):
    here, there = (
        PatchPanelFactory(name="PP-A", ports=4),
        PatchPanelFactory(name="PP-B"),
    )
    connect(port(here, 1, "rear"), port(there, 3, "rear"), label="T-1")

    body = (
        login(hardware_engineer)
        .get(reverse("network:patchpanel-detail", args=[here.pk]))
        .content.decode()
    )

    assert "PP-B:3 (rear)" in body
    assert f'href="{reverse("network:patchpanel-detail", args=[there.pk])}"' in body
    assert "PanelPort" not in body


def test_reducing_ports_under_a_cable_is_refused_on_the_form(login, network_engineer):
    panel = PatchPanelFactory(ports=24)
    connect(port(panel, 20, "rear"), OutletFactory(), label="C-20")

    page = login(network_engineer).post(
        reverse("network:patchpanel-edit", args=[panel.pk]),
        {
            "name": panel.name,
            "location": panel.location.code,
            "height_u": 1,
            "medium": "copper",
            "ports": 16,
        },
    )

    assert "Port 20 carries cable C-20" in page.content.decode()
    assert panel.panel_ports.count() == 24


def test_the_outlet_page_offers_the_trace(login, hardware_engineer):
    outlet = OutletFactory(label="ER-04")

    page = login(hardware_engineer).get(
        reverse("network:outlet-detail", args=[outlet.pk])
    )

    assert f"{reverse('network:trace')}?outlet={outlet.pk}" in page.content.decode()


def test_interface_tagged_vlans_need_a_trunk(login, network_engineer):
    from wardkeeper.network.models import VLAN

    vlan = VLAN.objects.create(vid=20, name="clinical")
    sw = device(name="sw")

    page = login(network_engineer).post(
        reverse("network:interface-add"),
        {
            "device": sw.tag,
            "name": "Gi1/0/1",
            "kind": "1000base-t",
            "mode": "access",
            "untagged_vlan": vlan.pk,
            "tagged_vlans": [vlan.pk],
            "enabled": "on",
        },
    )

    assert page.status_code == 200
    assert "Tagged VLANs are for a trunk" in page.content.decode()
    assert not Interface.objects.exists()


def test_the_interface_list_filters_by_device_and_mode(login, hardware_engineer):
    sw = device(name="sw-a")
    InterfaceFactory(device=sw, name="Gi1/0/1", mode="access")
    InterfaceFactory(device=sw, name="Gi1/0/2", mode="trunk")
    InterfaceFactory(name="Gi1/0/3", mode="access")

    page = login(hardware_engineer).get(
        reverse("network:interface-list"), {"tag": sw.tag, "mode": "access"}
    )

    assert [i.name for i in page.context["object_list"]] == ["Gi1/0/1"]


@pytest.mark.parametrize(
    ("name", "make"),
    [
        ("network:interface-list", lambda: InterfaceFactory()),
        ("network:rack-list", lambda: RackFactory()),
        ("network:panel-list", lambda: PatchPanelFactory(ports=2)),
        ("network:outlet-list", lambda: OutletFactory()),
        ("network:cable-list", lambda: connect(OutletFactory(), InterfaceFactory())),
    ],
)
def test_lists_stay_within_their_query_budget(
    login, hardware_engineer, django_assert_max_num_queries, name, make
):
    for _ in range(8):
        make()
    client = login(hardware_engineer)

    with django_assert_max_num_queries(16):
        page = client.get(reverse(name))

    assert len(page.context["object_list"]) == 8
