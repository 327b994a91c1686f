"""The physical network in a browser, at desktop and phone size: a rack's
elevation, connecting a cable with the form, and tracing from an outlet."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import shot, sign_in
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
from wardkeeper.network.models import Cable

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_rack_elevation_draws_front_and_rear(page, hardware_engineer):
    room = RoomFactory(code="MDF-1", name="Main distribution")
    rack = RackFactory(name="RK-01", location=room, height_u=24)
    PlacementFactory(
        rack=rack, asset=device(name="core-sw-01"), position=20, height_u=2
    )
    PlacementFactory(rack=rack, asset=device(name="ups-01"), position=1, height_u=3)
    PlacementFactory(
        rack=rack,
        asset=device(name="patch-mgr"),
        position=10,
        face="rear",
        full_depth=False,
    )
    panel = PatchPanelFactory(name="PP-MDF-A", location=room, ports=24)
    panel.rack, panel.position = rack, 23
    panel.save()

    sign_in(page, hardware_engineer)
    page.goto(f"/network/racks/{rack.pk}/")

    front = page.locator(".wk-elevation").first
    rear = page.locator(".wk-elevation").nth(1)
    expect(front.get_by_role("link", name="core-sw-01")).to_be_visible()
    expect(rear.get_by_role("link", name="core-sw-01")).to_be_visible()
    expect(rear.get_by_role("link", name="patch-mgr")).to_be_visible()
    expect(front.get_by_role("link", name="patch-mgr")).to_have_count(0)
    expect(front.locator("[data-unit='10'].wk-u-empty")).to_have_count(1)
    two_units = front.locator("[data-unit='21']").bounding_box()
    one_unit = front.locator("[data-unit='19']").bounding_box()
    assert two_units["height"] == pytest.approx(2 * one_unit["height"], rel=0.1)
    shot(page, "network-rack-elevation")


def test_nick_connects_an_outlet_to_a_panel_port(page, network_engineer):
    OutletFactory(label="ER-04")
    PatchPanelFactory(name="PP-ER", ports=12)

    sign_in(page, network_engineer)
    page.goto("/network/cables/add/")
    end_a = page.locator("[data-cable-end=a]")
    end_b = page.locator("[data-cable-end=b]")
    end_a.get_by_label("Plugged into").select_option("outlet")
    end_a.get_by_label("Point").fill("ER-04")
    end_b.get_by_label("Plugged into").select_option("port")
    expect(end_b.get_by_label("Panel face")).to_be_visible()
    end_b.get_by_label("Point").fill("PP-ER:4")
    end_b.get_by_label("Panel face").select_option("rear")
    page.get_by_label("Label").fill("H-ER-04")
    shot(page, "network-cable-form")
    # The point boxes' suggestions are fetched as one types: let them land
    # first (the test database, SQLite in memory, locks a table per writer).
    page.wait_for_load_state("networkidle")
    page.get_by_role("button", name="Save").click()

    expect(page.get_by_role("heading", name="H-ER-04")).to_be_visible()
    cable = Cable.objects.get(label="H-ER-04")
    assert {e.side for e in cable.ends.all()} == {"a", "b"}


def test_tracing_from_an_outlet_shows_the_chain(page, hardware_engineer):
    outlet = OutletFactory(label="ER-04")
    floor, core = PatchPanelFactory(name="PP-FLOOR"), PatchPanelFactory(name="PP-CORE")
    switch_port = InterfaceFactory(device=device(name="sw-er"), name="Gi1/0/4")
    connect(outlet, port(floor, 4, "rear"), label="H-1", length_m=42)
    connect(port(floor, 4, "front"), port(core, 9, "rear"), label="T-1", length_m=60)
    connect(port(core, 9, "front"), switch_port, label="P-1", length_m=2)

    sign_in(page, hardware_engineer)
    page.goto(f"/network/outlets/{outlet.pk}/")
    page.get_by_role("main").get_by_role("link", name="Trace").click()

    chain = page.get_by_role("list", name="Cable path")
    expect(chain.get_by_role("link", name="H-1")).to_be_visible()
    expect(chain.locator(".wk-chain-end")).to_contain_text("Gi1/0/4")
    expect(page.get_by_role("status")).to_contain_text("3 cables, 104.00 m in all")
    shot(page, "network-trace")
