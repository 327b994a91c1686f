"""The topology page and its JSON API: who may see them, what they hold."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories.inventory import BuildingFactory, FloorFactory, RoomFactory
from tests.factories.monitoring import CheckFactory
from tests.factories.network_topology import InterfaceFactory, connect, device

pytestmark = pytest.mark.django_db


@pytest.fixture
def site():
    building = BuildingFactory(name="Outpatients")
    room = RoomFactory(parent=FloorFactory(parent=building))
    core = device("router", location=room, name="core-1")
    access = device("switch", location=room, name="sw-hall")
    connect(InterfaceFactory(device=core), InterfaceFactory(device=access))
    CheckFactory(asset=access, status="down")
    return building


def test_the_api_gives_the_sites_graph(site, api, hardware_engineer):
    response = api(hardware_engineer).get("/api/network/topology/", {"site": site.pk})

    assert response.status_code == 200
    body = response.json()
    labels = {node["data"]["label"]: node["data"] for node in body["nodes"]}
    assert set(labels) == {"core-1", "sw-hall"}
    assert labels["sw-hall"]["status"] == "down"
    assert labels["core-1"]["kind"] == "router"
    assert body["edges"][0]["data"]["learned"] == "cable"


def test_the_api_asks_for_a_site(api, network_engineer):
    response = api(network_engineer).get("/api/network/topology/")

    assert response.status_code == 400
    assert response.json()["error"]["fields"][0]["field"] == "site"


def test_someone_without_a_network_role_is_refused(site, api, login, outsider):
    assert (
        api(outsider).get("/api/network/topology/", {"site": site.pk}).status_code
        == 403
    )
    assert login(outsider).get(reverse("network:topology")).status_code == 403


def test_the_page_offers_the_sites_and_exports(site, login, hardware_engineer):
    response = login(hardware_engineer).get(
        reverse("network:topology"), {"site": site.pk}
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert str(site) in page
    assert "Export SVG" in page
    assert "Export PNG" in page
    assert f"/api/network/topology/?site={site.pk}" in page
