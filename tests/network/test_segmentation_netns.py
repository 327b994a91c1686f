"""A real multi-zone network on one machine: network namespaces for a guest,
a clinical and a server zone joined through a router namespace whose
nftables forward chain is the firewall; a real ``wardkeeper poller``
process runs inside the guest and the clinical namespaces and reports to
this test's server over a link from the router to the host.

    guest 10.213.1.2 ─┐                    ┌─ host 10.213.0.1 (the server)
    clinical 10.213.2.2 ─ router ──────────┘
    servers 10.213.3.2 ─┘   (nft forward: drop, holes on demand)

The policy: guest → servers tcp/5432 must be refused; clinical → servers
tcp/5432 must pass. The test opens the forbidden path (an nft accept rule),
expects the violation alert with its evidence, closes it, expects recovery;
then cuts the guest zone's link and expects exactly one "poller offline"
alert and no violation or blocked alert for the guest's checks.

Needs root, ``ip`` and ``nft`` (CI runs as root; Debian's iproute2 and
nftables); skipped otherwise. Namespaces and processes are removed even
when the test fails.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.contrib.staticfiles.handlers import StaticFilesHandler
from django.db import connections
from django.test.testcases import LiveServerThread
from django.utils import timezone

from tests.factories.core import UserFactory
from tests.factories.servicedesk import TeamFactory
from wardkeeper.monitoring.choices import AlertState, CheckStatus, Severity
from wardkeeper.monitoring.models import Alert, Check, Poller
from wardkeeper.monitoring.services import pollers
from wardkeeper.network.choices import FlowAction, FlowProtocol, ZoneKind
from wardkeeper.network.models import FlowRule, Zone
from wardkeeper.network.services import segmentation
from wardkeeper.servicedesk.choices import Category

pytestmark = [
    pytest.mark.skipif(
        os.geteuid() != 0 or not shutil.which("ip") or not shutil.which("nft"),
        reason="needs root, ip and nft",
    ),
    pytest.mark.django_db(transaction=True),
]

TAG = f"wk{os.getpid() % 10000}"
NS = {z: f"{TAG}{z}" for z in ("r", "g", "c", "s")}
HOST_IP, ROUTER_UP = "10.213.0.1", "10.213.0.2"
NET = {"g": "10.213.1", "c": "10.213.2", "s": "10.213.3"}
DB_PORT = 5432
INTERVAL = 2  # seconds between two probes of a path
HEARTBEAT = 1  # seconds; offline after three
WAIT = 40.0  # the longest any step may take before the test gives up

# The test thread and the server's request threads share the database
# connection (SQLite in memory): one at a time.
DB_LOCK = threading.RLock()


def sh(*args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, check=check, capture_output=True, text=True)


def in_ns(ns: str, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    return sh("ip", "netns", "exec", ns, *args, check=check)


def build_network() -> None:
    for ns in NS.values():
        sh("ip", "netns", "add", ns)
        in_ns(ns, "ip", "link", "set", "lo", "up")
    router = NS["r"]
    # The host's leg: the server listens on HOST_IP.
    sh("ip", "link", "add", f"{TAG}h", "type", "veth", "peer", "name", f"{TAG}rh")
    sh("ip", "link", "set", f"{TAG}rh", "netns", router)
    sh("ip", "addr", "add", f"{HOST_IP}/30", "dev", f"{TAG}h")
    sh("ip", "link", "set", f"{TAG}h", "up")
    in_ns(router, "ip", "addr", "add", f"{ROUTER_UP}/30", "dev", f"{TAG}rh")
    in_ns(router, "ip", "link", "set", f"{TAG}rh", "up")
    for zone, net in NET.items():
        ns, inside, outside = NS[zone], f"{TAG}{zone}0", f"{TAG}r{zone}"
        sh("ip", "link", "add", inside, "type", "veth", "peer", "name", outside)
        sh("ip", "link", "set", inside, "netns", ns)
        sh("ip", "link", "set", outside, "netns", router)
        in_ns(ns, "ip", "addr", "add", f"{net}.2/24", "dev", inside)
        in_ns(ns, "ip", "link", "set", inside, "up")
        in_ns(ns, "ip", "route", "add", "default", "via", f"{net}.1")
        in_ns(router, "ip", "addr", "add", f"{net}.1/24", "dev", outside)
        in_ns(router, "ip", "link", "set", outside, "up")
        sh("ip", "route", "add", f"{net}.0/24", "via", ROUTER_UP)
    in_ns(router, "sysctl", "-qw", "net.ipv4.ip_forward=1")
    ruleset = f"""
table inet wk {{
  chain holes {{ }}
  chain forward {{
    type filter hook forward priority 0; policy drop;
    ct state established,related accept
    ip daddr {HOST_IP} tcp dport 1-65535 accept
    jump holes
    ip saddr {NET["c"]}.0/24 ip daddr {NET["s"]}.2 tcp dport {DB_PORT} accept
    meta l4proto tcp reject with tcp reset
    reject
  }}
}}
"""
    subprocess.run(
        ["ip", "netns", "exec", router, "nft", "-f", "-"],
        input=ruleset,
        check=True,
        text=True,
        capture_output=True,
    )


def tear_down_network() -> None:
    for zone in NET:
        sh("ip", "route", "del", f"{NET[zone]}.0/24", check=False)
    sh("ip", "link", "del", f"{TAG}h", check=False)
    for ns in NS.values():
        sh("ip", "netns", "del", ns, check=False)


def open_hole() -> None:
    rule = f"ip saddr {NET['g']}.0/24 ip daddr {NET['s']}.2 tcp dport {DB_PORT} accept"
    in_ns(NS["r"], "nft", "add", "rule", "inet", "wk", "holes", *rule.split())


def close_hole() -> None:
    in_ns(NS["r"], "nft", "flush", "chain", "inet", "wk", "holes")


LISTENER = """
import socket
server = socket.socket()
server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
server.bind(("{ip}", {port}))
server.listen(64)
print("listening", flush=True)
while True:
    conn, _ = server.accept()
    conn.close()
"""


class _LockedHandler(StaticFilesHandler):
    def __call__(self, environ: Any, start_response: Any) -> Any:
        with DB_LOCK:
            return super().__call__(environ, start_response)


@pytest.fixture
def network() -> Iterator[None]:
    tear_down_network()  # leftovers of an interrupted run
    try:
        build_network()
        yield
    finally:
        tear_down_network()


@pytest.fixture
def server(settings, network) -> Iterator[str]:
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, HOST_IP]
    settings.MONITOR_POLLER_HEARTBEAT_SECONDS = HEARTBEAT
    settings.NETWORK_SEGMENTATION_INTERVAL = INTERVAL
    shared = {
        c.alias: c
        for c in connections.all()
        if c.vendor == "sqlite" and c.is_in_memory_db()
    }
    for conn in shared.values():
        conn.inc_thread_sharing()
    thread = LiveServerThread(HOST_IP, _LockedHandler, shared, port=0)
    thread.daemon = True
    thread.start()
    thread.is_ready.wait()
    try:
        if thread.error:
            raise thread.error
        yield f"http://{HOST_IP}:{thread.port}"
    finally:
        thread.terminate()
        for conn in shared.values():
            conn.dec_thread_sharing()


class Processes:
    def __init__(self, tmp: Any) -> None:
        self.started: list[subprocess.Popen[bytes]] = []
        self.tmp = tmp

    def start(self, ns: str, *args: str, name: str) -> subprocess.Popen[bytes]:
        env = {**os.environ, "WARDKEEPER_DATA_DIR": str(self.tmp / name)}
        env.pop("DJANGO_SETTINGS_MODULE", None)
        log = open(self.tmp / f"{name}.log", "wb")  # noqa: SIM115 - closed by the OS
        process = subprocess.Popen(
            ["ip", "netns", "exec", ns, *args], env=env, stdout=log, stderr=log
        )
        self.started.append(process)
        return process

    def stop(self) -> None:
        for process in self.started:
            if process.poll() is None:
                process.terminate()
        for process in self.started:
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()

    def logs(self) -> str:
        return "\n".join(
            f"--- {path.name}\n{path.read_text(errors='replace')[-3000:]}"
            for path in sorted(self.tmp.glob("*.log"))
        )


@pytest.fixture
def processes(tmp_path) -> Iterator[Processes]:
    running = Processes(tmp_path)
    try:
        yield running
    finally:
        running.stop()


def wait_for(what: str, ready: Callable[[], Any], procs: Processes) -> Any:
    """Run the server's poller judge (the worker's job) and ``ready`` until it
    answers something true, for at most WAIT seconds."""
    deadline = time.monotonic() + WAIT
    while True:
        with DB_LOCK:
            pollers.judge()
            answer = ready()
        if answer:
            return answer
        if time.monotonic() > deadline:
            pytest.fail(f"gave up waiting for {what}\n{procs.logs()}")
        time.sleep(0.2)


def start_poller(procs: Processes, server: str, poller: Poller, zone: str, token: str):
    return procs.start(
        NS[zone],
        sys.executable,
        "-m",
        "wardkeeper.cli",
        "poller",
        "--server",
        server,
        "--token",
        token,
        "--zone",
        poller.zone.name if poller.zone else zone,
        "--reload",
        "1",
        "--heartbeat",
        str(HEARTBEAT),
        name=f"poller-{zone}",
    )


def test_violations_and_a_lost_zone_seen_from_inside_the_zones(server, processes):
    network_team = TeamFactory(
        code="net", name="Network", categories=[Category.NETWORK]
    )
    security_lead = UserFactory(username="sally")
    TeamFactory(
        code="sec", name="Security", categories=[Category.SECURITY], lead=security_lead
    )
    assert network_team.pk
    guest = Zone.objects.create(name="guest", kind=ZoneKind.GUEST)
    clinical = Zone.objects.create(name="clinical", kind=ZoneKind.CLINICAL)
    servers = Zone.objects.create(name="servers", kind=ZoneKind.SERVERS)
    tokens = {}
    made = {}
    for zone, key in ((guest, "g"), (clinical, "c")):
        poller = Poller(name=f"{zone.name}-1", zone=zone)
        tokens[key] = poller.new_token()
        poller.save()
        made[key] = poller
    common = {
        "destination": servers,
        "protocol": FlowProtocol.TCP,
        "ports": str(DB_PORT),
        "targets": f"{NET['s']}.2",
        "service": "HIS database",
    }
    FlowRule.objects.create(source=guest, action=FlowAction.REFUSE, **common)
    FlowRule.objects.create(source=clinical, action=FlowAction.PASS, **common)
    segmentation.sync()
    refused = Check.objects.get(poller=made["g"], params__expect="refused")
    passing = Check.objects.get(poller=made["c"], params__expect="pass")
    assert refused.severity == Severity.CRITICAL

    listener = processes.start(
        NS["s"],
        sys.executable,
        "-c",
        LISTENER.format(ip=f"{NET['s']}.2", port=DB_PORT),
        name="listener",
    )
    assert listener.poll() is None
    for key in ("g", "c"):
        start_poller(processes, server, made[key], key, tokens[key])

    def both_up() -> bool:
        states = dict(
            Check.objects.filter(pk__in=[refused.pk, passing.pk]).values_list(
                "pk", "status"
            )
        )
        return states == {refused.pk: CheckStatus.UP, passing.pk: CheckStatus.UP}

    wait_for("both paths judged as the policy says", both_up, processes)
    seen = Poller.objects.get(pk=made["g"].pk)
    assert seen.last_seen_at is not None
    assert seen.last_address == NET["g"] + ".2"
    assert seen.version

    # The forbidden path opens.
    opened_at = timezone.now()
    open_hole()
    alert = wait_for(
        "the violation alert",
        lambda: (
            Alert.objects.filter(source=refused)
            .exclude(state=AlertState.RESOLVED)
            .select_related("ticket")
            .first()
        ),
        processes,
    )
    # The first probe after the hole opened saw it: within two intervals
    # (the probe's own time, not how long the report took to arrive).
    assert alert.opened_at - opened_at <= dt.timedelta(seconds=2 * INTERVAL)
    assert alert.severity == Severity.CRITICAL
    assert "violation" in alert.message
    assert "from zone guest" in alert.message
    assert "(poller guest-1)" in alert.message
    assert f"{NET['s']}.2:{DB_PORT}" in alert.message
    with DB_LOCK:
        alert.refresh_from_db()
        ticket = alert.ticket
        assert ticket is not None
        assert ticket.team == network_team
        assert "guest" in ticket.description
        assert security_lead in ticket.watchers.all()
        assert ticket.worklogs.filter(note__contains="Security team told").exists()

    # Closed again: the alert resolves.
    close_hole()
    wait_for(
        "recovery",
        lambda: (
            Alert.objects.filter(pk=alert.pk, state=AlertState.RESOLVED).exists()
            and Check.objects.filter(pk=refused.pk, status=CheckStatus.UP).exists()
        ),
        processes,
    )
    with DB_LOCK:
        assert not Alert.objects.filter(source=passing).exists()

    # The guest zone loses its link: one "poller offline" alert, nothing else.
    cut_at = timezone.now()
    in_ns(NS["r"], "ip", "link", "del", f"{TAG}rg")
    heartbeat = wait_for(
        "the poller offline alert",
        lambda: (
            Alert.objects.filter(source__poller=made["g"], source__kind="heartbeat")
            .exclude(state=AlertState.RESOLVED)
            .first()
        ),
        processes,
    )
    assert "offline" in heartbeat.message
    # Let the judge run a few more rounds: still one alert, no storm.
    rounds_until = time.monotonic() + 3 * HEARTBEAT
    while time.monotonic() < rounds_until:
        with DB_LOCK:
            pollers.judge()
        time.sleep(0.3)
    with DB_LOCK:
        since_cut = Alert.objects.filter(opened_at__gte=cut_at)
        assert list(since_cut) == [heartbeat]
        assert Check.objects.get(pk=refused.pk).status == CheckStatus.UNREACHABLE
        assert (
            not Alert.objects.filter(source=refused)
            .exclude(state=AlertState.RESOLVED)
            .exists()
        )
        # The clinical zone carries on.
        assert Poller.objects.get(pk=made["c"].pk).last_seen_at > cut_at
