"""Import benchmark: prints figures, never passes or fails.

Times ``run_import`` (the function behind the import page, the API and the
``import`` command) on files of ``--rows`` rows (default 10,000), on SQLite and
PostgreSQL: zones created, the same zones changed (a new description each),
and assets created on the demo hospital's structure. With ``--demo`` it also
times building the demo hospital (what ``wardkeeper demo`` does) on SQLite.
Each figure shows the wall time, rows per second, the CPU time of this
process (the database server's own CPU is not in it) and the part of that CPU
spent recording the audit trail.

    python bench/transfer_import.py [--rows 10000] [--db sqlite|postgres|both] [--demo]

Each database runs in a child process with a fresh data directory (and, for
PostgreSQL, the database ``--pg-url``, default ``wk_bench_import``, dropped and
recreated), as bench/inventory.py does. See bench/README.md.
"""

from __future__ import annotations

import argparse
import csv
import functools
import json
import os
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

from inventory import MARK, run_in_child  # noqa: E402

DEFAULT_PG = "postgres://postgres@127.0.0.1:5432/wk_bench_import"
Figures = dict[str, Any]


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--demo", action="store_true", help="also build the demo")
    parser.add_argument("--pg-url", default=DEFAULT_PG)
    parser.add_argument(
        "--child", choices=["sqlite", "postgres"], help=argparse.SUPPRESS
    )
    parser.add_argument("--part", choices=["import", "demo"], help=argparse.SUPPRESS)
    return parser.parse_args()


class AuditClock:
    """CPU seconds spent inside the audit's recording functions (outermost
    call only, so nested calls are not counted twice)."""

    def __init__(self) -> None:
        self.seconds = 0.0
        self.depth = 0

    def wrap(self, owner: Any, name: str) -> None:
        original = getattr(owner, name, None)
        if original is None:
            return

        @functools.wraps(original)
        def timed(*args: Any, **kwargs: Any) -> Any:
            self.depth += 1
            started = time.process_time()
            try:
                return original(*args, **kwargs)
            finally:
                self.depth -= 1
                if self.depth == 0:
                    self.seconds += time.process_time() - started

        setattr(owner, name, timed)


def install_audit_clock() -> AuditClock:
    from wardkeeper.core import audit
    from wardkeeper.inventory.demo import writer
    from wardkeeper.inventory.transfer import engine

    clock = AuditClock()
    for name in ("append", "append_events", "record_created", "build_entry"):
        clock.wrap(audit, name)
    # The engine's and the demo writer's own audit steps (whichever exist).
    for name in ("entries_for", "record_audit"):
        clock.wrap(engine, name)
    clock.wrap(writer, "audit_created")
    return clock


@contextmanager
def measured(
    figures: Figures, key: str, rows: int, clock: AuditClock
) -> Iterator[None]:
    audit_before = clock.seconds
    wall, cpu = time.perf_counter(), time.process_time()
    yield
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    figures[key] = {
        "rows": rows,
        "wall": wall,
        "cpu": cpu,
        "audit_cpu": clock.seconds - audit_before,
        "rows_per_s": rows / wall if wall else None,
    }


def write_zones(path: Path, rows: int, description: str) -> None:
    kinds = ["clinical", "guest", "medical", "management", "servers", "other"]
    with path.open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(["name", "kind", "criticality", "colour", "description"])
        for n in range(rows):
            out.writerow(
                [
                    f"Zone {n:05d}",
                    kinds[n % len(kinds)],
                    ["normal", "high", "critical"][n % 3],
                    f"#{(n * 2654435761) % 0xFFFFFF:06x}",
                    f"{description} {n}",
                ]
            )


def import_file(kind: str, path: Path, figures: Figures, key: str, rows: int) -> None:
    from wardkeeper.inventory.transfer import run_import

    clock: AuditClock = figures["_clock"]
    with measured(figures, key, rows, clock):
        report = run_import(kind, path, filename=path.name, dry_run=False, actor=None)
    if not report.ok:
        figures["notes"].append(f"{key} refused: {report.errors[:3]}")
    figures["notes"].append(
        f"{key}: {report.created} created, {report.updated} updated"
    )


def measure_imports(rows: int, data_dir: Path) -> Figures:
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    figures: Figures = {"notes": [], "_clock": install_audit_clock()}
    zones = data_dir / "zones.csv"
    write_zones(zones, rows, "Imported zone")
    import_file("zones", zones, figures, "zones_created", rows)
    write_zones(zones, rows, "Changed zone")
    import_file("zones", zones, figures, "zones_updated", rows)

    from inventory_child import load_structure, write_csv

    from wardkeeper.inventory.transfer import template_header

    plan, _places = load_structure(rows)
    assets = data_dir / "assets.csv"
    write_csv(plan, assets, template_header("assets"))
    import_file("assets", assets, figures, "assets_created", len(plan.assets))
    verify(figures)
    return figures


def measure_demo() -> Figures:
    from django.core.management import call_command

    from wardkeeper.core.models import AuditEntry
    from wardkeeper.inventory.demo import build_demo

    call_command("migrate", interactive=False, verbosity=0)
    figures: Figures = {"notes": [], "_clock": install_audit_clock()}
    before = AuditEntry.objects.count()
    with measured(figures, "demo", 0, figures["_clock"]):
        result = build_demo(accounts=True)
    entries = AuditEntry.objects.count() - before
    figures["demo"]["rows"] = entries
    figures["demo"]["rows_per_s"] = None
    figures["notes"].append(
        f"demo: {entries} audit entries, {result.counts.get('assets')} assets"
    )
    verify(figures)
    return figures


def verify(figures: Figures) -> None:
    from wardkeeper.core.auditing.chain import verify_chain

    result = verify_chain()
    figures["notes"].append(
        f"audit verify: {'intact' if result.intact else 'BROKEN'}, "
        f"{result.checked} entries"
    )


def child(args: argparse.Namespace) -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wardkeeper.settings")
    django.setup()
    from django.conf import settings

    run: Callable[[], Figures] = (
        measure_demo
        if args.part == "demo"
        else functools.partial(measure_imports, args.rows, Path(settings.DATA_DIR))
    )
    figures = run()
    figures.pop("_clock", None)
    print(MARK + json.dumps(figures), flush=True)


LABELS = {
    "zones_created": "import {rows} zones (created)",
    "zones_updated": "import {rows} zones (each changed)",
    "assets_created": "import {rows} assets (created)",
    "demo": "build the demo hospital ({rows} audit entries)",
}


def report(db: str, figures: Figures) -> None:
    if "error" in figures:
        print(f"{db}: {figures['error']}")
        return
    for key, label in LABELS.items():
        figure = figures.get(key)
        if not figure:
            continue
        speed = figure["rows_per_s"]
        title = label.format(rows=f"{figure['rows']:,}")
        print(
            f"{db:<10} {title:<48} "
            f"wall {figure['wall']:6.2f} s  CPU {figure['cpu']:6.2f} s  "
            f"audit CPU {figure['audit_cpu']:5.2f} s"
            + (f"  {speed:8,.0f} rows/s" if speed else "")
        )
    for note in figures.get("notes", []):
        print(f"{db:<10}   {note}")


def main() -> None:
    args = parse_args()
    if args.child:
        child(args)
        return
    dbs = ["sqlite", "postgres"] if args.db == "both" else [args.db]
    for db in dbs:
        options = ["--rows", str(args.rows), "--part", "import"]
        report(db, run_in_child(__file__, db, options, args.pg_url))
    if args.demo:
        report("sqlite", run_in_child(__file__, "sqlite", ["--part", "demo"], ""))


if __name__ == "__main__":
    main()
