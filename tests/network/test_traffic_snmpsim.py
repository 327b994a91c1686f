"""Interfaces, LLDP and where-is against snmpsim serving the recordings in
tests/network/snmp/recordings (an access switch, an old switch, a router)."""

from __future__ import annotations

import json

import pytest

from tests.factories.inventory import AssetFactory
from tests.factories.monitoring import CheckFactory
from tests.monitoring.probes.snmp_agent import free_udp_port
from tests.network.snmp.agents import Simulator, snmpsim_responder
from wardkeeper.core.errors import DomainError
from wardkeeper.monitoring.choices import CheckKind
from wardkeeper.network.choices import Duplex, InterfaceKind
from wardkeeper.network.models import Interface
from wardkeeper.network.services import lldp, traffic, whereis

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def simulator(tmp_path_factory):
    binary = snmpsim_responder()
    if binary is None:
        pytest.skip("snmpsim is missing: run scripts/setup.sh --dev")
    sim = Simulator(binary, tmp_path_factory.mktemp("snmpsim"))
    sim.start()
    try:
        yield sim
    finally:
        sim.stop()


@pytest.fixture
def device(simulator):
    """``device(recording, **asset fields)``: an asset reached over SNMP."""

    def make(recording: str, port: int | None = None, **fields):
        check = CheckFactory(
            asset=AssetFactory(**fields),
            kind=CheckKind.SNMP,
            host=simulator.address,
            params={"port": port or simulator.port, "timeout": 1},
            secrets=json.dumps({"community": recording}),
        )
        return check.asset

    return make


def test_the_access_switch_ports_are_found_with_speed_duplex_and_state(device):
    switch = device("access-sw")
    found = traffic.discover(switch)
    assert len(found.created) == 28  # 24 access, 2 uplinks, a LAG, an SVI
    ports = {i.name: i for i in Interface.objects.filter(device=switch)}
    assert ports["Gi1/0/9"].speed_mbps == 100
    assert ports["Gi1/0/9"].duplex == Duplex.HALF
    assert ports["Gi1/0/1"].duplex == Duplex.FULL
    assert ports["Gi1/0/1"].kind == InterfaceKind.COPPER_1G
    assert ports["Te1/1/1"].kind == InterfaceKind.SFP_10G
    assert ports["Po1"].kind == InterfaceKind.LAG
    assert ports["Vl10"].kind == InterfaceKind.VIRTUAL
    assert not ports["Gi1/0/20"].enabled
    assert ports["Gi1/0/5"].description == "Ward 3 outlet W3-05"
    assert ports["Gi1/0/1"].if_index == 10101
    assert ports["Gi1/0/1"].mac_address == "06:57:4b:00:27:75"


def test_an_old_switch_falls_back_to_descriptions_and_32_bit_counters(device):
    switch = device("old-sw")
    traffic.discover(switch)
    assert traffic.poll([switch]).failed == {}
    port = Interface.objects.get(device=switch, name="port 1")
    assert port.counters["bits"] == 32
    assert port.counters["in_octets"] == 2**32 - 1000


def test_lldp_neighbours_are_matched_to_inventory_devices(device):
    switch = device("access-sw")
    traffic.discover(switch)
    core = AssetFactory(hostname="core-sw1")
    Interface.objects.create(device=core, name="Te1/0/7")
    phone = AssetFactory(mac_address="02:57:4b:00:00:a3")
    found = {n.interface.name: n for n in lldp.refresh(switch)}
    assert set(found) == {"Te1/1/1", "Gi1/0/3"}
    assert found["Te1/1/1"].remote_device == core
    assert found["Te1/1/1"].remote_interface.name == "Te1/0/7"
    assert found["Gi1/0/3"].remote_device == phone
    assert found["Gi1/0/3"].system_name == "SEP02574B0000A3"
    # A second read replaces, not adds.
    assert len(lldp.refresh(switch)) == 2


def test_an_ip_is_found_on_its_access_port_not_the_uplink(device):
    switch = device("access-sw", hostname="ward3-sw1")
    core, router = device("core-sw"), device("router")
    for each in (switch, core):
        traffic.discover(each)
    lldp.refresh(core)
    answer = whereis.locate("198.51.100.13")
    assert answer.mac == "02:57:4b:00:00:13"
    assert answer.arp_device == router
    best = answer.best
    assert (best.device, best.interface.name, best.vlan) == (switch, "Gi1/0/3", 10)
    assert not best.uplink
    uplink = answer.sightings[1]
    assert (uplink.device, uplink.interface.name) == (core, "Te1/0/7")
    assert uplink.uplink
    assert uplink.macs_on_port > best.macs_on_port


def test_a_mac_is_found_through_bridge_mib_and_named_by_arp(device):
    old = device("old-sw")
    traffic.discover(old)
    answer = whereis.locate("02-57-4B-00-05-01")
    assert answer.ip == "203.0.113.51"
    assert (answer.best.device, answer.best.interface.name) == (old, "port 1")
    assert answer.best.vlan is None


def test_a_silent_switch_does_not_stop_the_answer(device):
    device("access-sw")
    silent = device("access-sw", port=free_udp_port())
    answer = whereis.locate("02:57:4b:00:00:11")
    assert answer.failed == {silent: "timeout"}
    assert answer.best.interface is None  # the port was never discovered
    assert answer.best.if_index == 10101


def test_neither_ip_nor_mac_is_refused():
    with pytest.raises(DomainError):
        whereis.locate("ward 3 pc")
