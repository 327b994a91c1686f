"""The SNMP probe against a real snmpd (Debian's), v2c and v3."""

from __future__ import annotations

import asyncio
import os
import shutil
import time

import pytest

from tests.monitoring.probes.snmp_agent import (
    COMMUNITY,
    SNMPD,
    USER256,
    Agent,
    Ward,
    free_udp_port,
    probe,
    probe_until,
    v3,
)
from wardkeeper.monitoring.engine.probes.snmp import check_snmp
from wardkeeper.monitoring.engine.probes.snmp_client import close_engines
from wardkeeper.monitoring.engine.spec import CheckSpec, Status

pytestmark = pytest.mark.skipif(
    not os.path.exists(SNMPD), reason="snmpd is not installed (apt-get install snmpd)"
)
V2C = {"community": COMMUNITY}


@pytest.fixture
def agent(tmp_path):
    peer = Agent(tmp_path)
    peer.start()
    yield peer
    peer.stop()


@pytest.fixture
def ward(tmp_path):
    if os.geteuid() != 0 or not shutil.which("ip"):
        pytest.skip("network namespaces need root and iproute2")
    ward = Ward()
    ward.destroy()  # leftovers of a killed run
    ward.create()
    peer = Agent(tmp_path, address=ward.address, netns=ward.name)
    peer.start()
    yield ward, peer
    peer.stop()
    ward.destroy()


@pytest.mark.parametrize("auth", [V2C, v3(), v3(USER256, "SHA-256")])
def test_it_reads_uptime_and_names_the_device(agent, auth):
    outcome = probe(agent, what="uptime", **auth)
    assert outcome.status == Status.UP, outcome.message
    assert 0 < outcome.values["uptime_s"] < 60
    assert outcome.values["sys_descr"].startswith("Linux")
    assert outcome.values["sys_name"] == os.uname().nodename


def test_a_restarted_agent_is_reported_once_as_rebooted(agent):
    deadline = time.monotonic() + 5
    while probe(agent, check_id=7, **v3()).values["uptime_s"] < 1.0:
        assert time.monotonic() < deadline
        time.sleep(0.2)
    agent.stop()
    agent.start()
    rebooted = probe(agent, check_id=7, **v3())
    assert rebooted.status == Status.DEGRADED
    assert rebooted.reason == "rebooted"
    assert rebooted.values["uptime_s"] < 1.0
    assert probe(agent, check_id=7, **v3()).status == Status.UP


def test_wrong_v3_credentials_are_told_apart_from_a_silent_agent(agent):
    wrong_key = probe(agent, **v3(auth_key="not-the-key"))
    unknown_user = probe(agent, **v3(user="intruder"))
    assert (wrong_key.status, wrong_key.reason) == (Status.DOWN, "auth")
    assert (unknown_user.status, unknown_user.reason) == (Status.DOWN, "auth")
    # A wrong privacy key, and in v2c a wrong community, just go unanswered.
    wrong_priv = probe(agent, timeout=1.0, **v3(priv_key="not-the-key"))
    assert (wrong_priv.status, wrong_priv.reason) == (Status.DOWN, "timeout")
    wrong_community = probe(agent, timeout=1.0, community="guess")
    assert (wrong_community.status, wrong_community.reason) == (Status.DOWN, "timeout")


def test_a_stopped_agent_is_down_within_the_timeout(agent):
    agent.stop()
    started = time.monotonic()
    outcome = probe(agent, timeout=1.0, **V2C)
    assert (outcome.status, outcome.reason) == (Status.DOWN, "timeout")
    assert time.monotonic() - started < 1.5


def test_checks_sharing_a_user_name_with_different_keys_run_together(agent):
    # One user name, one key per device is common: in flight at once, each
    # check must still be judged by its own key.
    async def both():
        specs = [
            CheckSpec(n, "snmp", agent.address, {"port": agent.port, **params})
            for n, params in ((1, v3()), (2, v3(auth_key="not-the-key")))
        ]
        try:
            return await asyncio.gather(*(check_snmp(s) for s in specs * 3))
        finally:
            close_engines()

    outcomes = asyncio.run(both())
    assert [o.reason for o in outcomes] == ["", "auth"] * 3


@pytest.mark.parametrize(
    ("readings", "params", "status", "reason"),
    [
        ({}, {}, Status.UP, ""),
        (
            {"source": 5, "seconds": 120, "minutes": 40},
            {},
            Status.DEGRADED,
            "on_battery",
        ),
        ({"source": 5}, {"on_battery": "down"}, Status.DOWN, "on_battery"),
        ({"source": 5, "minutes": 4, "charge": 20}, {}, Status.DOWN, "runtime"),
        ({"charge": 40}, {}, Status.DEGRADED, "charge"),
        ({"charge": 40}, {"charge_warn": 30}, Status.UP, ""),
        ({"battery": 3}, {}, Status.DOWN, "battery_low"),
        ({"source": 4}, {}, Status.DEGRADED, "bypass"),
    ],
)
def test_it_judges_the_ups(agent, readings, params, status, reason):
    agent.set_ups(
        **{**dict(battery=2, seconds=0, minutes=60, charge=100, source=3), **readings}
    )
    outcome = probe(agent, what="ups", **V2C, **params)
    assert (outcome.status, outcome.reason) == (status, reason), outcome.message
    assert outcome.values["minutes_remaining"] == readings.get("minutes", 60)


def test_an_agent_without_ups_mib_cannot_be_judged(agent):
    agent.config.write_text(agent.config.read_text().replace("pass ", "#pass "))
    agent.stop()
    agent.start()
    outcome = probe(agent, what="ups", **V2C)
    assert (outcome.status, outcome.reason) == (Status.UNKNOWN, "unsupported")


def test_it_measures_the_root_file_system_as_the_host_does(agent):
    disk = shutil.disk_usage("/")
    real = 100.0 * disk.used / disk.total  # blocks in use, as hrStorageUsed
    ok = probe(agent, what="storage", mounts=["/"], **V2C)
    assert ok.status == Status.UP
    assert ok.values["used_pct"]["/"] == pytest.approx(real, abs=1.0)
    warn = probe(agent, what="storage", mounts=["/"], warn_pct=real - 2, **v3())
    crit = probe(
        agent, what="storage", mounts="/", warn_pct=1, crit_pct=real - 2, **V2C
    )
    assert (warn.status, warn.reason) == (Status.DEGRADED, "full")
    assert (crit.status, crit.reason) == (Status.DOWN, "full")
    assert "/ " in crit.message
    missing = probe(agent, what="storage", mounts=["/no/such/mount"], **V2C)
    assert (missing.status, missing.reason) == (Status.DOWN, "missing")


def test_an_unplugged_ward_interface_is_down_and_recovers(ward):
    net, peer = ward
    assert (
        probe(peer, what="interfaces", interfaces=["ward*"], **V2C).status == Status.UP
    )
    net.cable("ward1", plugged=False)
    down = probe_until(
        peer, Status.DOWN, what="interfaces", interfaces=["ward*"], **V2C
    )
    assert (down.status, down.reason) == (Status.DOWN, "interface_down")
    assert down.values["down_names"] == ["ward1"]
    # ward1p, the far end, is administratively down: counted, not alarmed.
    counts = [down.values[key] for key in ("up", "down", "admin_down")]
    assert counts == [2, 1, 1]
    lax = probe(peer, what="interfaces", non_critical=["ward1"], **v3())
    assert (lax.status, lax.reason) == (Status.DEGRADED, "interface_down")
    only_ward2 = probe(peer, what="interfaces", interfaces=["ward2"], **V2C)
    assert only_ward2.status == Status.UP
    net.cable("ward1", plugged=True)
    assert probe_until(peer, Status.UP, what="interfaces", **V2C).status == Status.UP


def test_a_missing_listed_interface_is_down(agent):
    outcome = probe(agent, what="interfaces", interfaces=["lo", "ward9"], **V2C)
    assert (outcome.status, outcome.reason) == (Status.DOWN, "missing")
    assert outcome.values["missing"] == ["ward9"]


def test_an_unused_port_times_out():
    port = free_udp_port()
    spec = CheckSpec(1, "snmp", "127.0.0.1", {"port": port, **V2C}, timeout=0.5)

    async def once():
        try:
            return await check_snmp(spec)
        finally:
            close_engines()

    outcome = asyncio.run(once())
    assert (outcome.status, outcome.reason) == (Status.DOWN, "timeout")
    assert outcome.latency_ms is None
