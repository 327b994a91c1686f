"""Loopback stand-ins: what a demo check really probes on this machine.

The demo's devices have made-up 10.x addresses. A check the monitor can run
here keeps its device (and the device its real address, in the inventory)
but probes a stand-in on this machine's loopback, and its notes say so:

- a ping goes to an address of its own in 127.77.0.0/16, derived from the
  device's real address (Linux answers every 127.x address itself);
- a web page is Wardkeeper's own sign-in page, and a TCP port is the port
  of Wardkeeper's own web server (``WARDKEEPER_BIND``, what ``wardkeeper
  demo`` serves on);
- the standing fault (fault.py) connects to a port of its stand-in address
  where nothing listens, so it is refused and stays down.

Every other kind (SNMP, DICOM, TLS …) has nothing to answer it here: the
check is paused. Nothing is ever sent beyond loopback.
"""

from __future__ import annotations

import hashlib
import ipaddress
from typing import Any

from django.utils.translation import gettext as _

from wardkeeper import env
from wardkeeper.monitoring.choices import CheckKind, CheckStatus
from wardkeeper.monitoring.models import Check

STANDIN_NETWORK = ipaddress.IPv4Network("127.77.0.0/16")
# Below 1024, so no unprivileged program can be listening there by chance;
# tcpmux, which no current system runs.
FAULT_PORT = 1
DEFAULT_BIND = ("127.0.0.1", 8000)  # `wardkeeper serve`'s default
WILDCARDS = {"", "0.0.0.0", "::"}
SIGN_IN = "/accounts/login/"
SIGN_IN_TEXT = "Wardkeeper"


def self_address() -> tuple[str, int]:
    """Where Wardkeeper's web server listens (``WARDKEEPER_BIND``); a
    wildcard bind is reached on 127.0.0.1."""
    host, sep, port = env.string("BIND", "").rpartition(":")
    try:
        number = int(port)
    except ValueError:
        return DEFAULT_BIND
    if not sep or not 0 < number < 65536:
        return DEFAULT_BIND
    host = host.strip("[]")
    return ("127.0.0.1" if host in WILDCARDS else host), number


def self_url() -> str:
    """Wardkeeper's own sign-in page."""
    host, port = self_address()
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}{SIGN_IN}"


class Addresses:
    """One stand-in address in 127.77.0.0/16 per real address: taken from
    a hash of it, so the same device gets the same stand-in in every build;
    the rare collision moves on to the next free one (in the order asked,
    which is the build's own, deterministic order)."""

    def __init__(self) -> None:
        self.given: dict[str, str] = {}
        self.used: set[int] = set()

    def of(self, real: str) -> str:
        if real in self.given:
            return self.given[real]
        size = STANDIN_NETWORK.num_addresses
        offset = int.from_bytes(hashlib.sha256(real.encode()).digest()[:4], "big")
        offset %= size
        # x.y.z.0 and x.y.z.255 answer too, but read like network addresses.
        while offset in self.used or offset % 256 in (0, 255):
            offset = (offset + 1) % size
        self.used.add(offset)
        address = str(STANDIN_NETWORK.network_address + offset)
        self.given[real] = address
        return address


def paused_message() -> str:
    return _(
        "Demo: this address exists only in the demo hospital, so the check "
        "is paused; its history is simulated."
    )


def prepare(check: Check, addresses: Addresses) -> Check:
    """Point ``check`` (made for a demo device, host its real address) at
    its stand-in and enable it, or pause it when its kind has none here."""
    real = check.host
    params: dict[str, Any] = dict(check.params or {})
    if check.kind == CheckKind.ICMP:
        check.host = addresses.of(real)
        check.notes = _(
            "Demo stand-in. The real device is at %(real)s, which exists only "
            "in the demo hospital; this check pings %(standin)s instead, an "
            "address on this machine's loopback, which always answers."
        ) % {"real": real, "standin": check.host}
    elif check.kind == CheckKind.HTTP:
        check.notes = _(
            "Demo stand-in. The real check fetches %(real)s; this one fetches "
            "Wardkeeper's own sign-in page (%(standin)s) instead."
        ) % {"real": params.get("url", real), "standin": self_url()}
        params.update(url=self_url(), expect_text=SIGN_IN_TEXT)
        check.host = self_address()[0]
    elif check.kind == CheckKind.TCP:
        host, port = self_address()
        check.notes = _(
            "Demo stand-in. The real check connects to port %(port)s of "
            "%(real)s, which exists only in the demo hospital; this one "
            "connects to Wardkeeper's own web server (%(standin)s) instead."
        ) % {"port": params.get("port"), "real": real, "standin": f"{host}:{port}"}
        params["port"] = port
        check.host = host
    else:
        check.enabled = False
        check.status = CheckStatus.PAUSED
        check.last_message = paused_message()
        check.notes = _(
            "Demo: the real device is at %(real)s, which exists only in the "
            "demo hospital, and nothing on this machine can stand in for it "
            "(%(kind)s), so the check is paused. Its history is simulated."
        ) % {"real": real, "kind": CheckKind(check.kind).label}
        return check
    check.params = params
    check.enabled = True
    check.status = CheckStatus.UP
    return check


def refused(check: Check, addresses: Addresses, real_port: int) -> Check:
    """Point ``check`` at a port of its device's stand-in address where
    nothing listens: the standing fault."""
    real = check.host
    check.host = addresses.of(real)
    check.kind = CheckKind.TCP
    check.params = {"port": FAULT_PORT}
    check.enabled = True
    check.status = CheckStatus.UP  # until the fault's first results
    check.notes = _(
        "Demo stand-in for the demo's standing fault. The real check connects "
        "to port %(port)s of %(real)s, which exists only in the demo hospital; "
        "this one connects to port %(fault_port)s of %(standin)s on this "
        "machine's loopback, where nothing listens, so it stays down."
    ) % {
        "port": real_port,
        "real": real,
        "fault_port": FAULT_PORT,
        "standin": check.host,
    }
    return check
