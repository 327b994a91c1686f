"""Results reach the sink in batches and survive a sink that fails."""

from __future__ import annotations

import asyncio
import time

from tests.monitoring.engine.harness import run_engine, specs
from wardkeeper.monitoring.engine.spec import Result


def test_batches_go_out_when_full_or_when_the_flush_interval_passes():
    sizes: list[int] = []
    arrivals: list[float] = []

    async def sink(batch: list[Result]) -> None:
        sizes.append(len(batch))
        arrivals.append(time.monotonic())

    engine, _ = run_engine(
        specs(100, interval=0.5), 1.0, sink=sink, batch_size=25, flush_interval=10
    )
    assert max(sizes) == 25
    assert sum(sizes) == engine.stats.checks_done == engine.stats.written

    sizes.clear()
    arrivals.clear()
    began = time.monotonic()
    run_engine(
        specs(5, interval=0.1), 1.0, sink=sink, batch_size=1000, flush_interval=0.2
    )
    assert arrivals[0] - began < 0.5  # the timer flushed a batch far from full
    assert len(arrivals) >= 4


def test_a_slow_sink_gets_full_batches_not_each_writes_small_tail():
    """While a batch is being written more results arrive; they wait to fill
    a batch of their own instead of going out as a small one right after."""
    sizes: list[int] = []

    async def slow(batch: list[Result]) -> None:
        sizes.append(len(batch))
        await asyncio.sleep(0.05)

    engine, _ = run_engine(
        specs(400, interval=0.5), 1.6, sink=slow, batch_size=100, flush_interval=10
    )
    assert sum(sizes) == engine.stats.written
    *during, _left = sizes  # the last one: what was left at stop
    assert during
    assert set(during) == {100}


def test_a_failing_sink_is_retried_without_losing_a_result():
    calls = {"n": 0}
    stored: list[Result] = []

    async def flaky(batch: list[Result]) -> None:
        calls["n"] += 1
        if calls["n"] <= 3:
            raise ConnectionError("database is restarting")
        stored.extend(batch)

    engine, _ = run_engine(
        specs(40, interval=0.2),
        1.5,
        sink=flaky,
        batch_size=20,
        flush_interval=0.1,
        retry_first=0.05,
    )
    assert engine.stats.sink_failures == 3
    assert engine.stats.dropped == 0
    assert len(stored) == engine.stats.checks_done
    keys = [(r.check_id, r.at) for r in stored]
    assert len(set(keys)) == len(keys)  # nothing written twice
    first_runs = sorted(r.at for r in stored)[:40]
    assert {r.check_id for r in stored if r.at <= first_runs[-1]} == set(range(1, 41))


def test_a_sink_down_too_long_drops_the_oldest_beyond_the_cap_and_counts_them():
    began = time.time()
    broken_until = time.monotonic() + 0.8
    stored: list[Result] = []

    async def down_then_up(batch: list[Result]) -> None:
        if time.monotonic() < broken_until:
            raise ConnectionError("database unavailable")
        stored.extend(batch)

    engine, _ = run_engine(
        specs(50, interval=0.2),
        1.5,
        sink=down_then_up,
        batch_size=10,
        flush_interval=0.05,
        max_buffer=60,
        retry_first=0.05,
        retry_max=0.1,
    )
    stats = engine.stats
    assert stats.dropped > 0
    assert len(stored) + stats.dropped == stats.checks_done
    # What was kept is the newest: nothing from the first half of the outage.
    assert min(r.at for r in stored) > began + 0.4
