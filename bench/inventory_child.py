"""The measuring side of bench/inventory.py, run in a child process whose
environment names the database (settings are read once per process)."""

from __future__ import annotations

import csv
import os
import random
import time
from pathlib import Path
from typing import Any

import django

Figures = dict[str, Any]
SKIPPED = "skipped (not available)"


def measure(db: str, assets: int, requests: int) -> Figures:
    """Load ``assets`` assets and take every figure; a missing part is skipped."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wardkeeper.settings")
    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    figures: Figures = {"notes": []}
    plan, places = load_structure(assets)
    import_assets(plan, places, Path(settings.DATA_DIR), figures)
    from http_timing import time_lists

    time_lists(figures, requests)
    reconcile_scans(plan, places, assets, figures)
    return figures


def load_structure(assets: int) -> tuple[Any, dict[str, Any]]:
    """The demo hospital's places, departments, models and vendors; no assets."""
    from django.db import transaction
    from django.utils import timezone

    from wardkeeper.inventory.demo.plan import plan_hospital
    from wardkeeper.inventory.demo.writer import (
        write_catalogue,
        write_departments,
        write_places,
    )

    plan = plan_hospital(scale=1.0, today=timezone.localdate(), asset_count=assets)
    with transaction.atomic():
        places = write_places(plan)
        write_departments(plan, places)
        write_catalogue(plan.today)
    return plan, places


def import_assets(
    plan: Any, places: dict[str, Any], data_dir: Path, figures: Figures
) -> None:
    """(c): import the assets from a CSV file; without the importer, bulk-load them."""
    try:
        from wardkeeper.inventory.transfer import run_import, template_header
    except ImportError:
        figures["import"] = SKIPPED
        bulk_load(plan, places, figures)
        return
    path = data_dir / "bench-assets.csv"
    write_csv(plan, path, template_header("assets"))
    started = time.perf_counter()
    report = run_import("assets", path, filename=path.name, dry_run=False, actor=None)
    elapsed = time.perf_counter() - started
    if report.ok:
        figures["import"] = elapsed
        return
    figures["import"] = "refused"
    figures["notes"].append(f"import refused: {'; '.join(map(str, report.errors[:3]))}")
    bulk_load(plan, places, figures)


def bulk_load(plan: Any, places: dict[str, Any], figures: Figures) -> None:
    from wardkeeper.inventory.demo.writer import write_assets
    from wardkeeper.inventory.models import AssetModel, Department, Vendor

    models = {
        f"{m.manufacturer.name}|{m.name}": m
        for m in AssetModel.objects.select_related("manufacturer")
    }
    departments = {d.code: d for d in Department.objects.all()}
    vendors = {v.name: v for v in Vendor.objects.all()}
    started = time.perf_counter()
    write_assets(plan, places, departments, models, vendors)
    figures["load"] = time.perf_counter() - started


def write_csv(plan: Any, path: Path, header: list[str]) -> None:
    """The planned assets as an import file with the importer's own columns."""
    from wardkeeper.inventory.choices import Criticality
    from wardkeeper.inventory.transfer.cells import choice_code

    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        for spec in plan.assets:
            override = spec.criticality_override
            values = {
                "tag": spec.tag,
                "name": spec.name,
                "serial": spec.serial,
                "manufacturer": spec.model.maker,
                "model": spec.model.name,
                "status": str(spec.status),
                "condition": str(spec.condition),
                "location_code": spec.room.code if spec.room else "",
                "department_code": spec.department,
                "custodian": spec.custodian,
                "hostname": spec.hostname,
                "ip_address": spec.ip_address or "",
                "mac_address": spec.mac_address or "",
                "purchase_order": spec.purchase_order,
                "purchase_date": spec.purchase_date.isoformat()
                if spec.purchase_date
                else "",
                "purchase_cost": str(spec.purchase_cost or ""),
                "vendor": spec.vendor,
                "warranty_end": spec.warranty_end.isoformat()
                if spec.warranty_end
                else "",
                "parent_tag": spec.parent.tag if spec.parent else "",
                "criticality_override": ""
                if override is None
                else choice_code(Criticality(override)),
                "notes": spec.notes,
            }
            writer.writerow([values.get(key, "") for key in header])


def reconcile_scans(
    plan: Any, places: dict[str, Any], count: int, figures: Figures
) -> None:
    """(d): record ``count`` scans over both campuses and time the reconciliation."""
    try:
        from wardkeeper.inventory.services.stocktakes import (
            open_stocktake,
            reconcile,
            record_scans,
        )
    except ImportError:
        figures["scans"] = figures["reconcile"] = SKIPPED
        return
    from wardkeeper.inventory.models import Location

    campuses = list(Location.objects.campuses())
    stocktake = open_stocktake(
        name="Benchmark stocktake", locations=campuses, actor=None
    )
    reads = scan_reads(plan, places, count)
    started = time.perf_counter()
    record_scans(stocktake, reads, source="upload", actor=None)
    figures["scans"] = time.perf_counter() - started
    started = time.perf_counter()
    counts = reconcile(stocktake)
    figures["reconcile"] = time.perf_counter() - started
    figures["notes"].append(f"reconciled lines: {dict(counts)}")


def scan_reads(
    plan: Any, places: dict[str, Any], count: int
) -> list[tuple[str, int | None]]:
    """``count`` reads: most on-hand assets in their own room, some in the wrong
    room or missed, then re-reads and unknown labels up to ``count``."""
    from wardkeeper.inventory.demo.plan import on_hand

    rng = random.Random(2026)
    rooms = [places[room.code].pk for room in plan.rooms]
    reads: list[tuple[str, int | None]] = []
    for spec in plan.assets:
        if not on_hand(spec) or spec.room is None or rng.random() < 0.03:
            continue
        room = rng.choice(rooms) if rng.random() < 0.02 else places[spec.room.code].pk
        reads.append((spec.tag, room))
    reads = reads[:count]
    while len(reads) < count:
        if rng.random() < 0.7:
            reads.append(reads[rng.randrange(len(reads))])
        else:
            reads.append((f"WK-1999-{rng.randrange(10**6):06d}", rng.choice(rooms)))
    return reads
