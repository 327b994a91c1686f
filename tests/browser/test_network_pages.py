"""The network's pages an engineer opens most, at desktop and phone size:
none scrolls sideways (a wide table scrolls inside its own box), and each
shows what it is for: the rack elevation, a patch panel, an outlet, the
floor plans and the upload form, a LAG member with its far end, a prefix,
and the flow policy with its unverified rules."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import shot, sign_in
from tests.factories.inventory import RoomFactory
from tests.factories.network_logical import FlowRuleFactory, PrefixFactory, ZoneFactory
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
from tests.factories.network_topology import FloorPlanFactory, png_upload
from wardkeeper.network.choices import Duplex, InterfaceKind

pytestmark = pytest.mark.django_db(transaction=True)

SIDEWAYS = "document.documentElement.scrollWidth - window.innerWidth"


@pytest.fixture
def site():
    """A distribution room: rack RK-01 with a switch (LAG Po1 of Gi1/0/1-2)
    and a panel; the switch's Gi1/0/1 reaches a PACS server through two
    panels at the wrong speed; outlet W3-01 is patched to Gi1/0/2."""
    room = RoomFactory(code="IDF-3", name="Ward 3 distribution")
    rack = RackFactory(name="RK-01", location=room, height_u=24)
    switch = device(name="sw-ward3-access-01", location=room)
    PlacementFactory(rack=rack, asset=switch, position=20, height_u=1)
    PlacementFactory(rack=rack, asset=device(name="ups-ward3"), position=1, height_u=2)
    panel = PatchPanelFactory(name="PP-IDF3-A", location=room, ports=24)
    panel.rack, panel.position = rack, 22
    panel.save()
    far = PatchPanelFactory(name="PP-DC-B", ports=24)
    lag = InterfaceFactory(device=switch, name="Po1", kind=InterfaceKind.LAG)
    up = InterfaceFactory(device=switch, name="Gi1/0/1", lag=lag, speed_mbps=1000,
                          duplex=Duplex.FULL, mac_address="02:57:4b:00:00:01")  # fmt: skip
    ward = InterfaceFactory(device=switch, name="Gi1/0/2", lag=lag)
    pacs = InterfaceFactory(device=device("server", name="pacs-archive-01"),
                            name="eth0", speed_mbps=100, duplex=Duplex.HALF)  # fmt: skip
    connect(up, port(panel, 1, "front"), label="P-IDF3-001")
    connect(port(panel, 1, "rear"), port(far, 1, "rear"), label="T-IDF3-DC-01")
    connect(port(far, 1, "front"), pacs, label="P-DC-001")
    outlet = OutletFactory(label="W3-B2-01", location=room, description="Bed 2 PC")
    connect(outlet, port(panel, 2, "rear"), label="H-W3-B2-01")
    connect(port(panel, 2, "front"), ward, label="P-IDF3-002")
    guest, servers = ZoneFactory(name="Guest Wi-Fi"), ZoneFactory(name="HIS servers")
    FlowRuleFactory(source=guest, destination=servers, service="HIS database",
                    ports="1521, 5432")  # fmt: skip
    PrefixFactory(prefix="10.20.3.0/24", description="Ward 3 clinical")
    plan = FloorPlanFactory(image=png_upload(width=1200, height=800, colour="#eef"))
    return {"rack": rack, "panel": panel, "outlet": outlet, "up": up, "plan": plan}


def visit(page, url: str, name: str) -> None:
    page.goto(url)
    expect(page.locator("main h1").first).to_be_visible()
    assert page.evaluate(SIDEWAYS) <= 0, f"{url} scrolls sideways"
    shot(page, name)


def test_the_network_pages_fit_and_say_what_matters(page, network_engineer, site):
    sign_in(page, network_engineer)
    visit(page, f"/network/racks/{site['rack'].pk}/", "network-page-rack")
    expect(page.get_by_role("link", name="sw-ward3-access-01").first).to_be_visible()

    visit(page, f"/network/panels/{site['panel'].pk}/", "network-page-panel")
    expect(page.get_by_text("W3-B2-01").first).to_be_visible()

    visit(page, f"/network/outlets/{site['outlet'].pk}/", "network-page-outlet")
    expect(page.get_by_text("H-W3-B2-01").first).to_be_visible()

    visit(page, f"/network/interfaces/{site['up'].pk}/", "network-page-interface")
    expect(page.locator("#interface-lag")).to_contain_text("Po1")
    expect(page.locator("#interface-peer")).to_contain_text("pacs-archive-01")
    expect(page.locator("#interface-mismatch")).to_contain_text("100 Mbit/s")

    visit(page, "/network/policy/", "network-page-policy")
    expect(page.locator("#policy-probes")).to_contain_text("not verified")

    prefix = "/network/prefixes/"
    page.goto(prefix)
    page.get_by_role("link", name="10.20.3.0/24").click()
    expect(page.locator("#next-free")).to_have_text("10.20.3.1")
    assert page.evaluate(SIDEWAYS) <= 0
    shot(page, "network-page-prefix")

    visit(page, "/network/plans/", "network-page-plans")
    visit(page, "/network/plans/add/", "network-page-plan-form")
