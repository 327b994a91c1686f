"""Interfaces and counters read from a real snmpd (Debian's) in a network
namespace whose ports carry traffic the test sends."""

from __future__ import annotations

import json
import os
import shutil
import time

import pytest

from tests.factories.monitoring import CheckFactory
from tests.monitoring.probes.snmp_agent import SNMPD
from tests.network.snmp.agents import Closet
from wardkeeper.core.models.audit import AuditEntry
from wardkeeper.monitoring.choices import CheckKind
from wardkeeper.network.choices import InterfaceKind
from wardkeeper.network.models import Interface, InterfaceSample
from wardkeeper.network.services import traffic

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not os.path.exists(SNMPD), reason="snmpd is not installed"),
]


@pytest.fixture
def closet(tmp_path):
    if os.geteuid() != 0 or not shutil.which("ip"):
        pytest.skip("network namespaces need root and iproute2")
    closet = Closet(tmp_path)
    closet.create()
    yield closet
    closet.destroy()


@pytest.fixture
def switch(closet):
    check = CheckFactory(
        kind=CheckKind.SNMP,
        host=closet.address,
        params=closet.params(),
        secrets=json.dumps(closet.secrets),
    )
    return check.asset


def poll_until_moved(switch, name: str, limit: float = 20.0) -> InterfaceSample:
    """Poll until the port has a sample with traffic in (snmpd caches its
    counters for a few seconds)."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        traffic.poll([switch])
        sample = (
            InterfaceSample.objects.filter(interface__name=name, in_bps__gt=0)
            .order_by("-at")
            .first()
        )
        if sample is not None:
            return sample
        time.sleep(1)
    raise AssertionError(f"no traffic seen on {name}")


def test_it_finds_the_ports_once_and_audits_them(switch):
    first = traffic.discover(switch)
    names = {i.name for i in first.created}
    assert {"port1", "port2"} <= names
    assert "lo" not in names  # a loopback is not a port
    port1 = Interface.objects.get(device=switch, name="port1")
    assert port1.if_index
    assert port1.speed_mbps == 10000
    assert port1.kind == InterfaceKind.SFP_10G
    assert len(port1.mac_address) == 17
    assert port1.enabled
    assert port1.oper_up
    assert not Interface.objects.get(device=switch, name="port2").oper_up
    audited = AuditEntry.objects.for_object(port1).filter(action="create")
    assert audited.count() == 1
    again = traffic.discover(switch)
    assert (again.created, again.updated) == ([], [])
    assert Interface.objects.filter(device=switch).count() == len(names)


def test_traffic_sent_through_a_port_shows_as_its_rate(switch, closet):
    traffic.discover(switch)
    assert traffic.poll([switch]).samples == 0  # a first reading has no rate
    closet.send(datagrams=200, size=1000)
    sample = poll_until_moved(switch, "port1")
    port1 = sample.interface
    assert port1.counters["bits"] == 64
    received = sample.in_bps * sample.seconds / 8
    assert received >= 200 * 1000  # every datagram, with its headers
    assert 0 < sample.utilisation < 1
    assert sample.in_errors == 0


def test_a_restarted_agent_gives_no_spike(switch, closet):
    traffic.discover(switch)
    port1 = Interface.objects.get(device=switch, name="port1")
    deadline = time.monotonic() + 10
    while not port1.counters or port1.counters["uptime"] < 200:  # up for 2 s
        assert time.monotonic() < deadline
        traffic.poll([switch])
        port1.refresh_from_db()
    closet.send(datagrams=100, size=1000)
    closet.agent.stop()
    closet.agent.start()
    before = InterfaceSample.objects.count()
    summary = traffic.poll([switch])
    # sysUpTime went back: the counters cannot be compared with the last ones.
    assert summary.failed == {}
    assert InterfaceSample.objects.count() == before
    assert Interface.objects.get(device=switch, name="port1").counters["uptime"] < 1000
