"""Network benchmark: prints figures, never passes or fails.

With 2,000 switches, 100,000 interfaces and 100,000 cables on one campus it
measures, on SQLite and on PostgreSQL:
  (a) the time to build the campus's topology as the topology API answers it
      (``network.services.topology.build(site).as_json()``, min and median),
  (b) p50/p95 of a cable trace (``network.services.trace.trace``) from an
      outlet cross-connected through two patch panels to its switch port,
  (c) p50/p95 of the interface list API (first page, and one device's
      interfaces) over a real server, signed in as a network engineer.

    python bench/network.py [--db sqlite|postgres|both] [--quick]

Each database runs in a child process (settings are read once per process):
a fresh temporary data directory for SQLite, a dropped and recreated database
(default ``wk_bench_net``) for PostgreSQL. The site is bulk-written without
audit entries (bench/network_fixture.py). Only 127.0.0.1 is contacted.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

MARK = "BENCH-RESULT "
DEFAULT_PG = "postgres://postgres@127.0.0.1:5432/wk_bench_net"
# (key, label, unit, aim)
FIGURES = (
    ("topology_min", "campus topology ({n} switches), min", "s", "< 3 s"),
    ("topology_median", "campus topology, median", "s", ""),
    ("building_min", "one building's topology, min", "s", ""),
    ("building_median", "one building's topology, median", "s", ""),
    ("trace_p50", "trace outlet → switch port (2 panels) p50", "ms", "< 50 ms"),
    ("trace_p95", "trace p95", "ms", ""),
    ("api_p50", "interface list API p50 (first page)", "ms", "< 100 ms"),
    ("api_p95", "interface list API p95", "ms", ""),
    ("api_device_p50", "interface list API p50 (?device=)", "ms", "< 100 ms"),
    ("api_device_p95", "interface list API p95 (?device=)", "ms", ""),
    ("load", "bulk-load the site (setup)", "s", ""),
)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument(
        "--quick", action="store_true", help="a tenth of the size (200 switches)"
    )
    parser.add_argument("--runs", type=int, default=3, help="topology runs")
    parser.add_argument("--traces", type=int, default=200)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--pg-url", default=DEFAULT_PG)
    parser.add_argument("--keep", action="store_true", help="keep the data dirs")
    parser.add_argument(
        "--child", choices=["sqlite", "postgres"], help=argparse.SUPPRESS
    )
    return parser.parse_args()


def run_child(db: str, args: argparse.Namespace) -> dict[str, Any]:
    from inventory import run_in_child

    options = [
        *(["--quick"] if args.quick else []),
        *("--runs", str(args.runs), "--traces", str(args.traces)),
        *("--requests", str(args.requests)),
    ]
    return run_in_child(__file__, db, options, args.pg_url, keep=args.keep)


def cell(value: Any, unit: str) -> str:
    if value is None:
        return "—"
    if isinstance(value, str):
        return value
    return f"{float(value):.2f} {unit}" if unit == "s" else f"{float(value):.1f} {unit}"


def print_table(results: dict[str, dict[str, Any]], switches: int) -> None:
    names = {"sqlite": "SQLite", "postgres": "PostgreSQL"}
    rows = [["", *(names[db] for db in results), "aim"]]
    for key, label, unit, aim in FIGURES:
        rows.append(
            [
                label.format(n=f"{switches:,}"),
                *(cell(res.get(key), unit) for res in results.values()),
                aim,
            ]
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    print(
        f"\nWardkeeper network benchmark: {switches:,} switches, "
        f"{switches * 50:,} interfaces, {switches * 50:,} cables"
    )
    for row in rows:
        print("  ".join(c.ljust(widths[i]) for i, c in enumerate(row)).rstrip())
    for db, res in results.items():
        for note in res.get("notes", []):
            print(f"note ({names[db]}): {note}")
        if "error" in res:
            print(f"error ({names[db]}): {res['error']}")


def main() -> None:
    args = parse_args()
    scale = 0.1 if args.quick else 1.0
    if args.child:
        from network_child import measure

        figures = measure(args.child, scale, args.runs, args.traces, args.requests)
        print(MARK + json.dumps(figures), flush=True)
        return
    dbs = ["sqlite", "postgres"] if args.db == "both" else [args.db]
    results = {db: run_child(db, args) for db in dbs}
    print_table(results, round(2000 * scale))


if __name__ == "__main__":
    main()
