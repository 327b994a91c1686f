"""The measuring side of bench/network.py, run in a child process whose
environment names the database (settings are read once per process)."""

from __future__ import annotations

import json
import os
import random
import statistics
import sys
import time
from typing import Any

Figures = dict[str, Any]


def measure(db: str, scale: float, runs: int, traces: int, requests: int) -> Figures:
    """Load the site at ``scale`` and take every figure."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wardkeeper.settings")
    django.setup()
    from django.core.management import call_command
    from network_fixture import write_site
    from network_plan import plan_site

    call_command("migrate", interactive=False, verbosity=0)
    figures: Figures = {"notes": []}
    started = time.perf_counter()
    plan = plan_site(
        switches=round(2000 * scale),
        cables=round(100_000 * scale),
        floors=max(6, round(20 * scale)),
    )
    site = write_site(plan)
    _analyze(db)
    figures["load"] = time.perf_counter() - started
    figures["notes"].append(_counts())
    time_topology(figures, site, runs)
    time_traces(figures, site, traces)
    time_api(figures, site, requests)
    return figures


def _analyze(db: str) -> None:
    """Planner statistics (and, on PostgreSQL, the visibility map), as a
    database that autovacuum has seen: this one runs without it."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if db == "postgres" else "ANALYZE")


def _counts() -> str:
    from wardkeeper.inventory.models import Asset
    from wardkeeper.monitoring.models import Check
    from wardkeeper.network.models import (
        Cable,
        Interface,
        Neighbour,
        Outlet,
        PanelPort,
        PatchPanel,
    )

    rows = {
        "switches": Asset.objects.count(),
        "interfaces": Interface.objects.count(),
        "cables": Cable.objects.count(),
        "panels": PatchPanel.objects.count(),
        "panel ports": PanelPort.objects.count(),
        "outlets": Outlet.objects.count(),
        "LLDP neighbours": Neighbour.objects.count(),
        "checks": Check.objects.count(),
    }
    return "rows: " + ", ".join(f"{n:,} {name}" for name, n in rows.items())


def time_topology(figures: Figures, site: dict[str, Any], runs: int) -> None:
    """(1) ``topology.build(site).as_json()`` and its JSON text, as the
    topology API answers it: after one warm-up, ``runs`` times."""
    from wardkeeper.network.services import topology

    for key, place in (("topology", site["campus"]), ("building", site["building"])):
        samples, parts = [], []
        for number in range(runs + 1):
            started = time.perf_counter()
            graph = topology.build(place)
            built = time.perf_counter()
            body = json.dumps(graph.as_json())
            done = time.perf_counter()
            if number:
                samples.append(done - started)
                parts.append((built - started, done - built))
        figures[f"{key}_min"] = min(samples)
        figures[f"{key}_median"] = statistics.median(samples)
        build = statistics.median(p[0] for p in parts)
        figures["notes"].append(
            f"{key} ({place}): {len(graph.nodes):,} devices, {len(graph.edges):,} "
            f"edges, {len(body) / 1e6:.1f} MB of JSON; median build {build:.2f} s, "
            f"as_json + dumps {statistics.median(p[1] for p in parts):.2f} s"
        )


def time_traces(figures: Figures, site: dict[str, Any], count: int) -> None:
    """(2) ``trace(outlet)`` from outlets cross-connected through two panels."""
    from http_timing import percentiles

    from wardkeeper.network.models import Outlet
    from wardkeeper.network.services.trace import trace

    rng = random.Random(3)
    chosen = rng.sample(site["cross_outlets"], min(count, len(site["cross_outlets"])))
    outlets = list(Outlet.objects.filter(pk__in=chosen))
    for outlet in outlets[:10]:  # warm-up
        trace(outlet)
    samples, hops, complete = [], [], 0
    for outlet in outlets:
        started = time.perf_counter()
        path = trace(outlet)
        samples.append(time.perf_counter() - started)
        hops.append(len(path.hops))
        complete += path.complete
    figures["trace_p50"], figures["trace_p95"] = percentiles(samples)
    figures["notes"].append(
        f"traces: {len(samples)} outlets, {statistics.median(hops):.0f} cables "
        f"(median) through two panels, {complete} complete to a switch port"
    )


def time_api(figures: Figures, site: dict[str, Any], requests: int) -> None:
    """(3) GET /api/network/interfaces/ over a real server, signed in as a
    network engineer: the first page, and one device's interfaces."""
    import signal

    from django.contrib.auth.models import Group
    from http_timing import credentials, free_port, guarded, start_server, timed_gets

    from wardkeeper.core.models import User

    _token, cookie = credentials()  # a signed-in session for bench.hw …
    user = User.objects.get(username="bench.hw")  # … made a network engineer
    user.groups.set([Group.objects.get(name="network_engineer")])
    rng = random.Random(4)
    devices = rng.sample(site["access"], min(20, len(site["access"])))
    lists = {
        "api": ["/api/network/interfaces/"],
        "api_device": [f"/api/network/interfaces/?device={pk}" for pk in devices],
    }
    headers = {"Cookie": cookie, "Accept": "application/json"}
    port = free_port()
    server = start_server(port)
    try:
        for key, urls in lists.items():
            guarded(
                figures,
                key,
                lambda u=urls: timed_gets(port, u, headers, requests),  # type: ignore[misc]
            )
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=60)


if __name__ == "__main__":  # pragma: no cover - run through bench/network.py
    sys.exit("run bench/network.py")
