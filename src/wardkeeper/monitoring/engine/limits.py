"""Per-host gates and the engine's running figures.

A host gate keeps fragile medical devices from being hammered: at most
``per_host`` runs at once against one host, and starts at least
``min_gap`` seconds apart. Checks with an empty host (passive checks, checks
fed by another system) have no gate.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from typing import Any


class HostGate:
    """The waiting line and pacing of one host. ``running`` counts runs
    admitted past the gate (started, or paced to start soon)."""

    __slots__ = ("last_start", "next_start", "running", "waiting")

    def __init__(self) -> None:
        self.running = 0
        self.waiting: deque[Any] = deque()
        self.next_start = 0.0  # earliest planned start of the next run (loop time)
        self.last_start = float("-inf")  # actual start of the latest run

    @property
    def is_idle(self) -> bool:
        return self.running == 0 and not self.waiting


class HostGates:
    """The gates of all hosts, made on first use and forgotten when idle."""

    def __init__(self, per_host: int, min_gap: float) -> None:
        self.per_host = per_host if per_host > 0 else 1 << 30  # 0 means no limit
        self.min_gap = max(0.0, min_gap)
        self.enabled = per_host > 0 or self.min_gap > 0
        self._gates: dict[str, HostGate] = {}

    def get(self, host: str) -> HostGate | None:
        """The gate of ``host``, or None when the host needs none."""
        if not self.enabled or not host:
            return None
        gate = self._gates.get(host)
        if gate is None:
            gate = self._gates[host] = HostGate()
        return gate

    def forget_idle(self, now: float) -> None:
        """Drop gates with nothing running, waiting or paced, so hosts that
        left the configuration do not pile up."""
        for host in [
            host
            for host, gate in self._gates.items()
            if gate.is_idle and gate.next_start <= now
        ]:
            del self._gates[host]

    def __len__(self) -> int:
        return len(self._gates)


def percentile(samples: list[float], fraction: float) -> float | None:
    """The nearest-rank percentile of ``samples`` (None when empty)."""
    if not samples:
        return None
    ordered = sorted(samples)
    rank = min(len(ordered) - 1, max(0, round(fraction * len(ordered) + 0.5) - 1))
    return ordered[rank]


@dataclass(slots=True)
class EngineStats:
    """What the engine has done since it started. ``lag`` keeps the latest
    ``lag_samples`` schedule lags (actual start minus planned start, seconds)."""

    lag_samples: int = 10_000
    checks_done: int = 0
    in_flight: int = 0
    queued: int = 0  # due, waiting for a global slot
    timeouts: int = 0
    errors: int = 0  # probes that raised
    skipped: int = 0  # runs left out: still running from last time, or loop stalled
    buffered: int = 0  # results waiting for the sink
    written: int = 0  # results the sink accepted
    dropped: int = 0  # results thrown away because the buffer was full
    sink_failures: int = 0
    lag: deque[float] = field(init=False)

    def __post_init__(self) -> None:
        self.lag = deque(maxlen=self.lag_samples)

    @property
    def lag_p50(self) -> float | None:
        return percentile(list(self.lag), 0.50)

    @property
    def lag_p99(self) -> float | None:
        return percentile(list(self.lag), 0.99)

    def snapshot(self) -> dict[str, Any]:
        """The figures as a plain dict (for logs, /metrics and the bench)."""
        lags = list(self.lag)
        return {
            "checks_done": self.checks_done,
            "in_flight": self.in_flight,
            "queued": self.queued,
            "timeouts": self.timeouts,
            "errors": self.errors,
            "skipped": self.skipped,
            "buffered": self.buffered,
            "written": self.written,
            "dropped": self.dropped,
            "sink_failures": self.sink_failures,
            "lag_p50": percentile(lags, 0.50),
            "lag_p99": percentile(lags, 0.99),
        }
