"""The scheduler: runs every check on its interval and hands results on.

Each check has its own timer on the event loop (the loop's timer heap is the
schedule; no task waits between runs). A check's runs sit at a fixed phase of
its interval, taken from a hash of its id and aligned to the wall clock, so
checks spread evenly and a restarted monitor keeps the same rhythm. When a
run falls due it passes, in order: the host gate (``per_host`` runs at once,
starts ``min_host_gap`` apart), then the global limit (``concurrency`` runs
at once); only then does it get a task. Each run has its own timeout, so a
hanging target holds one slot of its own host and nothing else.
"""

from __future__ import annotations

import asyncio
import math
import time
from collections import deque
from collections.abc import Callable, Iterable, Mapping

from wardkeeper.monitoring.engine import run as runner
from wardkeeper.monitoring.engine.limits import EngineStats, HostGate, HostGates
from wardkeeper.monitoring.engine.probes import Probe, load_all
from wardkeeper.monitoring.engine.spec import CheckSpec, Outcome, Result, Status
from wardkeeper.monitoring.engine.writer import ResultWriter, Sink

_GOLDEN = 2654435769  # 2**32 / golden ratio: consecutive ids land far apart


def phase(check_id: int) -> float:
    """The stable fraction of its interval at which a check runs (0 ≤ x < 1)."""
    return ((check_id * _GOLDEN) & 0xFFFFFFFF) / 2**32


class _Check:
    __slots__ = (
        "due",
        "gate",
        "handle",
        "is_busy",
        "is_removed",
        "scheduled",
        "spec",
        "task",
    )

    def __init__(self, spec: CheckSpec) -> None:
        self.spec = spec
        self.due = 0.0  # loop time of the next run
        self.scheduled = 0.0  # loop time the current run was due
        self.handle: asyncio.TimerHandle | None = None
        self.task: asyncio.Task[None] | None = None
        self.gate: HostGate | None = None
        self.is_busy = False  # due and not finished (waiting at a gate or running)
        self.is_removed = False


class Engine:
    """Runs check specs on their intervals and writes results to ``sink``.

    ``sink`` is ``async (list[Result]) -> None``; it may raise, and the batch
    is then retried (see ``writer``): first after ``retry_first`` seconds,
    doubling up to ``retry_max``; at stop, for at most ``drain_timeout``.
    ``probes`` maps kinds to probes; by default every probe module is loaded.
    """

    def __init__(
        self,
        sink: Sink,
        *,
        concurrency: int = 1000,
        per_host: int = 2,
        min_host_gap: float = 0.0,
        batch_size: int = 500,
        flush_interval: float = 1.0,
        max_buffer: int = 100_000,
        retry_first: float = 0.5,
        retry_max: float = 30.0,
        drain_timeout: float = 5.0,
        probes: Mapping[str, Probe] | None = None,
        wall_clock: Callable[[], float] = time.time,
    ) -> None:
        self.stats = EngineStats()
        self._writer = ResultWriter(
            sink,
            self.stats,
            batch_size=batch_size,
            flush_interval=flush_interval,
            max_buffer=max_buffer,
            retry_first=retry_first,
            retry_max=retry_max,
        )
        self._drain_timeout = drain_timeout
        self._concurrency = max(1, concurrency)
        self._per_host, self._min_host_gap = per_host, min_host_gap
        self._gates = HostGates(per_host, min_host_gap)
        self._probes = load_all() if probes is None else probes
        self._wall = wall_clock
        self._checks: dict[int, _Check] = {}
        self._queue: deque[_Check] = deque()  # due, waiting for a global slot
        self._running: set[_Check] = set()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stopping = False

    def set_checks(self, specs: Iterable[CheckSpec]) -> None:
        """Replace the whole set of checks. Unchanged checks keep their rhythm;
        a changed check keeps its slot unless its interval changed; a removed
        check's run in progress finishes but its result is dropped."""
        wanted = {spec.id: spec for spec in specs}
        for check_id in self._checks.keys() - wanted.keys():
            gone = self._checks.pop(check_id)
            gone.is_removed = True
            if gone.handle is not None:
                gone.handle.cancel()
        for check_id, spec in wanted.items():
            found = self._checks.get(check_id)
            if found is None:
                check = self._checks[check_id] = _Check(spec)
                self._schedule_first(check)
                continue
            check = found
            if check.spec != spec:
                old_interval, check.spec = check.spec.interval, spec
                if spec.interval != old_interval:
                    if check.handle is not None:
                        check.handle.cancel()
                    self._schedule_first(check)
        if self._loop is not None:
            self._gates.forget_idle(self._loop.time())

    async def run(self, stop: asyncio.Event) -> None:
        """Run until ``stop`` is set; then cancel runs in progress and write
        the results still buffered."""
        self._loop = asyncio.get_running_loop()
        self._stopping = False
        self._gates = HostGates(self._per_host, self._min_host_gap)
        for check in self._checks.values():
            check.is_busy, check.gate = False, None
            self._schedule_first(check)
        writer = self._loop.create_task(self._writer.run(self._drain_timeout))
        try:
            await stop.wait()
        finally:
            await self._shut_down(writer)

    def run_forever(self, *, use_uvloop: bool = True) -> None:
        """Run in a new event loop (uvloop when installed), with the garbage
        collector tuned for the monitor's own process, until SIGTERM or SIGINT."""

        async def main() -> None:
            stop = asyncio.Event()
            runner.stop_on_signals(stop)
            runner.tune_gc()
            await self.run(stop)

        runner.run(main(), use_uvloop=use_uvloop)

    async def _shut_down(self, writer: asyncio.Task[None]) -> None:
        self._stopping = True
        for check in self._checks.values():
            if check.handle is not None:
                check.handle.cancel()
                check.handle = None
        tasks = [c.task for c in self._running if c.task is not None]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        self._queue.clear()
        self.stats.queued = 0
        self._writer.close()
        await writer
        self._loop = None

    def _schedule_first(self, check: _Check) -> None:
        """Put the check's next run on its phase within the interval,
        measured on the wall clock so a restart keeps the rhythm."""
        loop = self._loop
        if loop is None:
            return  # scheduled when ``run`` starts
        interval = check.spec.interval
        wall = self._wall()
        slot = math.floor(wall / interval) * interval + phase(check.spec.id) * interval
        if slot < wall:
            slot += interval
        check.due = loop.time() + (slot - wall)
        check.handle = loop.call_at(check.due, self._on_due, check)

    def _on_due(self, check: _Check) -> None:
        loop = self._loop
        assert loop is not None
        due, interval = check.due, check.spec.interval
        now = loop.time()
        check.due = due + interval
        if check.due <= now:  # the loop stalled past a whole interval
            missed = math.floor((now - due) / interval)
            self.stats.skipped += missed
            check.due = due + (missed + 1) * interval
        check.handle = loop.call_at(check.due, self._on_due, check)
        if check.is_busy:  # the last run has not finished: never overlap
            self.stats.skipped += 1
            return
        check.is_busy = True
        check.scheduled = due
        gate = check.gate = self._gates.get(check.spec.host)
        if gate is None:
            self._admit(check)
        elif gate.running < self._gates.per_host:
            gate.running += 1
            self._pace(gate, check)
        else:
            gate.waiting.append(check)

    def _pace(self, gate: HostGate, check: _Check) -> None:
        """Let a run through its host gate, ``min_host_gap`` after the last."""
        gap = self._gates.min_gap
        if not gap:
            self._admit(check)
            return
        loop = self._loop
        assert loop is not None
        now = loop.time()
        start = max(now, gate.next_start)
        gate.next_start = start + gap
        if start > now:
            loop.call_at(start, self._admit, check)
        else:
            self._admit(check)

    def _admit(self, check: _Check) -> None:
        if self._stopping or not check.is_busy:
            return  # a paced run that outlived a stop
        if self.stats.in_flight < self._concurrency:
            self._start(check)
        else:
            self._queue.append(check)
            self.stats.queued = len(self._queue)

    def _start(self, check: _Check) -> None:
        assert self._loop is not None
        self.stats.in_flight += 1
        self._running.add(check)
        check.task = self._loop.create_task(self._run(check))

    def _finished(self, check: _Check) -> None:
        self.stats.in_flight -= 1
        self._running.discard(check)
        check.task = None
        check.is_busy = False
        if self._stopping:
            return
        gate = check.gate
        if gate is not None:
            gate.running -= 1
            if gate.waiting:
                gate.running += 1
                self._pace(gate, gate.waiting.popleft())
        queue = self._queue
        while queue and self.stats.in_flight < self._concurrency:
            self._start(queue.popleft())
        self.stats.queued = len(queue)

    async def _run(self, check: _Check) -> None:
        loop = self._loop
        assert loop is not None
        try:
            gate = check.gate
            if gate is not None and self._gates.min_gap:
                await self._keep_gap(gate, loop)
            if check.is_removed:
                return
            spec = check.spec
            start = loop.time()
            at = self._wall()
            lag = start - check.scheduled
            self.stats.lag.append(lag)
            outcome = await self._probe(spec)
            self.stats.checks_done += 1
            if not check.is_removed:
                self._writer.add(Result(spec.id, at, lag, outcome))
        finally:
            self._finished(check)

    async def _keep_gap(self, gate: HostGate, loop: asyncio.AbstractEventLoop) -> None:
        # Pacing already spaces starts; this only bites when runs of one
        # host waited together for a global slot and were let go at once.
        now = loop.time()
        start = max(now, gate.last_start + self._gates.min_gap)
        gate.last_start = start
        if start - now > 0.001:
            await asyncio.sleep(start - now)

    async def _probe(self, spec: CheckSpec) -> Outcome:
        probe = self._probes.get(spec.kind)
        if probe is None:
            return Outcome(
                Status.UNKNOWN, reason="no-probe", message=f"no probe for {spec.kind!r}"
            )
        try:
            async with asyncio.timeout(spec.timeout):
                return await probe(spec)
        except TimeoutError:
            self.stats.timeouts += 1
            return Outcome(
                Status.DOWN,
                reason="timeout",
                message=f"no answer within {spec.timeout:g} s",
            )
        except Exception as exc:  # a probe's bug must not stop the engine
            self.stats.errors += 1
            return Outcome(
                Status.DOWN,
                reason="error",
                message=f"{type(exc).__name__}: {exc}"[:500],
            )
