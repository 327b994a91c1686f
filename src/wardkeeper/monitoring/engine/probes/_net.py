"""Small network helpers the socket probes share: resolving a host without
blocking the loop, naming a connection failure, and bounding a wait a little
under the check's timeout so the probe (not the engine's cancellation) says
what timed out."""

from __future__ import annotations

import errno
import ipaddress
import socket
from typing import Any

from wardkeeper.monitoring.engine.spec import Outcome, Status

# Leave the engine a sliver of the timeout so the probe's own, more precise
# "timeout" reason (connect vs. answer) wins over a bare cancellation.
TIMEOUT_SHARE = 0.95


def budget(timeout: float) -> float:
    """Seconds a probe may wait in total before it reports a timeout itself."""
    return max(0.05, timeout * TIMEOUT_SHARE)


def literal_family(host: str) -> int | None:
    """The address family of an IP literal, or None for a name (cheap: no
    resolver call, which matters when most checks point at addresses)."""
    try:
        address = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return None
    return socket.AF_INET6 if address.version == 6 else socket.AF_INET


async def resolve(loop: Any, host: str, port: int = 0) -> tuple[int, tuple[Any, ...]]:
    """(family, sockaddr) for host:port; raises OSError (socket.gaierror)
    when the name does not resolve. IP literals skip the resolver thread."""
    family = literal_family(host)
    if family is not None:
        bare = host.strip("[]")
        if family == socket.AF_INET6:
            return family, (bare, port, 0, 0)
        return family, (bare, port)
    infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    family, _type, _proto, _name, sockaddr = infos[0]
    return family, sockaddr


REASONS = {
    errno.ECONNREFUSED: "refused",
    errno.ECONNRESET: "reset",
    errno.EHOSTUNREACH: "unreachable",
    errno.ENETUNREACH: "unreachable",
    errno.ETIMEDOUT: "timeout",
}


def failed(error: BaseException, what: str = "") -> Outcome:
    """A DOWN outcome naming why a connection failed."""
    if isinstance(error, TimeoutError):
        reason = "timeout"
    elif isinstance(error, socket.gaierror):
        reason = "dns"
    elif isinstance(error, OSError):
        reason = REASONS.get(error.errno or 0, "error")
    else:
        reason = "error"
    detail = "timed out" if reason == "timeout" else str(error) or type(error).__name__
    message = f"{what}: {detail}" if what else detail
    return Outcome(Status.DOWN, message=message, reason=reason)


def ms(start: float, end: float) -> float:
    return round((end - start) * 1000.0, 3)
