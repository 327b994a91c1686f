"""SIP OPTIONS: does a video-consultation endpoint or gateway answer a SIP
OPTIONS request with an accepted final response, and how fast.

Over UDP the request is retransmitted as RFC 3261 timer E says (after
500 ms, then doubling up to 4 s; every 4 s once a provisional answer came)
until a final response or the check's time runs out.

Params:
  port         default 5060
  transport    "udp" (default) or "tcp"
  user         user part of the request URI (sip:user@host), default none
  accept       final response codes counted as up (default [200])
  degraded_ms  answer time above which the check is DEGRADED

Latency is the time from the first send to the final response.
Values: code, phrase, server (Server or User-Agent header), allow,
retransmissions (UDP). Reasons: rejected (403, 404: the peer refuses us
or does not know the URI), status (another final code), timeout (no final
answer), refused (UDP: ICMP port unreachable; TCP: connection refused),
closed, slow, plus the other connection reasons (dns, unreachable, reset).
"""

from __future__ import annotations

import asyncio
import secrets
import socket
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from wardkeeper.monitoring.engine.probes import probe
from wardkeeper.monitoring.engine.probes._net import budget, failed, ms, resolve
from wardkeeper.monitoring.engine.spec import CheckSpec, Outcome, Status

T1, T2 = 0.5, 4.0  # RFC 3261 §17.1.2.2 timers
REJECTED = {403, 404}
MAX_MESSAGE = 65535


@dataclass
class _Response:
    code: int
    phrase: str
    headers: dict[str, str] = field(default_factory=dict)


def _host_part(host: str, family: int) -> str:
    return f"[{host}]" if family == socket.AF_INET6 else host


class _Request:
    """One OPTIONS transaction: its identifiers and the wire text."""

    def __init__(
        self, spec: CheckSpec, transport: str, target: str, local: str
    ) -> None:
        port = int(spec.params.get("port", 5060))
        user = spec.params.get("user")
        uri = f"sip:{user}@{target}:{port}" if user else f"sip:{target}:{port}"
        self.branch = "z9hG4bK" + secrets.token_hex(8)
        self.call_id = f"{secrets.token_hex(12)}@wardkeeper"
        tag = secrets.token_hex(6)
        via = "TCP" if transport == "tcp" else "UDP"
        lines = [
            f"OPTIONS {uri} SIP/2.0",
            f"Via: SIP/2.0/{via} {local};branch={self.branch};rport",
            "Max-Forwards: 70",
            f"From: <sip:wardkeeper@{local}>;tag={tag}",
            f"To: <{uri}>",
            f"Call-ID: {self.call_id}",
            "CSeq: 1 OPTIONS",
            f"Contact: <sip:wardkeeper@{local};transport={transport}>",
            "Accept: application/sdp",
            "User-Agent: Wardkeeper monitoring",
            "Content-Length: 0",
        ]
        self.wire = ("\r\n".join(lines) + "\r\n\r\n").encode("ascii")

    def answers(self, data: bytes) -> _Response | None:
        """The response if ``data`` answers this transaction, else None."""
        head = data.split(b"\r\n\r\n", 1)[0].decode("utf-8", "replace")
        lines = head.split("\r\n")
        parts = lines[0].split(" ", 2)
        if len(parts) < 2 or parts[0] != "SIP/2.0" or not parts[1].isdigit():
            return None
        headers: dict[str, str] = {}
        for line in lines[1:]:
            name, _, value = line.partition(":")
            headers.setdefault(name.strip().lower(), value.strip())
        if self.branch not in headers.get("via", headers.get("v", "")):
            return None
        if headers.get("call-id", headers.get("i")) != self.call_id:
            return None
        return _Response(int(parts[1]), parts[2] if len(parts) > 2 else "", headers)


class _Udp(asyncio.DatagramProtocol):
    def __init__(self, request_holder: list[_Request]) -> None:
        self.holder = request_holder
        self.provisional = asyncio.Event()
        self.final: asyncio.Future[_Response] = (
            asyncio.get_running_loop().create_future()
        )

    def datagram_received(self, data: bytes, addr: Any) -> None:
        response = self.holder[0].answers(data) if self.holder else None
        if response is None or self.final.done():
            return
        if response.code < 200:
            self.provisional.set()
        else:
            self.final.set_result(response)

    def error_received(self, exc: Exception) -> None:
        # ICMP port unreachable arrives as ConnectionRefusedError here.
        if not self.final.done():
            self.final.set_exception(exc)


def _local(sockname: Any, family: int) -> str:
    return f"{_host_part(sockname[0], family)}:{sockname[1]}"


async def _over_udp(
    spec: CheckSpec, family: int, address: Any, out: dict[str, Any]
) -> _Response:
    loop = asyncio.get_running_loop()
    holder: list[_Request] = []
    transport, protocol = await loop.create_datagram_endpoint(
        lambda: _Udp(holder), remote_addr=address[:2], family=family
    )
    try:
        local = _local(transport.get_extra_info("sockname"), family)
        holder.append(_Request(spec, "udp", _host_part(address[0], family), local))
        interval = T1
        out["retransmissions"] = 0
        while True:
            transport.sendto(holder[0].wire)
            done, _ = await asyncio.wait({protocol.final}, timeout=interval)
            if done:
                return protocol.final.result()
            out["retransmissions"] += 1
            interval = T2 if protocol.provisional.is_set() else min(interval * 2, T2)
    finally:
        transport.close()


async def _over_tcp(spec: CheckSpec, family: int, address: Any) -> _Response:
    reader, writer = await asyncio.open_connection(
        address[0], address[1], family=family
    )
    try:
        local = _local(writer.get_extra_info("sockname"), family)
        request = _Request(spec, "tcp", _host_part(address[0], family), local)
        writer.write(request.wire)
        await writer.drain()
        while True:
            head = await reader.readuntil(b"\r\n\r\n")
            response = request.answers(head)
            length = int(response.headers.get("content-length", "0")) if response else 0
            if length:
                await reader.readexactly(min(length, MAX_MESSAGE))
            if response is not None and response.code >= 200:
                return response
    finally:
        writer.close()


def _judged(
    response: _Response,
    params: Mapping[str, Any],
    latency: float,
    values: dict[str, Any],
) -> Outcome:
    values.update(
        code=response.code,
        phrase=response.phrase,
        server=response.headers.get("server") or response.headers.get("user-agent", ""),
        allow=response.headers.get("allow", ""),
    )
    message = f"{response.code} {response.phrase}".strip()
    accepted = {int(code) for code in params.get("accept") or [200]}
    if response.code not in accepted:
        reason = "rejected" if response.code in REJECTED else "status"
        return Outcome(Status.DOWN, latency, message, reason, values)
    slow = params.get("degraded_ms")
    if slow and latency > float(slow):
        return Outcome(Status.DEGRADED, latency, f"slow: {message}", "slow", values)
    return Outcome(Status.UP, latency, message, values=values)


@probe("sip")
async def sip(spec: CheckSpec) -> Outcome:
    loop = asyncio.get_running_loop()
    tcp = str(spec.params.get("transport", "udp")).lower() == "tcp"
    values: dict[str, Any] = {}
    stage = "resolve"
    try:
        async with asyncio.timeout(budget(spec.timeout)):
            family, address = await resolve(
                loop, spec.host, int(spec.params.get("port", 5060))
            )
            stage = "OPTIONS"
            started = loop.time()
            if tcp:
                response = await _over_tcp(spec, family, address)
            else:
                response = await _over_udp(spec, family, address, values)
    except (OSError, TimeoutError) as error:
        outcome = failed(error, stage)
        outcome.values = values
        return outcome
    except (asyncio.IncompleteReadError, asyncio.LimitOverrunError):
        return Outcome(
            Status.DOWN, message="connection closed mid-answer", reason="closed"
        )
    return _judged(response, spec.params, ms(started, loop.time()), values)
