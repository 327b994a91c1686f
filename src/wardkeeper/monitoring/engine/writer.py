"""Hands results to the sink in batches, and keeps them while it fails.

A batch goes out when ``batch_size`` results are waiting or ``flush_interval``
seconds have passed, whichever comes first. When the sink raises (the
database is briefly down) the batch goes back to the head of the buffer and
is retried with a doubling back-off; results keep arriving meanwhile. The
buffer is bounded: beyond ``max_buffer`` the oldest results are dropped and
counted (``stats.dropped``). Only a batch in flight when the process dies can
be lost.
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from collections.abc import Awaitable
from typing import Protocol

from wardkeeper.monitoring.engine.limits import EngineStats
from wardkeeper.monitoring.engine.spec import Result

log = logging.getLogger(__name__)


class Sink(Protocol):
    """Where results go: the Django side stores them and advances states."""

    def __call__(self, results: list[Result], /) -> Awaitable[None]: ...


class ResultWriter:
    def __init__(
        self,
        sink: Sink,
        stats: EngineStats,
        *,
        batch_size: int = 500,
        flush_interval: float = 1.0,
        max_buffer: int = 100_000,
        retry_first: float = 0.5,
        retry_max: float = 30.0,
    ) -> None:
        self._sink = sink
        self._stats = stats
        self._batch_size = max(1, batch_size)
        self._flush_interval = flush_interval
        self._max_buffer = max(self._batch_size, max_buffer)
        self._retry_first = retry_first
        self._retry_max = retry_max
        self._buffer: deque[Result] = deque()
        self._waiter: asyncio.Future[None] | None = None
        self._closing = False
        self._backing_off = False  # a full batch must not cut the back-off short

    def add(self, result: Result) -> None:
        """Queue one result; wakes the writer when a batch is full."""
        buffer = self._buffer
        buffer.append(result)
        if len(buffer) > self._max_buffer:
            buffer.popleft()
            self._stats.dropped += 1
        self._stats.buffered = len(buffer)
        if len(buffer) >= self._batch_size and not self._backing_off:
            self._wake()

    def close(self) -> None:
        """Ask ``run`` to write what is left and return."""
        self._closing = True
        self._wake()

    async def run(self, drain_timeout: float = 5.0) -> None:
        """Write batches until closed, then drain the buffer, retrying for at
        most ``drain_timeout`` seconds."""
        delay = 0.0
        while not self._closing:
            if delay:
                self._backing_off = True
                await self._nap(delay)
                self._backing_off = False
            elif len(self._buffer) < self._batch_size:
                await self._nap(self._flush_interval)
            # Woken by a full batch: write the full batches only; the rest
            # waits to fill one (or for the interval), so a busy engine
            # commits full batches rather than each write's small tail.
            whole = delay > 0 or len(self._buffer) < self._batch_size
            if await self._write_all(whole):
                delay = 0.0
            else:
                delay = min(self._retry_max, max(self._retry_first, delay * 2))
        await self._drain(drain_timeout)

    async def _drain(self, timeout: float) -> None:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        delay = self._retry_first
        while not await self._write_all():
            if loop.time() + delay > deadline:
                log.error(
                    "monitoring: %d results not written at stop", len(self._buffer)
                )
                return
            await asyncio.sleep(delay)
            delay = min(self._retry_max, delay * 2)

    async def _write_all(self, whole: bool = True) -> bool:
        """Write the waiting results in batches (only full ones unless
        ``whole``); False when the sink failed (the failed batch is back at
        the head of the buffer)."""
        buffer, size = self._buffer, self._batch_size
        while len(buffer) >= size or (whole and buffer):
            batch = [buffer.popleft() for _ in range(min(size, len(buffer)))]
            try:
                await self._sink(batch)
            except Exception:
                self._put_back(batch)
                self._stats.sink_failures += 1
                log.warning("monitoring: sink failed, %d results kept", len(buffer))
                return False
            self._stats.written += len(batch)
            self._stats.buffered = len(buffer)
        return True

    def _put_back(self, batch: list[Result]) -> None:
        buffer = self._buffer
        buffer.extendleft(reversed(batch))
        # The oldest go first when the database stays away too long.
        excess = len(buffer) - self._max_buffer
        for _ in range(max(0, excess)):
            buffer.popleft()
        self._stats.dropped += max(0, excess)
        self._stats.buffered = len(buffer)

    async def _nap(self, seconds: float) -> None:
        """Sleep ``seconds``, or less when a batch fills up or we close."""
        if self._closing:
            return
        loop = asyncio.get_running_loop()
        waiter = self._waiter = loop.create_future()
        handle = loop.call_later(seconds, _settle, waiter)
        try:
            await waiter
        finally:
            handle.cancel()
            self._waiter = None

    def _wake(self) -> None:
        if self._waiter is not None:
            _settle(self._waiter)


def _settle(future: asyncio.Future[None]) -> None:
    if not future.done():
        future.set_result(None)
