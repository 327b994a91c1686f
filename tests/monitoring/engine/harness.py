"""Runs an engine for a bounded time with in-process probes and a list sink."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from wardkeeper.monitoring.engine.scheduler import Engine
from wardkeeper.monitoring.engine.spec import CheckSpec, Outcome, Result, Status


@dataclass
class Concurrency:
    """Counts probe entries in progress, overall and per host."""

    now: int = 0
    peak: int = 0
    per_host: dict[str, int] = field(default_factory=dict)
    peak_per_host: dict[str, int] = field(default_factory=dict)
    starts: list[tuple[str, float]] = field(default_factory=list)

    def probe(self, seconds: float) -> Callable[[CheckSpec], Awaitable[Outcome]]:
        async def busy(spec: CheckSpec) -> Outcome:
            host = spec.host
            self.starts.append((host, time.monotonic()))
            self.now += 1
            self.per_host[host] = self.per_host.get(host, 0) + 1
            self.peak = max(self.peak, self.now)
            self.peak_per_host[host] = max(
                self.peak_per_host.get(host, 0), self.per_host[host]
            )
            try:
                await asyncio.sleep(seconds)
            finally:
                self.now -= 1
                self.per_host[host] -= 1
            return Outcome(Status.UP, latency_ms=seconds * 1000)

        return busy


async def up(spec: CheckSpec) -> Outcome:
    return Outcome(Status.UP, latency_ms=0.1, message=str(spec.params.get("tag", "")))


def specs(
    count: int, *, kind: str = "up", host: str | None = None, **kw: Any
) -> list[CheckSpec]:
    """``count`` checks, ids 1…count, each on its own host unless ``host``."""
    return [
        CheckSpec(id=i, kind=kind, host=host if host is not None else f"h{i}", **kw)
        for i in range(1, count + 1)
    ]


def run_engine(
    checks: Iterable[CheckSpec],
    seconds: float,
    *,
    probes: dict[str, Any] | None = None,
    sink: Callable[[list[Result]], Awaitable[None]] | None = None,
    during: Callable[[Engine], Awaitable[None]] | None = None,
    **options: Any,
) -> tuple[Engine, list[Result]]:
    """Run for ``seconds`` (then stop); the results the sink received."""
    received: list[Result] = []

    async def collect(batch: list[Result]) -> None:
        received.extend(batch)

    engine = Engine(sink or collect, probes=probes or {"up": up}, **options)
    engine.set_checks(checks)

    async def main() -> None:
        stop = asyncio.Event()
        asyncio.get_running_loop().call_later(seconds, stop.set)
        if during is None:
            await engine.run(stop)
        else:
            await asyncio.gather(engine.run(stop), during(engine))

    asyncio.run(asyncio.wait_for(main(), seconds + 4))
    return engine, received
