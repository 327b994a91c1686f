"""Real SNMP agents for the traffic tests.

- ``Closet``: a network namespace holding Debian's snmpd (the monitoring
  tests' ``Agent``), reached from the test over a management veth pair, with
  two switch "ports" (veth) whose far ends sit in a second namespace, the
  "ward", from which the test sends a bounded burst of UDP so counters move.
- ``Simulator``: snmpsim serving the recordings in this folder (written for
  these tests, modelling an access switch and a router). snmpsim needs pysmi,
  which pulls in requests, jinja2 and lark: so it runs from a venv of its own
  (made on first use, from PyPI, in ~/.cache) and never touches the
  project's pinned pysnmp/pyasn1.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from tests.monitoring.probes.snmp_agent import COMMUNITY, Agent, free_udp_port, ip
from wardkeeper.monitoring.engine.probes import snmp_client
from wardkeeper.monitoring.engine.probes.snmp_client import SnmpFailure
from wardkeeper.network.snmp.device import Target, read, run
from wardkeeper.network.snmp.tables import SYS_UPTIME

RECORDINGS = Path(__file__).parent / "recordings"
SNMPSIM_VERSION = "1.2.2"
# Made by scripts/setup.sh --dev from requirements/snmpsim.txt.
SNMPSIM_VENV = Path(
    os.environ.get(
        "WARDKEEPER_TEST_SNMPSIM_VENV",
        Path(__file__).resolve().parents[3] / ".venv-snmpsim",
    )
)


class Closet:
    """A wiring closet: snmpd in namespace ``name`` at ``address``; ports
    ``port1`` and ``port2`` lead to namespace ``ward`` (``port1`` cabled with
    an address at each end, ``port2`` with its far end down)."""

    def __init__(self, folder: Path) -> None:
        tag = os.getpid() % 100000
        self.name, self.ward = f"wktr{tag}", f"wktrw{tag}"
        self.host_if, self.ns_if = f"wkt{tag}h", f"wkt{tag}n"
        subnet = f"10.{100 + tag % 50}.{tag % 250}"
        self.host_ip, self.address = f"{subnet}.1", f"{subnet}.2"
        self.port_ip, self.ward_ip = "192.0.2.1", "192.0.2.2"
        self.agent = Agent(folder, address=self.address, netns=self.name)

    def create(self) -> None:
        self.destroy()  # leftovers of a killed run
        n, w = self.name, self.ward
        ip("netns", "add", n)
        ip("netns", "add", w)
        ip("link", "add", self.host_if, "type", "veth", "peer", "name", self.ns_if,
           "netns", n)  # fmt: skip
        ip("addr", "add", f"{self.host_ip}/30", "dev", self.host_if)
        ip("link", "set", self.host_if, "up")
        ip("addr", "add", f"{self.address}/30", "dev", self.ns_if, netns=n)
        ip("link", "set", self.ns_if, "up", netns=n)
        ip("link", "set", "lo", "up", netns=n)
        for port in ("port1", "port2"):
            ip("link", "add", port, "type", "veth", "peer", "name", f"{port}w",
               "netns", w, netns=n)  # fmt: skip
            ip("link", "set", port, "up", netns=n)
        ip("addr", "add", f"{self.port_ip}/30", "dev", "port1", netns=n)
        ip("addr", "add", f"{self.ward_ip}/30", "dev", "port1w", netns=w)
        ip("link", "set", "port1w", "up", netns=w)
        self.agent.start()

    def send(self, datagrams: int, size: int) -> None:
        """Send a bounded burst of UDP from the ward into port1."""
        code = (
            "import socket\n"
            "s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\n"
            f"for _ in range({datagrams}):\n"
            f"    s.sendto(b'x' * {size}, ('{self.port_ip}', 9))\n"
        )
        subprocess.run(
            ["ip", "netns", "exec", self.ward, sys.executable, "-c", code],
            check=True,
            capture_output=True,
            timeout=30,
        )

    def destroy(self) -> None:
        self.agent.stop()
        # The host end goes with its peer, but not always before the next
        # create: delete it by name too.
        subprocess.run(["ip", "link", "del", self.host_if], capture_output=True,
                       timeout=10)  # fmt: skip
        for name in (self.name, self.ward):
            subprocess.run(
                ["ip", "netns", "del", name], capture_output=True, timeout=10
            )

    def params(self) -> dict:
        return {"port": self.agent.port}

    secrets = {"community": COMMUNITY}


def snmpsim_responder() -> Path | None:
    """The snmpsim responder from its own venv (scripts/setup.sh --dev makes
    it); None when it is missing."""
    binary = SNMPSIM_VENV / "bin" / "snmpsim-command-responder"
    return binary if binary.exists() else None


class Simulator:
    """snmpsim on 127.0.0.1 serving ``recordings/``; the community is a
    recording's file name without ``.snmprec``."""

    def __init__(self, binary: Path, folder: Path) -> None:
        self.binary, self.folder = binary, folder
        self.address, self.port = "127.0.0.1", free_udp_port()
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        cache = self.folder / "snmpsim-cache"
        cache.mkdir(exist_ok=True)
        command = [
            str(self.binary),
            f"--data-dir={RECORDINGS}",
            f"--cache-dir={cache}",
            f"--agent-udpv4-endpoint={self.address}:{self.port}",
        ]
        # snmpsim drops root unless told not to; our test runs may be root.
        env = {**os.environ, "SNMPSIM_ALLOW_ROOT": "true"}
        log = (self.folder / "snmpsim.log").open("ab")
        self.process = subprocess.Popen(command, stdout=log, stderr=log, env=env)
        try:
            self._wait_ready()
        except BaseException:
            self.stop()  # a fixture that fails to set up gets no teardown
            raise

    def _wait_ready(self, limit: float = 30.0) -> None:
        target = Target(0, self.address, {"port": self.port, "community": "router"})

        async def uptime(session):
            return await snmp_client.get(session, [SYS_UPTIME])

        deadline = time.monotonic() + limit
        while time.monotonic() < deadline:
            assert self.process is not None
            assert self.process.poll() is None, "snmpsim died"
            try:
                run(read(target, uptime, wait=0.5))
                return
            except SnmpFailure:
                continue
        raise AssertionError("snmpsim did not answer in time")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)
        self.process = None
