"""BENCH STAND-IN: a small engine and tcp/http/icmp probes with the API of
``wardkeeper.monitoring.engine`` (scheduler.Engine, probes, state.advance),
used by bench/monitoring.py only while the real ones are not installed. The
bench prints which one ran; figures from the stand-in are not Wardkeeper's.
"""

from __future__ import annotations

import asyncio
import contextlib
import heapq
import time
import zlib
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from wardkeeper.monitoring.engine.spec import CheckSpec, Outcome, Result, Status

Sink = Callable[[list[Result]], Awaitable[None]]


async def standin_tcp(spec: CheckSpec) -> Outcome:
    started = time.perf_counter()
    try:
        _reader, writer = await asyncio.open_connection(spec.host, spec.params["port"])
    except OSError as error:
        return Outcome(Status.DOWN, message=str(error), reason="refused")
    writer.close()
    return Outcome(Status.UP, (time.perf_counter() - started) * 1000)


async def standin_http(spec: CheckSpec) -> Outcome:
    started = time.perf_counter()
    url = spec.params["url"]
    hostport, _slash, path = url.split("://", 1)[1].partition("/")
    host, _colon, port = hostport.partition(":")
    try:
        reader, writer = await asyncio.open_connection(host, int(port or 80))
        writer.write(
            f"GET /{path} HTTP/1.1\r\nHost: {hostport}\r\nConnection: close\r\n\r\n".encode()
        )
        body = await reader.read()
        writer.close()
    except OSError as error:
        return Outcome(Status.DOWN, message=str(error), reason="refused")
    code = int(body.split(b" ", 2)[1]) if body.startswith(b"HTTP/") else 0
    status = Status.UP if 200 <= code < 400 else Status.DOWN
    return Outcome(
        status,
        (time.perf_counter() - started) * 1000,
        reason="" if code < 400 else "status",
    )


async def standin_icmp(spec: CheckSpec) -> Outcome:
    import icmplib

    host = await icmplib.async_ping(
        spec.host, count=1, timeout=spec.timeout, privileged=True
    )
    if host.is_alive:
        return Outcome(Status.UP, host.avg_rtt)
    return Outcome(Status.DOWN, reason="timeout")


STANDIN_PROBES = {"tcp": standin_tcp, "http": standin_http, "icmp": standin_icmp}


@dataclass
class StandInState:
    status: Status = Status.UNKNOWN
    fails: int = 0
    successes: int = 0


def standin_advance(state: StandInState, outcome: Outcome, spec: CheckSpec) -> bool:
    """Confirmation counts: down after confirm_down failures, up after confirm_up."""
    if outcome.status == Status.UP:
        state.successes, state.fails = state.successes + 1, 0
        if state.status != Status.UP and (
            state.successes >= spec.confirm_up or state.status == Status.UNKNOWN
        ):
            state.status = Status.UP
            return True
    else:
        state.fails, state.successes = state.fails + 1, 0
        if state.status != Status.DOWN and state.fails >= spec.confirm_down:
            state.status = Status.DOWN
            return True
    return False


@dataclass
class StandInStats:
    checks_done: int = 0
    in_flight: int = 0
    lags: list[float] = field(default_factory=list)

    def lag_percentile(self, q: float) -> float | None:
        if not self.lags:
            return None
        ordered = sorted(self.lags)
        return ordered[min(len(ordered) - 1, int(q / 100 * len(ordered)))]


class StandInEngine:
    """A heap of due times, one dispatcher, a semaphore, batches to the sink."""

    def __init__(
        self,
        sink: Sink,
        *,
        concurrency: int = 1000,
        per_host: int = 2,
        min_host_gap: float = 0.0,
        batch_size: int = 500,
        flush_interval: float = 1.0,
        probes: dict[str, Any] | None = None,
    ) -> None:
        self.sink = sink
        self.limit = asyncio.Semaphore(concurrency)
        self.batch_size = batch_size
        self.flush_interval = flush_interval
        self.probes = probes or STANDIN_PROBES
        self.specs: dict[int, CheckSpec] = {}
        self.states: dict[int, StandInState] = {}
        self.stats = StandInStats()
        self.pending: list[Result] = []
        self.heap: list[tuple[float, int]] = []

    def set_checks(self, specs: Iterable[CheckSpec]) -> None:
        now = time.time()
        self.specs = {spec.id: spec for spec in specs}
        self.heap = []
        for spec in self.specs.values():
            offset = (zlib.crc32(str(spec.id).encode()) % 10_000) / 10_000
            self.heap.append((now + offset * spec.interval, spec.id))
        heapq.heapify(self.heap)

    async def run(self, stop: asyncio.Event) -> None:
        flusher = asyncio.ensure_future(self.flush_loop(stop))
        tasks: set[asyncio.Task[None]] = set()
        while not stop.is_set():
            if not self.heap:
                await asyncio.sleep(0.05)
                continue
            due, check_id = self.heap[0]
            wait = due - time.time()
            if wait > 0:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), min(wait, 0.5))
                continue
            heapq.heappop(self.heap)
            spec = self.specs.get(check_id)
            if spec is None:
                continue
            heapq.heappush(self.heap, (due + spec.interval, check_id))
            await self.limit.acquire()
            task = asyncio.ensure_future(self.run_one(spec, due))
            tasks.add(task)
            task.add_done_callback(tasks.discard)
        for task in list(tasks):
            task.cancel()
        await flusher

    async def run_one(self, spec: CheckSpec, due: float) -> None:
        started = time.time()
        self.stats.in_flight += 1
        try:
            outcome = await asyncio.wait_for(self.probes[spec.kind](spec), spec.timeout)
        except TimeoutError:
            outcome = Outcome(Status.DOWN, reason="timeout")
        except Exception as error:
            outcome = Outcome(Status.UNKNOWN, message=str(error), reason="error")
        finally:
            self.stats.in_flight -= 1
            self.limit.release()
        lag = max(0.0, started - due)
        standin_advance(self.states.setdefault(spec.id, StandInState()), outcome, spec)
        self.stats.checks_done += 1
        if len(self.stats.lags) < 1_000_000:
            self.stats.lags.append(lag)
        self.pending.append(Result(spec.id, started, lag, outcome))

    async def flush_loop(self, stop: asyncio.Event) -> None:
        last = time.monotonic()
        while True:
            stopping = stop.is_set()
            if self.pending and (
                stopping
                or len(self.pending) >= self.batch_size
                or time.monotonic() - last >= self.flush_interval
            ):
                batch, self.pending = self.pending, []
                await self.sink(batch)
                last = time.monotonic()
            if stopping:
                return
            await asyncio.sleep(0.05)
