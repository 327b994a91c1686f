"""The topology page in a browser, at desktop and phone size: it draws the
site's devices, a tap shows a device's panel, and "Export SVG" downloads a
drawing that names the devices."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import shot, sign_in
from tests.factories.inventory import BuildingFactory, FloorFactory, RoomFactory
from tests.factories.monitoring import CheckFactory
from tests.factories.network_topology import (
    InterfaceFactory,
    PatchPanelFactory,
    connect,
    device,
    neighbour,
    port,
)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def hospital():
    building = BuildingFactory(name="Main Building")
    room = RoomFactory(parent=FloorFactory(parent=building), name="MDF")
    core = device("router", location=room, name="core-router")
    dist = device("switch", location=room, name="dist-sw")
    panel = PatchPanelFactory(location=room)
    connect(InterfaceFactory(device=core), port(panel, 1, "front"))
    connect(port(panel, 1, "rear"), InterfaceFactory(device=dist))
    for n in range(1, 4):
        access = device("switch", location=room, name=f"ward-{n}-sw")
        up = InterfaceFactory(device=access)
        here = InterfaceFactory(device=dist)
        connect(here, up)
        if n == 2:
            neighbour(here, up)
        CheckFactory(asset=access, status="down" if n == 3 else "up")
    ap = device("wireless-ap", location=room, name="ap-hall")
    neighbour(InterfaceFactory(device=ap), InterfaceFactory(device=dist))
    CheckFactory(asset=core, status="up")
    return building


def test_the_topology_draws_and_exports_svg(page, network_engineer, hospital):
    sign_in(page, network_engineer)
    page.goto(f"/network/topology/?site={hospital.pk}")

    canvas = page.locator("#topology[data-ready=true]")
    expect(canvas).to_be_visible()
    expect(page.locator("#topology-count")).to_have_text("6 devices, 5 links")
    shot(page, "network-topology")

    # Tap the router: its panel links to the asset and its checks.
    point = page.evaluate(
        """() => { const n = wkTopology.nodes().filter(n => n.data('label') === 'core-router')[0];
                   return n.renderedPosition(); }"""
    )
    box = canvas.bounding_box()
    page.mouse.click(box["x"] + point["x"], box["y"] + point["y"])
    panel = page.locator("#topology-detail")
    expect(panel.get_by_role("heading", name="core-router")).to_be_visible()
    expect(panel.get_by_role("link", name="Asset page")).to_be_visible()
    expect(panel.get_by_role("link", name="Its checks")).to_be_visible()
    shot(page, "network-topology-device")

    with page.expect_download() as download:
        page.get_by_role("button", name="Export SVG").click()
    saved = download.value
    assert saved.suggested_filename == "topology-main-building.svg"
    svg = Path(saved.path()).read_text(encoding="utf-8")
    assert svg.lstrip().startswith(("<?xml", "<svg"))
    for label in ("core-router", "dist-sw", "ward-1-sw", "ward-3-sw", "ap-hall"):
        assert label in svg

    with page.expect_download() as download:
        page.get_by_role("button", name="Export PNG").click()
    png = Path(download.value.path()).read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
