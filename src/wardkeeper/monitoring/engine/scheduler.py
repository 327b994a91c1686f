"""The scheduler: runs every check on its interval and hands results on.

A check's runs sit at a fixed phase of its interval, taken from a hash of
its id and aligned to the wall clock, so checks spread evenly and a
restarted monitor keeps the same rhythm. No task waits between runs: the
schedule is a wheel of ``TICK``-long slots, one loop timer per slot that has
runs due, so the runs due within one slot (50 ms) start together (one
timer and one wake-up of the loop for all of them, not one each). When a
run falls due it passes, in order: the host gate (``per_host`` runs at once,
starts ``min_host_gap`` apart), then the global limit (``concurrency`` runs
at once); only then does it get a task. Each run has its own timeout, so a
hanging target holds one slot of its own host and nothing else. A kind whose
probe module registers a starter (``probes.starter``; ICMP does) runs
without a task: the starter calls back when its answer is in.

A check whose params hold ``expect: "refused"`` is *inverted* (a segmentation
probe of traffic the policy refuses): the probe runs without that param, and
its answer is turned over (``invert``) — a connection or an echo reply is
DOWN with reason "violation" and the evidence in the message; a refusal, a
timeout or an unreachable network is UP; an answer that proves nothing (a
name that does not resolve, a probe's error) is UNKNOWN. ``expect: "pass"``
marks a must-pass probe: its answer stands, but a failure to get through is
reason "blocked" with the evidence. The params' ``evidence`` mapping (zone,
poller, destination) goes into the message. Both values are the engine's:
the probe never sees ``expect`` then (so a TCP check cannot wait for a
banner reading exactly "refused" or "pass").
"""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
import math
import time
from collections import deque
from collections.abc import Callable, Iterable, Mapping

from wardkeeper.monitoring.engine import run as runner
from wardkeeper.monitoring.engine.limits import EngineStats, HostGate, HostGates
from wardkeeper.monitoring.engine.probes import STARTERS, Probe, Starter, load_all
from wardkeeper.monitoring.engine.spec import CheckSpec, Outcome, Result, Status
from wardkeeper.monitoring.engine.writer import ResultWriter, Sink

_GOLDEN = 2654435769  # 2**32 / golden ratio: consecutive ids land far apart
# Seconds: the schedule's resolution; a run starts up to one late. Each
# slot costs one wake-up of the loop, and on a busy machine a wake-up costs
# more than the runs it starts: 50 ms halved the monitor's CPU per ping
# against 10 ms (bench/README.md), and is nothing against 30 s intervals.
TICK = 0.05


def phase(check_id: int) -> float:
    """The stable fraction of its interval at which a check runs (0 ≤ x < 1)."""
    return ((check_id * _GOLDEN) & 0xFFFFFFFF) / 2**32


class _Check:
    __slots__ = (
        "due",
        "gate",
        "is_busy",
        "is_removed",
        "policy",
        "run_spec",
        "scheduled",
        "slot",
        "spec",
        "task",
    )

    def __init__(self, spec: CheckSpec) -> None:
        self.spec = spec
        self.run_spec, self.policy = probed(spec)
        self.due = 0.0  # loop time of the next run
        self.scheduled = 0.0  # loop time the current run was due
        self.slot = -1  # the wheel slot of the next run (-1: none planned)
        self.task: asyncio.Task[None] | None = None
        self.gate: HostGate | None = None
        self.is_busy = False  # due and not finished (waiting at a gate or running)
        self.is_removed = False


class Engine:
    """Runs check specs on their intervals and writes results to ``sink``.

    ``sink`` is ``async (list[Result]) -> None``; it may raise, and the batch
    is then retried (see ``writer``): first after ``retry_first`` seconds,
    doubling up to ``retry_max``; at stop, for at most ``drain_timeout``.
    ``probes`` maps kinds to probes; by default every probe module is loaded
    (with its starters; given ``probes``, the engine uses ``starters`` only).
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
        starters: Mapping[str, Starter] | None = None,
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
        if starters is None:
            starters = STARTERS if probes is None else {}
        self._starters = starters
        self._generation = 0  # one per run(): late callbacks of an old run are dropped
        self._wall = wall_clock
        self._checks: dict[int, _Check] = {}
        self._queue: deque[_Check] = deque()  # due, waiting for a global slot
        self._running: set[_Check] = set()
        self._wheel: dict[int, list[_Check]] = {}  # slot → checks due in it
        self._timers: dict[int, asyncio.TimerHandle] = {}  # slot → its timer
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
            gone.slot = -1
        for check_id, spec in wanted.items():
            found = self._checks.get(check_id)
            if found is None:
                check = self._checks[check_id] = _Check(spec)
                self._schedule_first(check)
                continue
            check = found
            if check.spec != spec:
                old_interval, check.spec = check.spec.interval, spec
                check.run_spec, check.policy = probed(spec)
                if spec.interval != old_interval:
                    self._schedule_first(check)
        if self._loop is not None:
            self._gates.forget_idle(self._loop.time())

    async def run(self, stop: asyncio.Event) -> None:
        """Run until ``stop`` is set; then cancel runs in progress and write
        the results still buffered."""
        self._loop = asyncio.get_running_loop()
        self._stopping = False
        self._generation += 1
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
        for timer in self._timers.values():
            timer.cancel()
        self._timers.clear()
        self._wheel.clear()
        for check in self._checks.values():
            check.slot = -1
        tasks = [c.task for c in self._running if c.task is not None]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        for check in list(self._running):  # started ones: their answers are dropped
            self._finished(check)
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
        self._plan(check, loop.time() + (slot - wall))

    def _plan(self, check: _Check, due: float) -> None:
        """Put the check's next run, due at loop time ``due``, on the wheel
        (a check planned again leaves its old slot: that entry is skipped)."""
        check.due = due
        slot = check.slot = math.ceil(due / TICK)
        checks = self._wheel.get(slot)
        if checks is None:
            checks = self._wheel[slot] = []
            assert self._loop is not None
            self._timers[slot] = self._loop.call_at(slot * TICK, self._on_tick, slot)
        checks.append(check)

    def _on_tick(self, slot: int) -> None:
        del self._timers[slot]
        for check in self._wheel.pop(slot, ()):
            if check.slot == slot and not check.is_removed:
                self._on_due(check)

    def _on_due(self, check: _Check) -> None:
        loop = self._loop
        assert loop is not None
        due, interval = check.due, check.spec.interval
        now = loop.time()
        following = due + interval
        if following <= now:  # the loop stalled past a whole interval
            missed = math.floor((now - due) / interval)
            self.stats.skipped += missed
            following = due + (missed + 1) * interval
        self._plan(check, following)
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
        starter = self._starters.get(check.spec.kind)
        paced = check.gate is not None and self._gates.min_gap
        if starter is not None and not paced and self._start_fast(check, starter):
            return
        check.task = self._loop.create_task(self._run(check))

    def _start_fast(self, check: _Check, starter: Starter) -> bool:
        """Hand the run to the kind's starter; False when it declines."""
        assert self._loop is not None
        lag = self._loop.time() - check.scheduled
        at, generation = self._wall(), self._generation

        def done(outcome: Outcome) -> None:
            if generation != self._generation or check not in self._running:
                return  # the engine stopped since (or the run was finished)
            self.stats.checks_done += 1
            if not check.is_removed:
                if check.policy:
                    outcome = judge(check.spec, check.policy, outcome, at)
                self._writer.add(Result(check.spec.id, at, lag, outcome))
            self._finished(check)

        try:
            taken = starter(check.run_spec, done)
        except Exception as exc:  # a starter's bug must not stop the engine
            self.stats.errors += 1
            self._loop.call_soon(done, _crashed(exc))
            taken = True
        if taken:
            self.stats.lag.append(lag)
        return taken

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
            outcome = await self._probe(check.run_spec)
            self.stats.checks_done += 1
            if check.policy:
                outcome = judge(spec, check.policy, outcome, at)
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
            return _crashed(exc)


EXPECT_REFUSED = "refused"
EXPECT_PASS = "pass"
POLICIES = frozenset({EXPECT_REFUSED, EXPECT_PASS})
# A probe's failures that show the traffic did not get through.
REFUSALS = frozenset({"refused", "timeout", "unreachable", "reset"})


def probed(spec: CheckSpec) -> tuple[CheckSpec, str]:
    """The spec the probe is given, and the policy its answer is judged by
    ("refused", "pass", or "" for a plain check); the probe never sees a
    policy's ``expect``."""
    policy = spec.params.get("expect")
    if not isinstance(policy, str) or policy not in POLICIES:
        return spec, ""
    params = {k: v for k, v in spec.params.items() if k != "expect"}
    return dataclasses.replace(spec, params=params), str(policy)


def _facts(spec: CheckSpec) -> dict[str, object]:
    evidence = spec.params.get("evidence")
    return dict(evidence) if isinstance(evidence, Mapping) else {}


def _evidence(spec: CheckSpec, what: str, at: float) -> str:
    where = spec.host
    port = spec.params.get("port")
    if port is not None:
        where = f"{where}:{port}"
    evidence = _facts(spec)
    when = dt.datetime.fromtimestamp(at, tz=dt.UTC).isoformat(timespec="seconds")
    parts = [f"{spec.kind} {where} {what} at {when}"]
    if evidence.get("zone"):
        parts.append(f"from zone {evidence['zone']}")
    if evidence.get("poller"):
        parts.append(f"(poller {evidence['poller']})")
    if evidence.get("destination"):
        parts.append(f"into zone {evidence['destination']}")
    return " ".join(parts)


def judge(spec: CheckSpec, policy: str, outcome: Outcome, at: float) -> Outcome:
    """A policy probe's outcome (``invert`` for must-be-refused; must-pass
    failures become "blocked")."""
    if policy == EXPECT_REFUSED:
        return invert(spec, outcome, at)
    if outcome.status != Status.DOWN or outcome.reason not in REFUSALS:
        return outcome
    message = "blocked: " + _evidence(spec, f"did not answer ({outcome.reason})", at)
    values = dict(outcome.values)
    values.update({"evidence": _facts(spec), "at": at})
    message += "; the policy says it must pass"
    return Outcome(Status.DOWN, outcome.latency_ms, message[:500], "blocked", values)


def invert(spec: CheckSpec, outcome: Outcome, at: float) -> Outcome:
    """A must-be-refused probe's outcome: getting through is DOWN
    ("violation", with the evidence), being stopped is UP."""
    status = outcome.status
    if status in (Status.UP, Status.DEGRADED):
        message = "violation: " + _evidence(spec, "answered", at)
        message += "; the policy says it must be refused"
        values = dict(outcome.values)
        values.update({"evidence": _facts(spec), "at": at})
        return Outcome(
            Status.DOWN,
            outcome.latency_ms,
            message[:500],
            "violation",
            values,
        )
    if status == Status.DOWN and outcome.reason in REFUSALS:
        return Outcome(
            Status.UP,
            None,
            f"refused as the policy says ({outcome.reason})",
            "",
            dict(outcome.values),
        )
    # Nothing learnt about the path (a name that does not resolve, an error).
    return Outcome(
        Status.UNKNOWN,
        None,
        outcome.message,
        outcome.reason or "unknown",
        dict(outcome.values),
    )


def _crashed(exc: Exception) -> Outcome:
    return Outcome(
        Status.DOWN, reason="error", message=f"{type(exc).__name__}: {exc}"[:500]
    )
