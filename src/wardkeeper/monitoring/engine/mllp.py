"""MLLP (HL7's Minimal Lower Layer Protocol): framing, one request/answer
exchange for the active probe, and a small listener that answers ACKs and
keeps per-interface figures for the passive probe.

How the listener's figures reach the hl7_passive probe: both run in the
monitor process, and the listener writes into the module-level ``REGISTRY``
(a thread-safe dict of ``Figures`` keyed by interface name) that the probe
reads. A listener records every message under its own name (default
``port:<port>``) and, with ``by_sender``, also under ``app:<MSH-3>`` (the
sending application). An interface engine's own figures (messages and NAKs
it counted) are fed in with ``REGISTRY.push``; code in the monitor process
that polls the engine calls it.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
import time
from collections import Counter, deque
from collections.abc import Callable
from dataclasses import dataclass, field

from wardkeeper.monitoring.engine import hl7v2

START = b"\x0b"
END = b"\x1c\r"
MAX_BYTES = 16 * 1024 * 1024  # one message; reports with embedded PDFs are large
RECENT = 1000  # per interface: the ack codes of the last messages, for NAK rates


def frame(message: str, encoding: str = "utf-8") -> bytes:
    """``message`` wrapped in MLLP's start and end blocks."""
    return START + message.encode(encoding) + END


async def read_frame(reader: asyncio.StreamReader) -> bytes | None:
    """The next framed message's bytes, or None when the peer closed cleanly
    between messages. Bytes before the start block are dropped; raises
    asyncio.IncompleteReadError when the peer hangs up mid-message."""
    try:
        data = await reader.readuntil(END)
    except asyncio.IncompleteReadError as error:
        if not error.partial.strip():
            return None
        raise
    start = data.find(START)
    return data[start + 1 if start >= 0 else 0 : -len(END)]


async def exchange(
    host: str, port: int, message: str, *, encoding: str = "utf-8"
) -> tuple[str | None, float]:
    """Send ``message`` and wait for one framed answer: (answer or None when
    the peer closed without one, seconds from connected to answered).
    Raises OSError/TimeoutError for network failures (the caller bounds
    the wait)."""
    reader, writer = await asyncio.open_connection(host, port, limit=MAX_BYTES)
    try:
        sent = time.perf_counter()
        writer.write(frame(message, encoding))
        await writer.drain()
        answer = await read_frame(reader)
        took = time.perf_counter() - sent
    finally:
        writer.close()
        with contextlib.suppress(OSError):
            await writer.wait_closed()
    return (None if answer is None else answer.decode(encoding, "replace")), took


@dataclass
class Figures:
    """What one interface has done: since when it is watched, when its last
    message came, how many messages and which acknowledgements."""

    name: str
    since: float
    last_message_at: float | None = None
    messages: int = 0
    acks: Counter[str] = field(default_factory=Counter)
    recent: deque[str] = field(default_factory=lambda: deque(maxlen=RECENT))

    def nak_rate(self, window: int) -> tuple[float, int]:
        """(share of negative acks, acks counted) over the last ``window``
        acknowledged messages."""
        codes = list(self.recent)[-window:] if window > 0 else []
        if not codes:
            return 0.0, 0
        naks = sum(1 for code in codes if code in hl7v2.NEGATIVE)
        return naks / len(codes), len(codes)


class Registry:
    """Figures per interface, shared by listeners (writers) and the passive
    probe (reader). A lock, because an interface engine's figures may be
    pushed from another thread."""

    def __init__(self) -> None:
        self._figures: dict[str, Figures] = {}
        self._pushed: dict[str, tuple[int, int]] = {}  # last totals pushed
        self._lock = threading.Lock()

    def declare(self, name: str, at: float) -> None:
        """Start watching ``name``: silence counts from ``at`` until a message."""
        with self._lock:
            self._figures.setdefault(name, Figures(name, since=at))

    def record(self, name: str, at: float, code: str | None) -> None:
        """One message seen at ``at``, and the ack code sent or seen (if any)."""
        with self._lock:
            figures = self._figures.setdefault(name, Figures(name, since=at))
            figures.last_message_at = at
            figures.messages += 1
            if code:
                figures.acks[code] += 1
                figures.recent.append(code)

    def push(
        self, name: str, *, last_message_at: float, messages: int, naks: int
    ) -> None:
        """An interface engine's own running totals; the increase since the
        last push becomes that many recent acks (NAKs counted as AE)."""
        with self._lock:
            figures = self._figures.setdefault(name, Figures(name, since=time.time()))
            seen_messages, seen_naks = self._pushed.get(name, (0, 0))
            if messages < seen_messages or naks < seen_naks:
                seen_messages, seen_naks = 0, 0  # the engine restarted its counters
            self._pushed[name] = (messages, naks)
            fresh = messages - seen_messages
            fresh_naks = min(fresh, naks - seen_naks)
            # NAKs last: within one push the order is unknown; cap the list.
            oks = min(fresh - fresh_naks, RECENT)
            figures.recent.extend(["AA"] * oks + ["AE"] * min(fresh_naks, RECENT))
            figures.acks.update({"AA": fresh - fresh_naks, "AE": fresh_naks})
            figures.messages += fresh
            figures.last_message_at = last_message_at

    def get(self, name: str) -> Figures | None:
        """A copy of the figures for ``name`` (None if never declared or seen)."""
        with self._lock:
            found = self._figures.get(name)
            if found is None:
                return None
            return Figures(
                found.name,
                found.since,
                found.last_message_at,
                found.messages,
                Counter(found.acks),
                deque(found.recent, maxlen=RECENT),
            )

    def forget(self, name: str) -> None:
        with self._lock:
            self._figures.pop(name, None)
            self._pushed.pop(name, None)


REGISTRY = Registry()

Answer = Callable[[str], str | None]


def accept_all(message: str) -> str | None:
    """The default answer: AA to every message that is not itself an ack."""
    return None if hl7v2.is_ack(message) else hl7v2.ack(message, "AA")


class MllpListener:
    """Listens on host:port, answers each message with ``answer(message)``
    (None: no answer) and records the message and the ack code it sent (or,
    for an ack it received, the code it saw) in ``registry``."""

    def __init__(
        self,
        name: str | None = None,
        host: str = "127.0.0.1",
        port: int = 2575,
        *,
        answer: Answer = accept_all,
        registry: Registry = REGISTRY,
        by_sender: bool = True,
        encoding: str = "utf-8",
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.name = name or f"port:{port}"
        self.host, self.port = host, port
        self.answer, self.registry = answer, registry
        self.by_sender, self.encoding, self.clock = by_sender, encoding, clock
        self._server: asyncio.Server | None = None
        self._handlers: set[asyncio.Task[None]] = set()

    async def start(self) -> int:
        """Bind and serve in the background; returns the bound port (useful
        with port 0). Raises OSError when the port is taken."""
        self._server = await asyncio.start_server(
            self._serve, self.host, self.port, limit=MAX_BYTES
        )
        self.port = self._server.sockets[0].getsockname()[1]
        if self.name == "port:0":
            self.name = f"port:{self.port}"
        self.registry.declare(self.name, self.clock())
        return self.port

    async def close(self, grace: float = 1.0) -> None:
        """Stop listening; connections get ``grace`` seconds to finish the
        message in hand before they are cut."""
        if self._server is None:
            return
        self._server.close()
        if self._handlers:
            _done, pending = await asyncio.wait(self._handlers, timeout=grace)
            for task in pending:
                task.cancel()
            await asyncio.gather(*pending, return_exceptions=True)
        await self._server.wait_closed()
        self._server = None

    async def __aenter__(self) -> MllpListener:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    def _record(self, message: str, code: str | None) -> None:
        at = self.clock()
        self.registry.record(self.name, at, code)
        sender = hl7v2.component(hl7v2.field(message, "MSH", 3), 1, message)
        if self.by_sender and sender:
            self.registry.record(f"app:{sender}", at, code)

    async def _serve(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        task = asyncio.current_task()
        if task is not None:
            self._handlers.add(task)
            task.add_done_callback(self._handlers.discard)
        try:
            while (data := await read_frame(reader)) is not None:
                message = data.decode(self.encoding, "replace")
                if hl7v2.is_ack(message):
                    self._record(message, hl7v2.field(message, "MSA", 1) or None)
                    continue
                reply = self.answer(message)
                if reply is not None:
                    writer.write(frame(reply, self.encoding))
                    await writer.drain()
                code = hl7v2.field(reply, "MSA", 1) if reply else ""
                self._record(message, code or None)
        except (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError):
            pass  # a peer that hangs up or floods us loses its connection only
        finally:
            writer.close()
            with contextlib.suppress(OSError):
                await writer.wait_closed()
