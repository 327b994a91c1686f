"""Engine overhead with a dummy probe: CPU-ms per check.

    .venv/bin/python -m tests.monitoring.engine.bench_engine [checks] [interval] [seconds]

Runs with asyncio's loop and with uvloop (when installed), then both again with
run.tune_gc() (which stays on for the rest of the process), and prints checks
done, CPU-ms per check (process CPU time over checks done) and schedule lag.
The dummy probe answers at once, so the figure is the engine's own cost.
"""

from __future__ import annotations

import asyncio
import sys
import time

from wardkeeper.monitoring.engine import run as runner
from wardkeeper.monitoring.engine.scheduler import Engine
from wardkeeper.monitoring.engine.spec import CheckSpec, Outcome, Result, Status


async def dummy(spec: CheckSpec) -> Outcome:
    return Outcome(Status.UP, latency_ms=0.1)


async def measure(
    checks: int, interval: float, seconds: float, tune: bool
) -> dict[str, float]:
    written = 0

    async def sink(results: list[Result]) -> None:
        nonlocal written
        written += len(results)

    engine = Engine(sink, probes={"dummy": dummy}, per_host=2, concurrency=1000)
    engine.set_checks(
        CheckSpec(
            id=i, kind="dummy", host=f"10.0.{i // 250}.{i % 250}", interval=interval
        )
        for i in range(1, checks + 1)
    )
    stop = asyncio.Event()
    asyncio.get_running_loop().call_later(seconds, stop.set)
    if tune:
        runner.tune_gc()
    cpu = time.process_time()
    await engine.run(stop)
    cpu = time.process_time() - cpu
    stats = engine.stats
    return {
        "checks_done": stats.checks_done,
        "written": written,
        "cpu_ms_per_check": 1000 * cpu / max(1, stats.checks_done),
        "lag_p50_ms": 1000 * (stats.lag_p50 or 0),
        "lag_p99_ms": 1000 * (stats.lag_p99 or 0),
    }


def main() -> None:
    args = [float(a) for a in sys.argv[1:]]
    checks, interval, seconds = (args + [5000, 5.0, 20.0][len(args) :])[:3]
    for use_uvloop, tune in (
        (False, False),
        (False, True),
        (True, False),
        (True, True),
    ):
        loop_name = runner.loop_factory(use_uvloop).__module__.split(".")[0]
        loop_name += "+gc" if tune else ""
        figures = runner.run(
            measure(int(checks), interval, seconds, tune), use_uvloop=use_uvloop
        )
        line = " ".join(
            f"{k}={v:.3f}" if isinstance(v, float) else f"{k}={v}"
            for k, v in figures.items()
        )
        print(f"{loop_name:12} {line}")  # noqa: T201


if __name__ == "__main__":
    main()
