"""A real SNMP agent for the SNMP probe tests: Debian's snmpd in the
foreground as the test's child, with a v2c community, v3 users (SHA and
SHA-256 with AES) and UPS-MIB answered by a shell script whose readings the
test rewrites. Optionally inside a network namespace holding veth "ward"
interfaces the test takes up and down."""

from __future__ import annotations

import asyncio
import itertools
import os
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path

from wardkeeper.monitoring.engine.probes.snmp import check_snmp
from wardkeeper.monitoring.engine.probes.snmp_client import close_engines
from wardkeeper.monitoring.engine.spec import CheckSpec, Outcome, Status

SNMPD = shutil.which("snmpd") or "/usr/sbin/snmpd"
COMMUNITY = "wardread"
USER, USER256, AUTH_KEY, PRIV_KEY = "wkmon", "wkmon256", "auth-pass-1", "priv-pass-1"

CONFIG = f"""\
rocommunity {COMMUNITY} default
createUser {USER} SHA "{AUTH_KEY}" AES "{PRIV_KEY}"
createUser {USER256} SHA-256 "{AUTH_KEY}" AES "{PRIV_KEY}"
rouser {USER} authpriv
rouser {USER256} authpriv
pass .1.3.6.1.2.1.33 /bin/sh {{ups}}
"""

# snmpd's "pass" protocol: called with -g OID (get) or -n OID (next); prints
# the OID, its type and its value. Only GET is needed by the probe.
UPS_SCRIPT = """\
. "{readings}"
[ "$1" = "-g" ] || exit 0
case "$2" in
  .1.3.6.1.2.1.33.1.2.1.0) v=$battery ;;
  .1.3.6.1.2.1.33.1.2.2.0) v=$seconds ;;
  .1.3.6.1.2.1.33.1.2.3.0) v=$minutes ;;
  .1.3.6.1.2.1.33.1.2.4.0) v=$charge ;;
  .1.3.6.1.2.1.33.1.4.1.0) v=$source ;;
  *) exit 0 ;;
esac
printf '%s\\ninteger\\n%s\\n' "$2" "$v"
"""


def free_udp_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


_check_ids = itertools.count(1000)


def probe(agent: Agent, timeout: float = 3.0, check_id: int = 0, **params) -> Outcome:
    """Run the SNMP probe once against the agent, in its own event loop (as a
    new check unless ``check_id`` is given: the probe remembers uptimes)."""
    check_id = check_id or next(_check_ids)
    spec = CheckSpec(
        check_id, "snmp", agent.address, {"port": agent.port, **params}, timeout=timeout
    )

    async def once() -> Outcome:
        try:
            return await check_snmp(spec)
        finally:
            close_engines()

    return asyncio.run(once())


def v3(user: str = USER, auth: str = "SHA", **extra) -> dict:
    return {
        "version": "3",
        "user": user,
        "auth_protocol": auth,
        "auth_key": AUTH_KEY,
        "priv_protocol": "AES",
        "priv_key": PRIV_KEY,
        **extra,
    }


class Agent:
    """snmpd listening on address:port, optionally inside ``netns``."""

    def __init__(
        self, folder: Path, address: str = "127.0.0.1", netns: str = ""
    ) -> None:
        self.folder, self.address, self.netns = folder, address, netns
        self.port = free_udp_port() if not netns else 161
        self.readings = folder / "ups.readings"
        self.set_ups(battery=2, seconds=0, minutes=60, charge=100, source=3)
        script = folder / "ups.sh"
        script.write_text(UPS_SCRIPT.format(readings=self.readings))
        self.config = folder / "snmpd.conf"
        self.config.write_text(CONFIG.format(ups=script))
        self.process: subprocess.Popen[bytes] | None = None

    def set_ups(self, **readings: int) -> None:
        self.readings.write_text("".join(f"{k}={v}\n" for k, v in readings.items()))

    def start(self) -> None:
        command = [SNMPD, "-f", "-Lo", "-C", "-c", str(self.config)]
        command.append(f"udp:{self.address}:{self.port}")
        if self.netns:
            command = ["ip", "netns", "exec", self.netns, *command]
        # The persistent dir keeps the v3 engine ID and boot count across a
        # restart, as on a real device.
        env = {**os.environ, "SNMP_PERSISTENT_DIR": str(self.folder / "persist")}
        log = (self.folder / "snmpd.log").open("ab")
        self.process = subprocess.Popen(command, stdout=log, stderr=log, env=env)
        self.wait_ready()

    def wait_ready(self, limit: float = 10.0) -> None:
        deadline = time.monotonic() + limit
        while time.monotonic() < deadline:
            if probe(self, timeout=0.3, check_id=-1, community=COMMUNITY).values:
                return
            assert self.process is not None
            assert self.process.poll() is None, "snmpd died"
        raise AssertionError("snmpd did not answer in time")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)
        self.process = None


def probe_until(agent: Agent, wanted: Status, limit: float = 15.0, **params) -> Outcome:
    """Probe until the outcome has the wanted status (snmpd caches its
    interface table for a few seconds) or ``limit`` seconds pass."""
    deadline = time.monotonic() + limit
    while True:
        outcome = probe(agent, **params)
        if outcome.status == wanted or time.monotonic() > deadline:
            return outcome
        time.sleep(0.5)


def ip(*args: str, netns: str = "") -> None:
    prefix = ["ip", "netns", "exec", netns, "ip"] if netns else ["ip"]
    subprocess.run([*prefix, *args], check=True, capture_output=True, timeout=10)


class Ward:
    """A network namespace reached over a veth pair, holding two more veth
    pairs: "ward1" and "ward2" (admin up), each oper up only while its peer
    end is up."""

    def __init__(self) -> None:
        tag = os.getpid() % 100000
        self.name = f"wksnmp{tag}"
        self.host_if, self.ns_if = f"wks{tag}h", f"wks{tag}n"
        subnet = f"10.{200 + tag % 50}.{tag % 250}"
        self.host_ip, self.address = f"{subnet}.1", f"{subnet}.2"

    def create(self) -> None:
        n = self.name
        ip("netns", "add", n)
        ip(
            "link",
            "add",
            self.host_if,
            "type",
            "veth",
            "peer",
            "name",
            self.ns_if,
            "netns",
            n,
        )
        ip("addr", "add", f"{self.host_ip}/30", "dev", self.host_if)
        ip("link", "set", self.host_if, "up")
        ip("addr", "add", f"{self.address}/30", "dev", self.ns_if, netns=n)
        ip("link", "set", self.ns_if, "up", netns=n)
        ip("link", "set", "lo", "up", netns=n)
        for ward in ("ward1", "ward2"):
            ip("link", "add", ward, "type", "veth", "peer", "name", f"{ward}p", netns=n)
            ip("link", "set", ward, "up", netns=n)
            ip("link", "set", f"{ward}p", "up", netns=n)

    def cable(self, ward: str, plugged: bool) -> None:
        ip("link", "set", f"{ward}p", "up" if plugged else "down", netns=self.name)

    def destroy(self) -> None:
        subprocess.run(
            ["ip", "netns", "del", self.name], capture_output=True, timeout=10
        )
