"""Inventory benchmark: prints figures, never passes or fails.

With 100,000 assets loaded it measures, on SQLite and on PostgreSQL:
  (a) p50/p95 of the filtered asset list API (50 per page) over a real server,
  (b) p50/p95 of the asset list page,
  (c) the time to import 100,000 asset rows from a CSV file,
  (d) the time to reconcile a 100,000-scan stocktake.

    python bench/inventory.py [--assets 100000] [--db sqlite|postgres|both]

Each database runs in a child process of this script (settings are read once
per process): a fresh temporary data directory for SQLite, a dropped and
recreated database (default ``wk_bench``) for PostgreSQL. Everything talks to
127.0.0.1 only. See bench/README.md.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

MARK = "BENCH-RESULT "
DEFAULT_PG = "postgres://postgres@127.0.0.1:5432/wk_bench"
# (key, label, unit, aim)
FIGURES = (
    ("api_p50", "asset list API p50 (50 per page)", "ms", "< 30 ms"),
    ("api_p95", "asset list API p95", "ms", ""),
    ("page_p50", "asset list page p50", "ms", ""),
    ("page_p95", "asset list page p95", "ms", ""),
    ("import", "import {n} asset rows (CSV)", "s", "< 60 s"),
    ("scans", "record {n} stocktake scans", "s", ""),
    ("reconcile", "reconcile {n}-scan stocktake", "s", "< 5 s"),
    ("load", "load {n} assets (setup)", "s", ""),
)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--assets", type=int, default=100_000)
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--pg-url", default=DEFAULT_PG)
    parser.add_argument("--keep", action="store_true", help="keep the data dirs")
    parser.add_argument(
        "--child", choices=["sqlite", "postgres"], help=argparse.SUPPRESS
    )
    return parser.parse_args()


def recreate_pg_database(url: str) -> None:
    """Drop and create the benchmark's own database (never another one)."""
    import psycopg

    base, _sep, name = url.rpartition("/")
    if not name.startswith("wk_bench"):
        raise SystemExit(
            f"refusing to drop {name!r}: the bench database name starts with wk_bench"
        )
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def run_child(db: str, args: argparse.Namespace) -> dict[str, object]:
    """Run one database's measurements in a fresh process; return its figures."""
    options = ["--assets", str(args.assets), "--requests", str(args.requests)]
    return run_in_child(__file__, db, options, args.pg_url, keep=args.keep)


def run_in_child(
    script: str,
    db: str,
    options: list[str],
    pg_url: str,
    *,
    keep: bool = False,
    env_extra: dict[str, str] | None = None,
) -> dict[str, object]:
    """Run ``script --child db options`` in a fresh process with a fresh
    data directory (and, for PostgreSQL, a recreated bench database); return
    the figures it prints after MARK. Shared by the benchmarks."""
    data_dir = Path(tempfile.mkdtemp(prefix=f"wk-bench-{Path(script).stem}-{db}-"))
    env = {k: v for k, v in os.environ.items() if not k.startswith("WARDKEEPER_")}
    env["WARDKEEPER_DATA_DIR"] = str(data_dir)
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT / "src"), env.get("PYTHONPATH", "")])
    # The web server alone is measured: no background worker or monitor beside it.
    env["WARDKEEPER_WORKER"] = env["WARDKEEPER_MONITOR"] = "external"
    env.update(env_extra or {})
    if db == "postgres":
        recreate_pg_database(pg_url)
        env["WARDKEEPER_DATABASE_URL"] = pg_url
    command = [sys.executable, script, "--child", db, *options]
    print(f"== {db}: data in {data_dir}", file=sys.stderr, flush=True)
    result = subprocess.run(
        command, env=env, stdout=subprocess.PIPE, text=True, check=False
    )
    if not keep:
        shutil.rmtree(data_dir, ignore_errors=True)
    for line in result.stdout.splitlines():
        if line.startswith(MARK):
            return dict(json.loads(line[len(MARK) :]))
    return {"error": f"the {db} run exited with {result.returncode}", "notes": []}


def cell(value: object, unit: str) -> str:
    if value is None:
        return "—"
    if isinstance(value, str):
        return value
    number = float(value)  # type: ignore[arg-type]
    return f"{number:.1f} {unit}" if number < 100 else f"{number:.0f} {unit}"


def print_table(results: dict[str, dict[str, object]], assets: int) -> None:
    names = {"sqlite": "SQLite", "postgres": "PostgreSQL"}
    header = ["", *(names[db] for db in results), "aim"]
    rows = [header]
    for key, label, unit, aim in FIGURES:
        rows.append(
            [
                label.format(n=f"{assets:,}"),
                *(cell(res.get(key), unit) for res in results.values()),
                aim,
            ]
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    print(f"\nWardkeeper inventory benchmark: {assets:,} assets")
    for row in rows:
        print("  ".join(c.ljust(widths[i]) for i, c in enumerate(row)).rstrip())
    for db, res in results.items():
        for note in res.get("notes", []):  # type: ignore[union-attr]
            print(f"note ({names[db]}): {note}")
        if "error" in res:
            print(f"error ({names[db]}): {res['error']}")


def main() -> None:
    args = parse_args()
    if args.child:
        from inventory_child import measure

        print(
            MARK + json.dumps(measure(args.child, args.assets, args.requests)),
            flush=True,
        )
        return
    dbs = ["sqlite", "postgres"] if args.db == "both" else [args.db]
    results = {db: run_child(db, args) for db in dbs}
    print_table(results, args.assets)


if __name__ == "__main__":
    main()
