"""Service-desk benchmark: prints figures, never passes or fails.

With --tickets tickets (default 1,000,000) reported over the last year it
measures, on SQLite and on PostgreSQL:
  (a) the time to compute the dashboard figures for a month and for a year
      (services.figures.compute, as the dashboard calls it; median of 3),
  (b) p50/p95 of an engineer's queue page over a real server.

    python bench/servicedesk.py [--tickets 1000000] [--db sqlite|postgres|both]

Each database runs in a child process (settings are read once per process):
a fresh temporary data directory for SQLite, a dropped and recreated database
(default ``wk_bench_desk``) for PostgreSQL. Only 127.0.0.1 is contacted.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

MARK = "BENCH-RESULT "
DEFAULT_PG = "postgres://postgres@127.0.0.1:5432/wk_bench_desk"
FIGURES = (
    ("month", "dashboard figures, one month", "s", "< 1 s"),
    ("year", "dashboard figures, one year", "s", "< 3 s"),
    ("queue_p50", "engineer's queue page p50", "ms", ""),
    ("queue_p95", "engineer's queue page p95", "ms", ""),
    ("load", "load {n} tickets (setup)", "s", ""),
)
BATCH = 10_000


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tickets", type=int, default=1_000_000)
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--pg-url", default=DEFAULT_PG)
    parser.add_argument(
        "--child", choices=["sqlite", "postgres"], help=argparse.SUPPRESS
    )
    return parser.parse_args()


def run_child(db: str, args: argparse.Namespace) -> dict[str, Any]:
    from inventory import run_in_child

    options = ["--tickets", str(args.tickets), "--requests", str(args.requests)]
    return run_in_child(__file__, db, options, args.pg_url)


def measure(db: str, count: int, requests: int) -> dict[str, Any]:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wardkeeper.settings")
    django.setup()
    from django.core.management import call_command
    from inventory_child import bulk_load, load_structure

    call_command("migrate", interactive=False, verbosity=0)
    figures: dict[str, Any] = {"notes": []}
    plan, places = load_structure(6000)
    bulk_load(plan, places, {})
    from http_timing import credentials

    _token, cookie = credentials()
    started = time.perf_counter()
    load_tickets(count)
    figures["load"] = time.perf_counter() - started
    time_figures(figures)
    time_queue(figures, cookie, requests)
    return figures


def load_tickets(count: int) -> None:
    """``count`` tickets spread over the last 365 days, with realistic shares
    of categories, priorities, teams and outcomes; a few hundred still open
    and assigned to the benchmark's engineer."""
    from django.db import connection, transaction
    from django.utils import timezone

    from wardkeeper.core.models import User
    from wardkeeper.inventory.models import Asset
    from wardkeeper.servicedesk.choices import (
        Category,
        ResolutionCode,
        TicketState,
    )
    from wardkeeper.servicedesk.models import Team, Ticket

    rng = random.Random(7)
    engineer = User.objects.get(username="bench.hw")
    teams = [
        Team.objects.create(code=code, name=code.title(), categories=[code])
        for code in ("hardware", "network", "software", "data", "access", "security")
    ]
    teams[0].members.add(engineer)
    assets = list(Asset.objects.values_list("pk", "location_id", "department_id"))
    now = timezone.now()
    categories = list(Category.values)
    weights = [40, 20, 25, 5, 8, 2]
    made = 0
    while made < count:
        batch = []
        for _ in range(min(BATCH, count - made)):
            created = now - dt.timedelta(seconds=rng.randrange(365 * 86400))
            category = rng.choices(categories, weights)[0]
            priority = rng.choices([1, 2, 3, 4], [3, 17, 60, 20])[0]
            asset, location, department = rng.choice(assets)
            age = (now - created).total_seconds()
            still_open = age < 3 * 86400 and rng.random() < 0.3
            respond = rng.randrange(60, 4 * 3600)
            restore = respond + rng.randrange(600, 3 * 86400)
            resolved = not still_open and restore < age
            met = restore < [4, 8, 24, 72][priority - 1] * 3600
            batch.append(
                Ticket(
                    title="Benchmark fault",
                    category=category,
                    priority=priority,
                    computed_priority=priority,
                    state=TicketState.CLOSED if resolved else TicketState.IN_PROGRESS,
                    asset_id=asset,
                    location_id=location,
                    department_id=department,
                    team=teams[categories.index(category)],
                    assignee=engineer if still_open else None,
                    created_at=created,
                    responded_at=created + dt.timedelta(seconds=respond),
                    resolved_at=created + dt.timedelta(seconds=restore)
                    if resolved
                    else None,
                    closed_at=created + dt.timedelta(seconds=restore)
                    if resolved
                    else None,
                    response_seconds=respond,
                    restore_seconds=restore if resolved else None,
                    sla_met=met if resolved else None,
                    first_time_fix=(rng.random() < 0.85) if resolved else None,
                    resolution_code=ResolutionCode.REPAIRED if resolved else "",
                    restore_due_at=created
                    + dt.timedelta(hours=[4, 8, 24, 72][priority - 1]),
                )
            )
        # Setup only: bulk rows without audit entries (the product's own bulk
        # paths audit; the benchmark measures reading, not writing).
        with transaction.atomic():
            Ticket.objects.bulk_create(batch, batch_size=2000)
        made += len(batch)
        print(f"   {made:,} tickets", file=sys.stderr, flush=True)
    with connection.cursor() as cursor:  # planner statistics, as after an import
        cursor.execute("ANALYZE")
    from wardkeeper.servicedesk.services import rollups

    started = time.perf_counter()
    rollups.rebuild()
    print(
        f"   roll-ups rebuilt in {time.perf_counter() - started:.1f} s", file=sys.stderr
    )


def time_figures(figures: dict[str, Any]) -> None:
    from django.utils import timezone

    from wardkeeper.servicedesk.models import Ticket
    from wardkeeper.servicedesk.services import figures as desk

    now = timezone.now()
    today = timezone.localdate()
    end = today + dt.timedelta(days=1)
    # A few tickets change meanwhile, as on a working desk: their days are
    # recounted inside the timed call.
    changed = list(Ticket.objects.filter(state="in_progress")[:5])
    for key, days in (("month", 30), ("year", 365)):
        samples = []
        for _ in range(3):
            for ticket in changed:
                ticket.save()
            started = time.perf_counter()
            result = desk.compute(end - dt.timedelta(days=days), end, now=now)
            samples.append(time.perf_counter() - started)
        figures[key] = statistics.median(samples)
        figures["notes"].append(
            f"{key}: {result.total.reported:,} tickets in the period"
        )


def time_queue(figures: dict[str, Any], cookie: str, requests: int) -> None:
    import signal

    from django.urls import NoReverseMatch, reverse
    from http_timing import free_port, guarded, start_server, timed_gets

    try:
        url = reverse("servicedesk:queue")
    except NoReverseMatch:
        figures["queue_p50"] = "skipped (no queue page)"
        return
    port = free_port()
    server = start_server(port)
    try:
        guarded(
            figures,
            "queue",
            lambda: timed_gets(port, [url], {"Cookie": cookie}, requests),
        )
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=60)


def cell(value: Any, unit: str) -> str:
    if value is None:
        return "—"
    if isinstance(value, str):
        return value
    return f"{float(value):.2f} {unit}" if unit == "s" else f"{float(value):.1f} {unit}"


def main() -> None:
    args = parse_args()
    if args.child:
        print(
            MARK + json.dumps(measure(args.child, args.tickets, args.requests)),
            flush=True,
        )
        return
    dbs = ["sqlite", "postgres"] if args.db == "both" else [args.db]
    results = {db: run_child(db, args) for db in dbs}
    names = {"sqlite": "SQLite", "postgres": "PostgreSQL"}
    rows = [["", *(names[db] for db in results), "aim"]]
    for key, label, unit, aim in FIGURES:
        rows.append(
            [
                label.format(n=f"{args.tickets:,}"),
                *(cell(res.get(key), unit) for res in results.values()),
                aim,
            ]
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    print(f"\nWardkeeper service-desk benchmark: {args.tickets:,} tickets")
    for row in rows:
        print("  ".join(c.ljust(widths[i]) for i, c in enumerate(row)).rstrip())
    for db, res in results.items():
        for note in res.get("notes", []):
            print(f"note ({names[db]}): {note}")
        if "error" in res:
            print(f"error ({names[db]}): {res['error']}")


if __name__ == "__main__":
    main()
