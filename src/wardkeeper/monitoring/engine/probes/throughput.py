"""Throughput: how long moving N MB along a path takes, in Mbit/s — from a
poller to another poller's sink or a server's (mode "tcp"), or a download
from a web or WADO server (mode "http").

Params:
  mode       "tcp" (default) or "http"
  size_mb    megabytes moved per run (1-1000, default 10; 1 MB = 10^6 bytes)
  min_mbps   rate below which the check is DEGRADED ("slow")
  port       tcp: the sink's port (default 5201)
  url        http: the URL to download (GET, the first size_mb read, then
             the connection is closed); verify_tls and ca_file as for "http"

Values: bytes (moved), seconds (of the transfer), mbps.
Reasons: refused, timeout, dns, unreachable, reset (connection failures),
busy or too-big (the sink turned the run down), short (fewer bytes arrived
than sent), protocol (not a sink, not HTTP), status (HTTP error), slow.

The sink protocol ("WKT1"), one transfer per connection; every message is
``struct "!4sBQ"``: the magic b"WKT1", a status byte and an unsigned 64-bit
big-endian number:

  client → sink   WKT1 0 <size>              "I will send <size> bytes"
  sink → client   WKT1 0 <size>              go ahead   (1 <cap>: too big;
                                                          2 <max>: busy)
  client → sink   <size> bytes
  sink → client   WKT1 0 <bytes received>    then the sink closes

The rate is timed from the go-ahead to the count, so the connect and the
handshake are not in it; ``latency_ms`` is the whole run. The payload is a
random 1 MiB block, made afresh each run and sent repeatedly.
"""

from __future__ import annotations

import asyncio
import os
import struct
import time
from dataclasses import dataclass
from typing import Any, cast
from urllib.parse import urlsplit

from wardkeeper.monitoring.engine.probes import probe
from wardkeeper.monitoring.engine.probes._http1 import (
    ProtocolError,
    _Exchange,
    build_request,
)
from wardkeeper.monitoring.engine.probes._net import budget, failed, ms, resolve
from wardkeeper.monitoring.engine.probes.http import tls_context
from wardkeeper.monitoring.engine.spec import CheckSpec, Outcome, Status

MAGIC = b"WKT1"
MESSAGE = struct.Struct("!4sBQ")
OK, TOO_BIG, BUSY = 0, 1, 2
MB = 1_000_000
DEFAULT_SIZE_MB = 10
MAX_SIZE_MB = 1000
DEFAULT_PORT = 5201
BLOCK = 1 << 20


class Refused(Exception):
    """The sink turned the run down (reason "busy" or "too-big")."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


def size_bytes(params: Any) -> int:
    """The bytes one run moves: size_mb, bounded to 1-1000 MB."""
    size_mb = float(params.get("size_mb") or DEFAULT_SIZE_MB)
    return int(min(max(size_mb, 0.001), MAX_SIZE_MB) * MB)


async def _reply(reader: asyncio.StreamReader) -> tuple[int, int]:
    try:
        magic, status, number = MESSAGE.unpack(await reader.readexactly(MESSAGE.size))
    except asyncio.IncompleteReadError as error:
        raise ConnectionResetError("the sink closed the connection") from error
    if magic != MAGIC:
        raise ProtocolError("the peer is not a throughput sink")
    return status, number


class _Sent:
    """Bytes handed to the socket so far (for the message of a timeout)."""

    bytes = 0


async def _push(host: str, port: int, size: int, sent: _Sent) -> float:
    """Send ``size`` bytes to the sink at host:port; return the seconds from
    its go-ahead to its count. Raises OSError, ProtocolError, Refused."""
    _family, address = await resolve(asyncio.get_running_loop(), host, port)
    reader, writer = await asyncio.open_connection(address[0], port)
    try:
        writer.write(MESSAGE.pack(MAGIC, OK, size))
        status, number = await _reply(reader)
        if status == BUSY:
            raise Refused("busy", f"the sink is busy ({number} transfers at once)")
        if status != OK:
            raise Refused("too-big", f"the sink takes at most {number / MB:g} MB")
        block = memoryview(os.urandom(BLOCK))
        started = time.perf_counter()
        while sent.bytes < size:
            part = block[: min(BLOCK, size - sent.bytes)]
            writer.write(part)
            await writer.drain()
            sent.bytes += len(part)
        status, received = await _reply(reader)
        seconds = time.perf_counter() - started
        if received != size:
            raise Refused("short", f"the sink received {received} of {size} bytes")
        return seconds
    finally:
        writer.close()


class _Drain(_Exchange):
    """An HTTP GET whose body is counted and dropped, up to ``max_body``."""

    def __init__(self, request: bytes, max_body: int) -> None:
        super().__init__(request, False, max_body)
        self.received = 0
        self.started = 0.0

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.started = time.perf_counter()
        super().connection_made(transport)

    def _progress(self) -> None:
        self.received += len(self.buffer)
        self.buffer.clear()
        # A chunked body counts its chunk heads too: a few bytes per chunk.
        whole = self.length is not None and self.received >= self.length
        if whole or self.received >= self.max_body:
            self._end()

    def connection_lost(self, exc: Exception | None) -> None:
        if self.response is not None and exc is None:
            self._end()  # the body ended with the connection
        super().connection_lost(exc)

    def _end(self) -> None:
        self.received = min(self.received, self.max_body)
        assert self.response is not None
        self._finish(self.response)


async def _download(spec: CheckSpec, size: int) -> tuple[int, float]:
    """GET the URL, reading at most ``size`` bytes of the body; return (bytes,
    seconds from the request to the last byte). Raises OSError, ProtocolError,
    Refused (an HTTP error status)."""
    url = str(spec.params.get("url") or "")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ProtocolError(f"not an http(s) URL: {url}")
    secure = parts.scheme == "https"
    port = parts.port or (443 if secure else 80)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    # A Range asks the server for no more than is read; one that ignores it
    # is cut off at the size.
    request = build_request(
        "GET", target, parts.netloc, {"Range": f"bytes=0-{size - 1}"}
    )
    context = None
    if secure:
        verify = bool(spec.params.get("verify_tls", True))
        context = tls_context(verify, spec.params.get("ca_file") or None)
    loop = asyncio.get_running_loop()
    _family, address = await resolve(loop, parts.hostname, port)
    drain = _Drain(request, size)
    transport, _ = await loop.create_connection(
        lambda: drain,
        address[0],
        port,
        ssl=context,
        server_hostname=parts.hostname if context else None,
    )
    try:
        response = await drain.done
    finally:
        transport.close()
    if not 200 <= response.status < 300:
        message = f"HTTP {response.status} {response.reason}".strip()
        raise Refused("status", message)
    return drain.received, time.perf_counter() - drain.started


def _judge(spec: CheckSpec, moved: int, seconds: float, latency: float) -> Outcome:
    mbps = round(moved * 8 / max(seconds, 1e-6) / MB, 2)
    values = {"bytes": moved, "seconds": round(seconds, 3), "mbps": mbps}
    message = f"{moved / MB:g} MB in {seconds:.3g} s: {mbps:.1f} Mbit/s"
    floor = spec.params.get("min_mbps")
    if floor is not None and floor != "" and mbps < float(floor):
        message += f", below {float(floor):g}"
        return Outcome(Status.DEGRADED, latency, message, "slow", values)
    return Outcome(Status.UP, latency, message, "", values)


@probe("throughput")
async def check_throughput(spec: CheckSpec) -> Outcome:
    """Move size_mb along the path and judge the rate; never raises for
    network failures."""
    size = size_bytes(spec.params)
    http = str(spec.params.get("mode") or "tcp") == "http"
    sent = _Sent()
    started = time.perf_counter()
    try:
        async with asyncio.timeout(budget(spec.timeout)):
            if http:
                moved, seconds = await _download(spec, size)
            else:
                port = int(spec.params.get("port") or DEFAULT_PORT)
                moved, seconds = size, await _push(spec.host, port, size, sent)
    except Refused as error:
        return Outcome(Status.DOWN, message=str(error), reason=error.reason)
    except ProtocolError as error:
        return Outcome(Status.DOWN, message=str(error), reason="protocol")
    except TimeoutError as error:
        outcome = failed(error)
        if sent.bytes:
            outcome.message = (
                f"timed out after sending {sent.bytes / MB:g} of {size / MB:g} MB"
            )
        return outcome
    except OSError as error:
        return failed(error)
    return _judge(spec, moved, seconds, ms(started, time.perf_counter()))


@dataclass
class SinkLimits:
    """Bounds of a sink: bytes one transfer may send, transfers at once, and
    seconds a connection may stay silent."""

    max_bytes: int = (MAX_SIZE_MB + 24) * MB
    max_connections: int = 8
    idle_seconds: float = 30.0


class Sink:
    """The receiving end: reads and discards each transfer, then answers the
    byte count. ``active`` and ``transfers`` are its running figures."""

    def __init__(self, limits: SinkLimits | None = None) -> None:
        self.limits = limits or SinkLimits()
        self.active = 0
        self.transfers = 0
        self.received = 0

    async def start(self, host: str | None, port: int) -> asyncio.Server:
        """Listen on host:port (None: every address); raises OSError."""
        loop = asyncio.get_running_loop()
        return await loop.create_server(
            lambda: _SinkConnection(self), host, port, reuse_address=True
        )


class _SinkConnection(asyncio.Protocol):
    def __init__(self, sink: Sink) -> None:
        self.sink = sink
        self.header = b""
        self.expected: int | None = None  # set once the go-ahead is given
        self.count = 0
        self.counted = False  # holds one of the sink's connection slots
        self.finished = False
        self.quiet = False
        self.transport: asyncio.Transport | None = None
        self.timer: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        # uvloop's transports are not asyncio.Transport subclasses: no isinstance.
        self.transport = cast(asyncio.Transport, transport)
        limits = self.sink.limits
        if self.sink.active >= limits.max_connections:
            self._answer(BUSY, limits.max_connections, close=True)
            return
        self.sink.active += 1
        self.counted = True
        self._watch()

    def _watch(self) -> None:
        # Every idle_seconds: a connection that sent nothing since is dropped.
        if self.quiet:
            assert self.transport is not None
            self.transport.abort()
            return
        self.quiet = True
        loop = asyncio.get_running_loop()
        self.timer = loop.call_later(self.sink.limits.idle_seconds, self._watch)

    def data_received(self, data: bytes) -> None:
        self.quiet = False
        if self.finished:
            return
        if self.expected is None:
            self._read_header(data)
            return
        self.count += len(data)
        self.sink.received += len(data)
        if self.count >= self.expected:
            self.sink.transfers += 1
            self._answer(OK, self.count, close=True)

    def _read_header(self, data: bytes) -> None:
        self.header += data
        if len(self.header) < MESSAGE.size:
            return
        magic, _status, size = MESSAGE.unpack(self.header[: MESSAGE.size])
        if magic != MAGIC:
            assert self.transport is not None
            self.transport.close()
            return
        if size > self.sink.limits.max_bytes:
            self._answer(TOO_BIG, self.sink.limits.max_bytes, close=True)
            return
        self.expected = size
        self._answer(OK, size)
        rest = self.header[MESSAGE.size :]
        self.header = b""
        if rest or size == 0:
            self.data_received(rest)

    def _answer(self, status: int, number: int, *, close: bool = False) -> None:
        assert self.transport is not None
        self.transport.write(MESSAGE.pack(MAGIC, status, number))
        if close:
            self.finished = True
            self.transport.close()

    def connection_lost(self, exc: Exception | None) -> None:
        if self.timer is not None:
            self.timer.cancel()
        if self.counted:
            self.sink.active -= 1
            self.counted = False


def listen_address(
    text: str, default_port: int = DEFAULT_PORT
) -> tuple[str | None, int]:
    """ "0.0.0.0:5201", ":5201", "[::]:5201", "5201" → (host or None for every
    address, port); raises ValueError for anything else."""
    text = text.strip()
    host, _, port = text.rpartition(":") if ":" in text else ("", "", text)
    if host.startswith("[") and host.endswith("]"):
        host = host[1:-1]
    number = int(port) if port else default_port
    if not 1 <= number <= 65535:
        raise ValueError(f"not a port: {port}")
    return host or None, number
