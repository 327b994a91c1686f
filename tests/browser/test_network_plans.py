"""Floor plans in a browser, at desktop and phone size: the network engineer
places an outlet marker by tapping the plan and drags it; tapping an outlet
marker traces its cable to the switch port."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import shot, sign_in
from tests.factories.inventory import RoomFactory
from tests.factories.monitoring import CheckFactory
from tests.factories.network_topology import (
    FloorPlanFactory,
    InterfaceFactory,
    OutletFactory,
    PatchPanelFactory,
    connect,
    device,
    png_upload,
    port,
)
from wardkeeper.network.models import Marker

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def plan():
    plan = FloorPlanFactory(image=png_upload(width=1200, height=800, colour="#eef"))
    room = RoomFactory(parent=plan.floor, name="Ward 3 bay 2", code="W3-B2")
    OutletFactory(label="W3-B2-01", location=room)
    Marker.objects.create(plan=plan, kind="room", room=room, x=0.2, y=0.3)
    ap = device("wireless-ap", location=room, name="AP-W3-01")
    CheckFactory(asset=ap, status="up")
    Marker.objects.create(plan=plan, kind="device", device=ap, x=0.6, y=0.3)
    return plan


def test_nick_places_and_drags_an_outlet_marker(page, network_engineer, plan):
    sign_in(page, network_engineer)
    page.goto(f"/network/plans/{plan.pk}/")
    page.get_by_label("Marker").select_option("outlet")
    page.get_by_label("Code, label or tag").fill("W3-B2-01")
    page.get_by_role("button", name="Place on the plan").click()
    board = page.locator("#plan")
    box = board.bounding_box()
    board.click(position={"x": box["width"] * 0.5, "y": box["height"] * 0.75})

    marker = page.locator("[data-kind=outlet]")
    expect(marker).to_be_visible()
    expect(marker).to_have_attribute("aria-label", "W3-B2-01")
    placed = Marker.objects.get(kind="outlet")
    assert placed.x == pytest.approx(0.5, abs=0.03)
    assert placed.y == pytest.approx(0.75, abs=0.03)

    marker.scroll_into_view_if_needed()
    box = board.bounding_box()  # where the plan is now, after any scrolling
    start = marker.bounding_box()
    page.mouse.move(start["x"] + start["width"] / 2, start["y"] + start["height"] / 2)
    page.mouse.down()
    page.mouse.move(
        box["x"] + box["width"] * 0.8, box["y"] + box["height"] * 0.5, steps=8
    )
    page.mouse.up()
    expect(page.locator("#plan-detail .text-danger")).to_have_count(0)
    page.wait_for_function(
        "() => document.querySelector('[data-kind=outlet]').style.left.startsWith('8')"
    )
    page.reload()
    expect(page.locator("[data-kind=outlet]")).to_be_visible()
    placed.refresh_from_db()
    assert placed.x == pytest.approx(0.8, abs=0.03)
    assert placed.y == pytest.approx(0.5, abs=0.03)
    shot(page, "network-plan-markers")


def test_trace_a_cable_from_an_outlet_on_the_floor_plan_to_its_switch_port(
    page, hardware_engineer, plan
):
    pytest.importorskip(
        "wardkeeper.network.services.trace", reason="the trace service lands apart"
    )
    outlet = plan.markers.get(kind="room").room.outlets.get()
    closet = RoomFactory(parent=plan.floor, name="IDF-3")
    switch = device("switch", location=closet, name="sw-idf3")
    switch_port = InterfaceFactory(device=switch, name="Gi1/0/17")
    panel = PatchPanelFactory(location=closet, name="PP-3A")
    connect(outlet, port(panel, 17, "rear"), label="H-3017")
    connect(port(panel, 17, "front"), switch_port, label="P-3017")
    Marker.objects.create(plan=plan, kind="outlet", outlet=outlet, x=0.4, y=0.6)

    sign_in(page, hardware_engineer)
    page.goto(f"/network/plans/{plan.pk}/")
    expect(page.locator("#plan-place")).to_have_count(0)  # hana reads only
    page.get_by_role("button", name="W3-B2-01").click()

    trace = page.locator("#plan-detail .wk-trace")
    expect(trace).to_contain_text("H-3017")
    expect(trace).to_contain_text("PP-3A")
    expect(trace.locator(".wk-trace-end")).to_contain_text("Gi1/0/17")
    expect(trace).to_contain_text("Reaches")
    shot(page, "network-plan-trace")
