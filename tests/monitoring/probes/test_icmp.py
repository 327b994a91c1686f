"""ICMP echo against loopback and a network namespace the test builds, by
socket and through the shared fping batcher."""

from __future__ import annotations

import asyncio
import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from tests.monitoring.probes.conftest import run
from wardkeeper.monitoring.engine.probes import fping
from wardkeeper.monitoring.engine.probes.icmp import (
    _checksum,
    _judge,
    _Pinger,
    check_icmp,
    start_icmp,
)
from wardkeeper.monitoring.engine.scheduler import Engine
from wardkeeper.monitoring.engine.spec import CheckSpec, Status

PING_GROUPS = Path("/proc/sys/net/ipv4/ping_group_range")
needs_fping = pytest.mark.skipif(not fping.available(), reason="fping is not installed")


def spec(host, **params):
    return CheckSpec(7, "icmp", host, params, timeout=2.0)


def _may_open_icmp():
    return os.geteuid() == 0 or PING_GROUPS.read_text().split() != ["1", "0"]


@pytest.mark.skipif(
    not _may_open_icmp(), reason="needs root, CAP_NET_RAW or ping_group_range"
)
def test_loopback_answers_by_socket():
    outcome = run(check_icmp(spec("127.0.0.1", count=3, period_ms=20, method="socket")))
    assert outcome.status == Status.UP
    assert outcome.values["method"] in ("raw", "dgram")
    assert (outcome.values["sent"], outcome.values["received"]) == (3, 3)
    assert 0 < outcome.values["rtt_avg_ms"] < 100


@pytest.mark.skipif(
    not _may_open_icmp(), reason="needs root, CAP_NET_RAW or ping_group_range"
)
def test_a_thousand_hosts_answer_through_one_socket():
    """Many echoes in flight on the shared socket, each reply matched to
    its own host."""

    async def ping_all():
        hosts = [f"127.3.{i // 250}.{i % 250 + 1}" for i in range(1000)]
        checks = (check_icmp(spec(host, method="socket")) for host in hosts)
        return await asyncio.gather(*checks)

    found = run(ping_all())
    assert [outcome.status for outcome in found] == [Status.UP] * 1000
    assert all(outcome.values["received"] == 1 for outcome in found)


def test_every_echo_carries_a_valid_checksum():
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)

    async def packets():
        pinger = _Pinger(sock, True, socket.AF_INET)
        try:
            return [pinger.packet(seq) for seq in (0, 1, 0x7FFF, 0xFFFE, 0xFFFF)]
        finally:
            asyncio.get_running_loop().remove_reader(sock.fileno())

    try:
        for packet in run(packets()):
            assert _checksum(packet) == 0
    finally:
        sock.close()


@needs_fping
def test_many_hosts_share_one_fping_run():
    async def ping_all():
        specs = [
            spec(host, method="fping") for host in ("127.0.0.1", "127.0.0.2", "::1")
        ]
        outcomes = await asyncio.gather(*(check_icmp(item) for item in specs))
        return outcomes, fping.shared().runs

    outcomes, runs = run(ping_all())
    assert [item.status for item in outcomes] == [Status.UP] * 3
    assert {item.values["method"] for item in outcomes} == {"fping"}
    assert runs == 1


@needs_fping
def test_fping_reports_an_unknown_name():
    outcome = run(check_icmp(spec("no-such-host.invalid", method="fping")))
    assert (outcome.status, outcome.reason) == (Status.DOWN, "dns")


def test_partial_loss_above_the_limit_is_degraded_and_slow_echoes_too():
    lossy = _judge(spec("x", max_loss_percent=20), [0.5, None, 0.7], {})
    assert (lossy.status, lossy.reason, lossy.values["loss_percent"]) == (
        Status.DEGRADED, "loss", 33.3,
    )  # fmt: skip
    tolerated = _judge(spec("x", max_loss_percent=50), [0.5, None, 0.7], {})
    assert tolerated.status == Status.UP
    slow = _judge(spec("x", degraded_ms=100), [150.0], {})
    assert (slow.status, slow.reason) == (Status.DEGRADED, "slow")


@pytest.fixture
def namespace():
    """A namespace behind a veth pair: 10.231.<n>.2 answers pings, .3 is an
    unused address nobody answers for."""
    if os.geteuid() != 0 or shutil.which("ip") is None:
        pytest.skip("network namespaces need root and iproute2")
    tag = f"{os.getpid() % 100000}"
    name, outer, inner = f"wkp{tag}", f"wkpo{tag}", f"wkpi{tag}"
    subnet = f"10.231.{os.getpid() % 250}"
    commands = [
        ["ip", "netns", "add", name],
        [
            "ip",
            "link",
            "add",
            outer,
            "type",
            "veth",
            "peer",
            "name",
            inner,
            "netns",
            name,
        ],
        ["ip", "addr", "add", f"{subnet}.1/24", "dev", outer],
        ["ip", "link", "set", outer, "up"],
        ["ip", "-n", name, "addr", "add", f"{subnet}.2/24", "dev", inner],
        ["ip", "-n", name, "link", "set", inner, "up"],
    ]
    for command in commands:
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        if done.returncode:
            subprocess.run(
                ["ip", "netns", "del", name], capture_output=True, check=False
            )
            pytest.skip(f"cannot build a network namespace: {done.stderr.strip()}")
    yield subnet
    subprocess.run(["ip", "link", "del", outer], capture_output=True, check=False)
    subprocess.run(["ip", "netns", "del", name], capture_output=True, check=False)


@pytest.mark.parametrize("method", ["socket", pytest.param("fping", marks=needs_fping)])
def test_an_address_nobody_answers_for_is_down(namespace, method):
    up = run(check_icmp(spec(f"{namespace}.2", method=method, count=2, period_ms=50)))
    assert up.status == Status.UP
    down = run(check_icmp(spec(f"{namespace}.3", method=method, timeout_ms=500)))
    assert down.status == Status.DOWN
    assert down.reason in ("timeout", "unreachable")
    assert down.values["loss_percent"] == 100.0


@pytest.mark.skipif(
    not _may_open_icmp(), reason="needs root, CAP_NET_RAW or ping_group_range"
)
def test_the_engine_pings_without_a_task_once_it_knows_the_address(namespace):
    """The engine's fast path (start_icmp) judges like check_icmp: the host
    that answers is up, the address nobody answers for is down in time."""
    answering, silent = f"{namespace}.2", f"{namespace}.3"

    async def rounds():
        seen: dict[str, list] = {}

        def done_for(host):
            return lambda outcome: seen.setdefault(host, []).append(outcome)

        unseen = CheckSpec(8, "icmp", "ping-target.invalid", {}, timeout=2.0)
        declined = start_icmp(unseen, done_for("name"))
        for host in (answering, silent):  # the probe resolves them first
            await check_icmp(spec(host, timeout_ms=300))
        for host in (answering, silent):
            assert start_icmp(spec(host, timeout_ms=300), done_for(host))
        assert seen == {}  # never answers before it returns
        await asyncio.sleep(0.6)
        return declined, seen

    declined, seen = run(rounds())
    assert declined is False
    (up,), (down,) = seen[answering], seen[silent]
    assert up.status == Status.UP
    assert up.values["method"] in ("raw", "dgram")
    assert (down.status, down.reason, down.values["loss_percent"]) == (
        Status.DOWN,
        "timeout",
        100.0,
    )


@pytest.mark.skipif(
    not _may_open_icmp(), reason="needs root, CAP_NET_RAW or ping_group_range"
)
def test_an_engine_keeps_pinging_every_interval_through_the_fast_path(namespace):
    hosts = [f"{namespace}.2", f"{namespace}.3"]
    checks = [
        CheckSpec(i, "icmp", host, {"timeout_ms": 200}, interval=0.5, timeout=1.0)
        for i, host in enumerate(hosts, 1)
    ]
    received = []

    async def main():
        async def sink(batch):
            received.extend(batch)

        engine = Engine(sink, flush_interval=0.1)
        engine.set_checks(checks)
        stop = asyncio.Event()
        asyncio.get_running_loop().call_later(2.2, stop.set)
        await engine.run(stop)
        return engine

    engine = run(main())
    by_check = {1: [], 2: []}
    for result in received:
        by_check[result.check_id].append(result.outcome)
    assert len(by_check[1]) >= 3
    assert len(by_check[2]) >= 3
    assert {o.status for o in by_check[1]} == {Status.UP}
    assert {(o.status, o.reason) for o in by_check[2]} == {(Status.DOWN, "timeout")}
    assert engine.stats.in_flight == 0
    assert engine.stats.errors == 0


PING_AS_NOBODY = """
import asyncio
from wardkeeper.monitoring.engine.probes.icmp import check_icmp
from wardkeeper.monitoring.engine.spec import CheckSpec
outcome = asyncio.run(check_icmp(CheckSpec(1, "icmp", "127.0.0.1", {}, timeout=2.0)))
print(outcome.status, outcome.values.get("method"))
"""


def _ping_as_nobody(prefix=()):
    """Run the probe (method auto) as the unprivileged user nobody, the way a
    service account without root would, and return 'status method'."""
    if os.geteuid() != 0 or shutil.which("setpriv") is None:
        pytest.skip("switching to an unprivileged user needs root and setpriv")
    src = Path(__file__).resolve().parents[3] / "src"
    command = [*prefix, "setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
               sys.executable, "-c", PING_AS_NOBODY]  # fmt: skip
    env = {"PYTHONPATH": str(src), "PATH": os.environ["PATH"]}
    done = subprocess.run(
        command, capture_output=True, text=True, env=env, timeout=20, check=False
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


@needs_fping
def test_an_account_without_icmp_rights_falls_back_to_fping():
    if PING_GROUPS.read_text().split() != ["1", "0"]:
        pytest.skip("ping_group_range admits unprivileged ICMP sockets here")
    assert _ping_as_nobody() == "up fping"


def test_a_datagram_socket_serves_where_ping_group_range_allows(namespace):
    # ping_group_range is per network namespace: open it in the test's own.
    name = f"wkp{os.getpid() % 100000}"
    subprocess.run(["ip", "-n", name, "link", "set", "lo", "up"], check=True)
    subprocess.run(
        [
            "ip",
            "netns",
            "exec",
            name,
            "sysctl",
            "-qw",
            "net.ipv4.ping_group_range=0 2147483647",
        ],
        check=True,
    )
    assert _ping_as_nobody(prefix=("ip", "netns", "exec", name)) == "up dgram"
