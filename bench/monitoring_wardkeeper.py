"""The Wardkeeper side of bench/monitoring.py, run as child processes whose
environment names a temporary SQLite data directory:

    prepare  migrate, and create one Check per target (setup, not measured)
    run      one engine process probing the checks of the given kinds, its
             results stored like the product stores them; prints its figures

The real engine (``wardkeeper.monitoring.engine.scheduler.Engine``) and probes
are used when they import; otherwise the bench's stand-in (monitoring_standin)
and the figures say so.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import os
import sys
import threading
import time
from pathlib import Path
from typing import Any

MARK = "BENCH-RESULT "


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wardkeeper.settings")
    import django

    django.setup()


def ensure_tables() -> str:
    """Monitoring's tables: by its migrations, or built from the models while
    it has none (as pytest --no-migrations does)."""
    from django.apps import apps
    from django.db import connection

    if "monitoring_check" in connection.introspection.table_names():
        return "migrations"
    models = list(apps.get_app_config("monitoring").get_models())
    models.sort(key=lambda model: model.__name__ not in {"CheckTemplate", "Check"})
    with connection.schema_editor() as editor:
        for model in models:
            editor.create_model(model)
    return "built from the models (monitoring has no migrations yet)"


def prepare(targets_path: Path) -> None:
    setup_django()
    from django.core.management import call_command

    from wardkeeper.monitoring.models import Check

    try:
        call_command("migrate", interactive=False, verbosity=0)
    except LookupError:
        # The roles name monitoring's permissions, which exist only once the
        # app has migrations: make every app's permissions, then the roles.
        from django.apps import apps
        from django.contrib.auth.management import create_permissions

        from wardkeeper.core.roles import sync_roles

        for app_config in apps.get_app_configs():
            create_permissions(app_config, verbosity=0)
        sync_roles()
    tables = ensure_tables()
    targets = json.loads(targets_path.read_text())
    rows = [
        Check(
            name=f"bench {target['kind']} {target['host']}",
            host=target["host"],
            kind=target["kind"],
            params=target["params"],
            interval=target["interval"],
            timeout=target["timeout"],
            confirm_down=3,
            confirm_up=2,
        )
        for target in targets
    ]
    # Setup only: a bench fixture written in bulk, without audit entries.
    Check.objects.bulk_create(rows, batch_size=2000)
    print(MARK + json.dumps({"checks": len(rows), "tables": tables}), flush=True)


# --- the measured run ------------------------------------------------------


def choose_engine() -> tuple[Any, dict[str, Any] | None, str]:
    """(Engine class, probes for a stand-in engine or None, description)."""
    from wardkeeper.monitoring.engine import probes

    real_probes = probes.load_all()
    try:
        from wardkeeper.monitoring.engine.scheduler import Engine

        kinds = ", ".join(
            sorted(k for k in real_probes if k in {"tcp", "http", "icmp"})
        )
        return Engine, None, f"real engine (probes: {kinds or 'none'})"
    except ImportError:
        from monitoring_standin import STANDIN_PROBES, StandInEngine

        chosen = dict(STANDIN_PROBES)
        real = sorted(kind for kind in chosen if kind in real_probes)
        chosen.update({kind: real_probes[kind] for kind in real})
        note = f"real probes: {', '.join(real)}" if real else "stand-in probes"
        return StandInEngine, chosen, f"BENCH STAND-IN engine ({note})"


def make_sink() -> tuple[Any, str]:
    """Store results as the product does (services.state.record), or, while
    that service is missing, bulk-insert Result rows through the ORM."""
    try:
        from wardkeeper.monitoring.services.state import record

        def store(batch: list[Any]) -> None:
            record(batch)

        how = "services.state.record (state, alerts, results)"
    except ImportError:
        from wardkeeper.monitoring.models import Result as ResultRow

        utc = dt.UTC

        def store(batch: list[Any]) -> None:
            ResultRow.objects.bulk_create(
                [
                    ResultRow(
                        source_id=result.check_id,
                        at=dt.datetime.fromtimestamp(result.at, utc),
                        status=str(result.outcome.status),
                        latency_ms=result.outcome.latency_ms,
                        reason=result.outcome.reason[:40],
                        message=result.outcome.message[:500],
                        values=result.outcome.values,
                    )
                    for result in batch
                ]
            )

        how = "bulk insert of Result rows via the ORM (services.state.record missing)"

    from concurrent.futures import ThreadPoolExecutor

    writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="bench-sink")

    async def sink(batch: list[Any]) -> None:
        await asyncio.get_running_loop().run_in_executor(writer, store, batch)

    return sink, how


def stat(stats: Any, *names: str) -> Any:
    for name in names:
        value = (
            stats.get(name) if isinstance(stats, dict) else getattr(stats, name, None)
        )
        if callable(value):
            value = value()
        if value is not None:
            return value
    return None


def lag_figures(stats: Any) -> tuple[float | None, float | None]:
    """p50/p99 of schedule lag in seconds, whatever shape engine.stats has."""
    p50 = stat(stats, "lag_p50", "p50")
    p99 = stat(stats, "lag_p99", "p99")
    if p50 is None and hasattr(stats, "lag_percentile"):
        p50, p99 = stats.lag_percentile(50), stats.lag_percentile(99)
    if p50 is None:
        samples = stat(stats, "lags", "lag_samples", "lag")
        if samples:
            ordered = sorted(samples)
            p50 = ordered[int(0.5 * (len(ordered) - 1))]
            p99 = ordered[int(0.99 * (len(ordered) - 1))]
    return p50, p99


def peak_rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def thread_cpu() -> dict[str, float]:
    """CPU seconds so far of each of this process's threads, by name (the
    loop's is the main thread's; the results writer's is its own)."""
    ticks = os.sysconf("SC_CLK_TCK")
    names = {thread.native_id: thread.name for thread in threading.enumerate()}
    seconds: dict[str, float] = {}
    for task in Path("/proc/self/task").iterdir():
        name = names.get(int(task.name), "other")
        try:
            fields = (task / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # the thread ended
        used = (int(fields[11]) + int(fields[12])) / ticks
        seconds[name] = seconds.get(name, 0.0) + used
    return seconds


async def measure(
    engine: Any, run_until: Any, warmup: float, duration: float
) -> dict[str, Any]:
    stop = asyncio.Event()
    runner = asyncio.ensure_future(run_until(stop))
    await asyncio.sleep(warmup)
    threads0 = thread_cpu()
    cpu0, wall0 = time.process_time(), time.monotonic()
    done0 = stat(engine.stats, "checks_done") or 0
    await asyncio.sleep(duration)
    done1 = stat(engine.stats, "checks_done") or 0
    threads1 = thread_cpu()
    stop.set()
    await asyncio.wait_for(runner, 60)
    cpu1, wall1 = time.process_time(), time.monotonic()
    p50, p99 = lag_figures(engine.stats)
    extra = {
        name: stat(engine.stats, name)
        for name in ("timeouts", "errors", "skipped", "dropped", "sink_failures")
    }
    checks = done1 - done0
    return {
        "checks": checks,
        "cpu_s": cpu1 - cpu0,
        "wall_s": wall1 - wall0,
        "cpu_ms_per_check": (cpu1 - cpu0) * 1000 / checks if checks else None,
        "threads_ms_per_check": {
            name: round((used - threads0.get(name, 0.0)) * 1000 / checks, 4)
            for name, used in threads1.items()
            if checks and used - threads0.get(name, 0.0) > 0.05
        },
        "lag_p50": p50,
        "lag_p99": p99,
        **extra,
    }


def build(
    kinds: list[str], store: str, preloaded: list[Any]
) -> tuple[Any, Any, dict[str, str]]:
    """(engine, coroutine function running it until stop, notes): the product's
    monitor (runner.Monitor: engine + services.state.Recorder) when present.
    ``store`` "none": the same engine with a sink that drops the results (the
    engine and probes alone, to split the cost)."""
    from wardkeeper.monitoring.engine.spec import CheckSpec
    from wardkeeper.monitoring.models import Check

    try:
        if store == "none":
            from wardkeeper.monitoring.engine.scheduler import Engine

            async def drop(_batch: list[Any]) -> None:
                return None

            engine = Engine(drop)
            engine.set_checks(preloaded)
            return (
                engine,
                engine.run,
                {"engine": "product engine alone", "sink": "nothing (results dropped)"},
            )
        from wardkeeper.monitoring.runner import Monitor
        from wardkeeper.monitoring.services.specs import SpecLoader

        loader = SpecLoader()
        monitor = Monitor(load=lambda: [s for s in loader() if s.kind in kinds])
        from wardkeeper.monitoring.engine.probes import PROBES

        wanted = ", ".join(sorted(k for k in PROBES if k in kinds))
        return (
            monitor.engine,
            monitor.run,
            {
                "engine": f"product monitor (runner.Monitor; probes: {wanted})",
                "sink": "services.state.Recorder (state, outages, alerts, results)",
            },
        )
    except ImportError:
        pass
    specs = [
        CheckSpec(
            id=row.id,
            kind=row.kind,
            host=row.host,
            params=row.params,
            interval=float(row.interval),
            timeout=float(row.timeout),
            confirm_down=row.confirm_down,
            confirm_up=row.confirm_up,
        )
        for row in Check.objects.filter(kind__in=kinds)
    ]
    engine_class, standin_probes, engine_note = choose_engine()
    sink, sink_note = make_sink()
    options = {"probes": standin_probes} if standin_probes is not None else {}
    engine = engine_class(sink, **options)
    engine.set_checks(specs)
    return engine, engine.run, {"engine": engine_note, "sink": sink_note}


def run(
    kinds: list[str],
    warmup: float,
    duration: float,
    loop: str,
    store: str,
    profile: str,
) -> None:
    setup_django()
    from django.db.models import Count, Max

    from wardkeeper.monitoring.models import Result as ResultRow

    last_id = ResultRow.objects.aggregate(last=Max("id"))["last"] or 0
    preloaded: list[Any] = []
    if store == "none":  # loaded here: the ORM may not run inside the loop
        from wardkeeper.monitoring.services.specs import load_specs

        preloaded = [spec for spec in load_specs() if spec.kind in kinds]
    runner: Any = asyncio.run
    if loop == "uvloop":
        try:
            import uvloop

            runner = uvloop.run
        except ImportError:
            loop = "asyncio (uvloop not installed)"

    async def main() -> dict[str, Any]:
        engine, run_until, notes = build(kinds, store, preloaded)
        figures = await measure(engine, run_until, warmup, duration)
        figures.update(notes)
        return figures

    # The product's monitor process tunes the collector before it starts
    # (Monitor.run_forever → engine.run.tune_gc); so does the bench.
    from wardkeeper.monitoring.engine.run import tune_gc

    tune_gc()
    if profile:
        import cProfile

        profiler = cProfile.Profile(
            time.thread_time
        )  # the loop thread's CPU, not wall time
        figures = profiler.runcall(runner, main())
        profiler.dump_stats(profile)
    else:
        figures = runner(main())
    new_rows = ResultRow.objects.filter(id__gt=last_id)
    by_status = dict(new_rows.values_list("status").annotate(n=Count("id")).order_by())
    figures.update(
        loop=loop,
        stored=sum(by_status.values()),
        stored_by_status=by_status,
        peak_rss_mb=peak_rss_mb(),
    )
    print(MARK + json.dumps(figures), flush=True)


def main() -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    mode = sys.argv[1]
    if mode == "prepare":
        prepare(Path(sys.argv[2]))
    else:
        kinds, warmup, duration = sys.argv[2].split(","), *map(float, sys.argv[3:5])
        run(
            kinds,
            warmup,
            duration,
            sys.argv[5],
            sys.argv[6],
            sys.argv[7] if len(sys.argv) > 7 else "",
        )


if __name__ == "__main__":
    main()
