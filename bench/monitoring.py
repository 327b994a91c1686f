"""Monitoring benchmark: prints figures, never passes or fails.

N loopback targets (TCP and HTTP, addresses 127.1.x.y served by two
listening sockets in a separate process) are probed at one interval, in turn
by Wardkeeper's engine (one process, results stored in SQLite like the
product stores them) and by Prometheus + blackbox_exporter (Debian packages);
then the same hosts are pinged by the engine's ICMP probe and by one fping
process. For each side: checks done, CPU-ms per check, p50/p99 schedule lag
and peak memory, with the ratios against the aims.

    python bench/monitoring.py                  # 20,000 targets, 30 s, 120 s
    python bench/monitoring.py --quick          # 2,000 targets, 30 s window
    python bench/monitoring.py --targets 5000 --kinds tcp,http --only wardkeeper

Run as root (ICMP: net.ipv4.ping_group_range forbids unprivileged echo
sockets here). Only 127.0.0.0/8 is contacted. See bench/README.md.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
sys.path.insert(0, str(BENCH))

from monitoring_prometheus import run_fping, run_reference, status_kb  # noqa: E402

MARK = "BENCH-RESULT "
SIDES = ("wardkeeper", "prometheus", "icmp")
AIM_CPU_RATIO = 0.35
AIM_P99_LAG = 1.0
AIM_ICMP_RATIO = 2.0


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--targets", type=int, default=20_000)
    parser.add_argument("--interval", type=int, default=30, help="seconds")
    parser.add_argument("--duration", type=float, default=120, help="measured s")
    parser.add_argument("--icmp-duration", type=float, default=60)
    parser.add_argument(
        "--warmup",
        type=float,
        default=None,
        help="seconds before the window (default: interval + 5, so the first "
        "round's state changes and their audit entries are left out)",
    )
    parser.add_argument("--kinds", default="tcp,http,icmp")
    parser.add_argument("--only", default=",".join(SIDES), help="sides to run")
    parser.add_argument("--quick", action="store_true", help="2,000 targets, 30 s")
    parser.add_argument("--profile", default="", help="cProfile file of the engine")
    parser.add_argument("--loop", choices=["uvloop", "asyncio"], default="uvloop")
    parser.add_argument(
        "--store",
        choices=["product", "none"],
        default="product",
        help="none: the engine alone, results dropped (to split the cost)",
    )
    parser.add_argument("--keep", action="store_true", help="keep the temp dir")
    args = parser.parse_args()
    if args.quick:
        args.targets, args.duration, args.icmp_duration = 2_000, 30, 30
    if args.warmup is None:
        args.warmup = args.interval + 5
    return args


def address(index: int) -> str:
    """127.1.0.1, 127.1.0.2 … (no .0 or .255 in the last two bytes)."""
    return f"127.{1 + index // 64516}.{(index // 254) % 254}.{index % 254 + 1}"


def make_targets(
    args: argparse.Namespace, ports: dict[str, int]
) -> list[dict[str, Any]]:
    """TCP and HTTP targets alternate over N addresses; ICMP pings the same N."""
    kinds = [k for k in ("tcp", "http") if k in args.kinds.split(",")]
    timeout = min(10, args.interval)
    targets = []
    for index in range(args.targets):
        host = address(index)
        common = {"host": host, "interval": args.interval, "timeout": timeout}
        if kinds:
            kind = kinds[index % len(kinds)]
            port = ports[kind]
            params = (
                {"port": port} if kind == "tcp" else {"url": f"http://{host}:{port}/"}
            )
            targets.append({"kind": kind, "params": params, **common})
        if "icmp" in args.kinds.split(","):
            targets.append({"kind": "icmp", "params": {}, **common, "timeout": 2})
    return targets


def start_target_servers(
    lifetime: float,
) -> tuple[subprocess.Popen[str], dict[str, int]]:
    process = subprocess.Popen(
        [
            sys.executable,
            str(BENCH / "monitoring_targets.py"),
            "--lifetime",
            str(lifetime),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    line = process.stdout.readline().split()  # type: ignore[union-attr]
    if not line or line[0] != "READY":
        raise SystemExit("the target servers did not start")
    return process, {"tcp": int(line[1]), "http": int(line[2])}


def child_env(data_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("WARDKEEPER_")}
    env["WARDKEEPER_DATA_DIR"] = str(data_dir)
    env["WARDKEEPER_WORKER"] = "external"
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT / "src"), str(BENCH)])
    return env


def run_child(
    arguments: list[str], env: dict[str, str], limit: float
) -> dict[str, Any]:
    """Run monitoring_wardkeeper.py; return the figures it prints."""
    command = [sys.executable, str(BENCH / "monitoring_wardkeeper.py"), *arguments]
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, text=True)
    rss_peak = [0]

    def sample() -> None:  # the engine's own VmHWM is the figure; this is a check
        while process.poll() is None:
            try:
                rss_peak[0] = max(rss_peak[0], status_kb(process.pid, "VmRSS"))
            except (OSError, ValueError):
                return
            time.sleep(1)

    threading.Thread(target=sample, daemon=True).start()
    try:
        output, _ = process.communicate(timeout=limit)
    except subprocess.TimeoutExpired:
        process.kill()
        output, _ = process.communicate()
    for line in output.splitlines():
        if line.startswith(MARK):
            return json.loads(line[len(MARK) :])  # type: ignore[no-any-return]
    return {"error": f"{arguments[0]} exited with {process.returncode}"}


def run_wardkeeper(
    args: argparse.Namespace, env: dict[str, str], kinds: list[str], duration: float
) -> dict[str, Any]:
    extra = [args.profile] if args.profile else []
    print(f"== Wardkeeper engine: {','.join(kinds)}, {duration:.0f} s", file=sys.stderr)
    return run_child(
        [
            "run",
            ",".join(kinds),
            str(args.warmup),
            str(duration),
            args.loop,
            args.store,
            *extra,
        ],
        env,
        limit=duration + args.warmup + 300,
    )


def cell(value: Any, unit: str = "", digits: int = 3) -> str:
    if value is None:
        return "—"
    if isinstance(value, str):
        return value
    if isinstance(value, int):
        return f"{value:,}{unit}"
    return f"{value:.{digits}f}{unit}"


def lag_cell(figures: dict[str, Any], key: str) -> str:
    value = figures.get(key)
    return "—" if value is None else f"{value * 1000:.1f} ms"


def table(rows: list[list[str]]) -> str:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = [
        "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) for row in rows
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def side_rows(figures: dict[str, Any]) -> list[str]:
    if "error" in figures:
        return [figures["error"]] + [""] * 5
    return [
        cell(figures.get("checks")),
        cell(figures.get("cpu_ms_per_check"), " ms"),
        lag_cell(figures, "lag_p50"),
        lag_cell(figures, "lag_p99"),
        cell(figures.get("peak_rss_mb"), " MB", 0),
        cell(figures.get("cpu_s"), " s", 1),
    ]


LABELS = [
    "checks done",
    "CPU per check",
    "schedule lag p50",
    "schedule lag p99",
    "peak memory (RSS)",
    "CPU in the window",
]


def ratio(a: dict[str, Any], b: dict[str, Any]) -> float | None:
    x, y = a.get("cpu_ms_per_check"), b.get("cpu_ms_per_check")
    return x / y if x and y else None


def report(args: argparse.Namespace, results: dict[str, dict[str, Any]]) -> None:
    print(
        f"\nMonitoring bench: {args.targets:,} targets, interval {args.interval} s, "
        f"window {args.duration:.0f} s (ICMP {args.icmp_duration:.0f} s), "
        f"{os.cpu_count()} cores\n"
    )
    wk, ref = results.get("wardkeeper"), results.get("prometheus")
    if wk or ref:
        columns = [
            ("wardkeeper", "Wardkeeper engine"),
            ("prometheus", "Prometheus+blackbox"),
        ]
        present = [(k, n) for k, n in columns if k in results]
        rows = [["TCP/HTTP", *(n for _k, n in present)]]
        cols = [side_rows(results[k]) for k, _n in present]
        for i, label in enumerate(LABELS):
            rows.append([label, *(c[i] for c in cols)])
        print(table(rows))
        if ref and "scrape_p50" in ref:
            print(
                f"(Prometheus lag = scrape interval length quantile beyond {args.interval} s; "
                f"scrape duration p50 {lag_cell(ref, 'scrape_p50')}, "
                f"p99 {lag_cell(ref, 'scrape_p99')}; up {cell(ref.get('up'))})"
            )
    icmp, fping = results.get("icmp"), results.get("fping")
    if icmp or fping:
        present = [
            (k, n)
            for k, n in (("icmp", "Wardkeeper icmp"), ("fping", "fping"))
            if k in results
        ]
        rows = [["ICMP", *(n for _k, n in present)]]
        cols = [side_rows(results[k]) for k, _n in present]
        for i, label in enumerate(LABELS):
            rows.append([label.replace("checks", "echoes"), *(c[i] for c in cols)])
        print()
        print(table(rows))
    print("\nAims")
    aims = []
    if wk and ref:
        r = ratio(wk, ref)
        aims.append(
            ["CPU per check vs Prometheus+blackbox", cell(r, "x", 2), f"≤ {AIM_CPU_RATIO}x",
             "met" if r is not None and r <= AIM_CPU_RATIO else "MISSED"]
        )  # fmt: skip
    if wk and "lag_p99" in wk:
        p99 = wk.get("lag_p99")
        aims.append(
            ["engine p99 schedule lag", lag_cell(wk, "lag_p99"), f"< {AIM_P99_LAG:.0f} s",
             "met" if p99 is not None and p99 < AIM_P99_LAG else "MISSED"]
        )  # fmt: skip
    if icmp and fping:
        r = ratio(icmp, fping)
        aims.append(
            ["ICMP CPU per echo vs fping", cell(r, "x", 2), f"≤ {AIM_ICMP_RATIO:.0f}x",
             "met" if r is not None and r <= AIM_ICMP_RATIO else "MISSED"]
        )  # fmt: skip
    if aims:
        print(table([["figure", "value", "aim", ""], *aims]))
    print()
    for key in ("wardkeeper", "icmp"):
        figures = results.get(key, {})
        if "engine" in figures:
            problems = {
                k: figures[k]
                for k in ("timeouts", "errors", "skipped", "dropped", "sink_failures")
                if figures.get(k)
            }
            if figures.get("threads_ms_per_check"):
                split = ", ".join(
                    f"{name} {ms:.3f} ms"
                    for name, ms in figures["threads_ms_per_check"].items()
                )
                print(f"{key}: CPU per check by thread: {split}")
            print(
                f"{key}: {figures['engine']}; loop {figures['loop']}; "
                f"stored via {figures['sink']}: {figures['stored']:,} rows "
                f"{figures.get('stored_by_status')}; {problems or 'no errors'}"
            )
    if fping and "command" in fping:
        print(f"fping: {fping['command']}")
    if args.targets < 20_000 or args.interval != 30:
        print("(the aims are stated for 20,000 targets at a 30 s interval)")


def main() -> None:
    args = parse_args()
    only = args.only.split(",")
    kinds = args.kinds.split(",")
    probe_kinds = [k for k in kinds if k in ("tcp", "http")]
    workdir = Path(tempfile.mkdtemp(prefix="wk-bench-monitoring-"))
    lifetime = 3 * (args.duration + args.warmup) + 2 * args.icmp_duration + 900
    servers, ports = start_target_servers(lifetime)
    results: dict[str, dict[str, Any]] = {}
    try:
        targets = make_targets(args, ports)
        (workdir / "targets.json").write_text(json.dumps(targets))
        env = child_env(workdir / "data")
        if "wardkeeper" in only or ("icmp" in only and "icmp" in kinds):
            print(f"== preparing {len(targets):,} checks in {workdir}", file=sys.stderr)
            prepared = run_child(["prepare", str(workdir / "targets.json")], env, 900)
            if "error" in prepared:
                raise SystemExit(f"prepare failed: {prepared['error']}")
        if "wardkeeper" in only and probe_kinds:
            results["wardkeeper"] = run_wardkeeper(
                args, env, probe_kinds, args.duration
            )
        if "prometheus" in only and probe_kinds:
            print("== Prometheus + blackbox_exporter", file=sys.stderr)
            try:
                results["prometheus"] = run_reference(
                    workdir / "prometheus",
                    [t for t in targets if t["kind"] in probe_kinds],
                    args.interval,
                    args.warmup,
                    args.duration,
                )
            except (RuntimeError, OSError) as error:
                results["prometheus"] = {"error": f"Prometheus: {error}"}
        if "icmp" in only and "icmp" in kinds:
            results["icmp"] = run_wardkeeper(args, env, ["icmp"], args.icmp_duration)
            print("== fping", file=sys.stderr)
            hosts = [t["host"] for t in targets if t["kind"] == "icmp"]
            results["fping"] = run_fping(
                workdir / "fping", hosts, args.interval, args.icmp_duration
            )
    finally:
        servers.stdin.close()  # type: ignore[union-attr]
        try:
            servers.wait(10)
        except subprocess.TimeoutExpired:
            servers.kill()
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
    report(args, results)
    if args.keep:
        print(f"(kept {workdir})")


if __name__ == "__main__":
    main()
