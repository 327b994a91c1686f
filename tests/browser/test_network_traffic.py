"""The traffic pages in a browser at desktop and phone size: the top-N page
leads to a port's chart, and where-is finds a host on a simulated access
switch (snmpsim serving tests/network/snmp/recordings)."""

from __future__ import annotations

import datetime as dt
import json
import math

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.conftest import shot, sign_in
from tests.factories.inventory import AssetFactory
from tests.factories.monitoring import CheckFactory
from tests.network.snmp.agents import Simulator, snmpsim_responder
from wardkeeper.monitoring.choices import CheckKind
from wardkeeper.network.choices import Duplex
from wardkeeper.network.models import Interface, InterfaceSample
from wardkeeper.network.services import traffic

pytestmark = pytest.mark.django_db(transaction=True)


def nothing_scrolls_sideways(page) -> None:
    wide = page.evaluate(
        """() => [document.documentElement,
                  ...document.querySelectorAll('.table-responsive')]
            .filter((box) => box.scrollWidth > box.clientWidth + 1)
            .map((box) => box.className || box.tagName)"""
    )
    assert wide == []


def day_of_samples(interface: Interface, peak: float, errors: float = 0) -> None:
    now = timezone.now()
    InterfaceSample.objects.bulk_create(
        InterfaceSample(
            interface=interface,
            at=now - dt.timedelta(minutes=20 * k),
            seconds=1200,
            in_bps=peak * 1e7 * (1 + math.sin(k / 6)) / 2,
            out_bps=peak * 4e6 * (1 + math.cos(k / 5)) / 2,
            in_errors=errors * (k % 7 == 0),
            out_errors=0,
            in_discards=0,
            out_discards=errors / 10,
            utilisation=peak * (1 + math.sin(k / 6)) / 2,
        )
        for k in range(72)
    )


def test_from_the_busiest_ports_to_one_ports_chart(page, network_engineer):
    switch = AssetFactory(name="ward3-sw1")
    uplink = Interface.objects.create(
        device=switch, name="Te1/1/1", speed_mbps=1000, duplex=Duplex.FULL
    )
    day_of_samples(uplink, peak=85)
    day_of_samples(Interface.objects.create(device=switch, name="Gi1/0/7"), 4, 3)
    sign_in(page, network_engineer)
    page.goto("/network/traffic/")
    busiest = page.locator("#busiest tbody tr")
    expect(busiest.first).to_contain_text("Te1/1/1")
    expect(page.locator("#erroring tbody tr").first).to_contain_text("Gi1/0/7")
    nothing_scrolls_sideways(page)
    shot(page, "network-traffic-top")
    busiest.first.get_by_role("link").click()
    expect(page.locator("h1")).to_contain_text("Te1/1/1")
    expect(page.locator("#traffic-chart canvas")).to_have_count(1)
    nothing_scrolls_sideways(page)
    shot(page, "network-traffic-interface")


@pytest.fixture(scope="module")
def simulator(tmp_path_factory):
    binary = snmpsim_responder()
    if binary is None:
        pytest.skip("snmpsim could not be installed")
    sim = Simulator(binary, tmp_path_factory.mktemp("snmpsim"))
    sim.start()
    try:
        yield sim
    finally:
        sim.stop()


def test_where_is_a_host_by_its_ip(page, network_engineer, simulator):
    for recording in ("access-sw", "router"):
        check = CheckFactory(
            asset=AssetFactory(name=recording),
            kind=CheckKind.SNMP,
            host=simulator.address,
            params={"port": simulator.port},
            secrets=json.dumps({"community": recording}),
        )
        traffic.discover(check.asset)
    sign_in(page, network_engineer)
    page.goto("/network/whereis/")
    page.get_by_label("IP or MAC address").fill("198.51.100.13")
    page.get_by_role("button", name="Find").click()
    best = page.locator("#whereis-best")
    expect(best).to_contain_text("access-sw")
    expect(best).to_contain_text("Gi1/0/3")
    expect(best).to_contain_text("VLAN 10")
    expect(page.locator("#whereis-answer")).to_contain_text("02:57:4b:00:00:13")
    nothing_scrolls_sideways(page)
    shot(page, "network-whereis")
