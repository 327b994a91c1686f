"""The scheduler: spreading, limits, timeouts, live changes."""

from __future__ import annotations

import asyncio
import itertools
from collections import Counter

from tests.monitoring.engine.harness import Concurrency, run_engine, specs, up
from wardkeeper.monitoring.engine import run as runner
from wardkeeper.monitoring.engine.scheduler import Engine, phase
from wardkeeper.monitoring.engine.spec import CheckSpec, Outcome, Status


def test_phases_of_consecutive_ids_fill_the_interval_evenly():
    bins = Counter(int(phase(i) * 20) for i in range(1, 2001))
    assert set(bins) == set(range(20))
    assert max(bins.values()) - min(bins.values()) <= 4


def test_each_check_runs_once_per_interval_at_its_own_phase():
    engine, results = run_engine(specs(200, interval=1.0), 2.05)
    runs: dict[int, list[float]] = {}
    for result in results:
        runs.setdefault(result.check_id, []).append(result.at)
    assert len(runs) == 200
    for ats in runs.values():
        assert len(ats) >= 2
        # Tolerances leave room for a loaded machine (the suite runs beside
        # browser tests); the bench measures the lag properly.
        assert all(abs(b - a - 1.0) < 0.1 for a, b in itertools.pairwise(ats))
    for result in results:
        offset = (result.at % 1.0 - phase(result.check_id)) % 1.0
        assert min(offset, 1.0 - offset) < 0.15
    # Spread: no tenth of the interval starts more than twice its share.
    tenths = Counter(int(r.at % 1.0 * 10) for r in results)
    assert max(tenths.values()) <= 2 * len(results) / 10
    assert engine.stats.lag_p99 < 0.25


def test_global_concurrency_limit_holds_and_is_used():
    seen = Concurrency()
    engine, results = run_engine(
        specs(100, kind="busy", interval=0.5),
        1.2,
        probes={"busy": seen.probe(0.1)},
        concurrency=5,
    )
    assert seen.peak == 5
    assert engine.stats.checks_done == len(results) > 0


def test_per_host_limit_keeps_a_fragile_device_to_two_at_once():
    seen = Concurrency()
    checks = specs(12, kind="busy", host="ct-scanner", interval=0.5)
    checks += [
        CheckSpec(id=100 + i, kind="busy", host=f"pc{i}", interval=0.5)
        for i in range(12)
    ]
    run_engine(checks, 1.2, probes={"busy": seen.probe(0.1)}, per_host=2)
    assert seen.peak_per_host["ct-scanner"] == 2
    assert seen.peak > 2  # other hosts were not held back


def test_min_gap_spaces_starts_on_one_host():
    seen = Concurrency()
    run_engine(
        specs(6, kind="busy", host="infusion-pump", interval=1.0),
        1.5,
        probes={"busy": seen.probe(0.0)},
        per_host=6,
        min_host_gap=0.1,
    )
    starts = sorted(at for host, at in seen.starts if host == "infusion-pump")
    assert len(starts) >= 6
    gaps = [b - a for a, b in itertools.pairwise(starts)]
    assert min(gaps) >= 0.095


def test_a_hanging_target_times_out_without_delaying_a_fast_check():
    async def hang(spec: CheckSpec) -> Outcome:
        await asyncio.Event().wait()
        raise AssertionError("unreachable")

    hanging = [
        CheckSpec(id=i, kind="hang", host=f"pacs{i}", interval=0.5, timeout=0.3)
        for i in range(1, 51)
    ]
    fast = CheckSpec(id=999, kind="up", host="lab", interval=0.1)
    _, results = run_engine([*hanging, fast], 1.5, probes={"hang": hang, "up": up})
    timeouts = [r for r in results if r.check_id != 999]
    assert timeouts
    assert {(r.outcome.status, r.outcome.reason) for r in timeouts} == {
        (Status.DOWN, "timeout")
    }
    fast_lags = [r.lag for r in results if r.check_id == 999]
    assert len(fast_lags) >= 13
    assert max(fast_lags) < 0.2  # far below the hanging checks' 0.3 s timeout


def test_a_probe_that_raises_is_down_with_its_message_and_unknown_kinds_are_unknown():
    async def broken(spec: CheckSpec) -> Outcome:
        raise ConnectionRefusedError("port 104 refused")

    checks = [
        CheckSpec(id=1, kind="broken", host="a", interval=0.2),
        CheckSpec(id=2, kind="carrier-pigeon", host="b", interval=0.2),
    ]
    engine, results = run_engine(checks, 0.3, probes={"broken": broken})
    by_id = {r.check_id: r.outcome for r in results}
    assert by_id[1].status == Status.DOWN
    assert by_id[1].reason == "error"
    assert "port 104 refused" in by_id[1].message
    assert (by_id[2].status, by_id[2].reason) == (Status.UNKNOWN, "no-probe")
    assert engine.stats.errors >= 1


def test_a_run_still_going_is_not_started_again():
    seen = Concurrency()
    engine, results = run_engine(
        [CheckSpec(id=1, kind="busy", host="x", interval=0.1, timeout=1.0)],
        1.0,
        probes={"busy": seen.probe(0.25)},
    )
    assert seen.peak == 1
    assert 3 <= len(results) <= 4
    assert engine.stats.skipped >= 5


def test_set_checks_while_running_adds_removes_and_changes_without_disturbing_others():
    async def change(engine: Engine) -> None:
        await asyncio.sleep(0.75)
        engine.set_checks(
            [
                CheckSpec(
                    id=2, kind="up", host="b", interval=0.25, params={"tag": "new"}
                ),
                CheckSpec(id=3, kind="up", host="c", interval=0.25),
            ]
        )

    checks = [
        CheckSpec(id=1, kind="up", host="a", interval=0.25),
        CheckSpec(id=2, kind="up", host="b", interval=0.25, params={"tag": "old"}),
    ]
    _, results = run_engine(checks, 1.5, during=change)
    change_at = min(r.at for r in results if r.check_id == 3) - 0.25
    assert max(r.at for r in results if r.check_id == 1) < change_at + 0.25
    two = [r for r in results if r.check_id == 2]
    gaps = [b.at - a.at for a, b in itertools.pairwise(two)]
    assert all(abs(gap - 0.25) < 0.1 for gap in gaps)  # kept its rhythm
    assert [r.outcome.message for r in two][-1] == "new"
    assert "old" in [r.outcome.message for r in two]
    assert sum(1 for r in results if r.check_id == 3) >= 2


def test_it_runs_on_uvloop_when_installed():
    loop_module = runner.loop_factory(True).__module__
    done = []

    async def main() -> None:
        async def sink(batch):
            done.extend(batch)

        engine = Engine(sink, probes={"up": up}, flush_interval=0.05)
        engine.set_checks(specs(20, interval=0.2))
        stop = asyncio.Event()
        asyncio.get_running_loop().call_later(0.5, stop.set)
        await engine.run(stop)
        done.append(type(asyncio.get_running_loop()).__module__)

    runner.run(main())
    assert done[-1].split(".")[0] == loop_module.split(".")[0]
    assert len(done) > 20
