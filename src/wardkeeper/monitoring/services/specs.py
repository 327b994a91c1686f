"""Checks as the engine sees them (CheckSpec), and the dependency graph.

A check's parents are its explicit ``parents`` plus one implicit parent:
when its asset is part of another asset (``Asset.parent``, a line card in a
chassis, a modality behind its gateway), the first ping or TCP check of that
parent asset. That way a device behind a dead parent is unreachable without
anyone wiring each check by hand.

Loading 20,000 checks costs two queries: the enabled checks (with their
asset's parent), and the explicit dependency rows.
"""

from __future__ import annotations

import json
from collections import defaultdict
from typing import Any

from wardkeeper.monitoring.choices import CheckKind
from wardkeeper.monitoring.engine.spec import CheckSpec
from wardkeeper.monitoring.models import Check

# The checks that say "the device answers at all", good as implicit parents.
REACHABILITY_KINDS = (CheckKind.ICMP, CheckKind.TCP)

FIELDS = (
    "pk",
    "kind",
    "host",
    "params",
    "secrets",
    "interval",
    "timeout",
    "confirm_down",
    "confirm_up",
    "asset_id",
    "asset__parent_id",
)


def _implicit_parents(rows: list[tuple[Any, ...]]) -> dict[int, int]:
    """check id → the first reachability check of its asset's parent asset."""
    first_of_asset: dict[int, int] = {}
    for pk, kind, *_rest, asset_id, _parent_asset in rows:
        if asset_id is not None and kind in REACHABILITY_KINDS:
            first_of_asset[asset_id] = min(pk, first_of_asset.get(asset_id, pk))
    implicit = {}
    for row in rows:
        parent_asset = row[-1]
        if parent_asset is not None and parent_asset in first_of_asset:
            implicit[row[0]] = first_of_asset[parent_asset]
    return implicit


def parent_map(enabled_only: bool = True) -> dict[int, tuple[int, ...]]:
    """check id → the checks it is reached through (explicit and implicit)."""
    checks = Check.objects.all()
    if enabled_only:
        checks = checks.filter(enabled=True)
    rows = list(
        checks.values_list("pk", "kind", "asset_id", "asset__parent_id").order_by()
    )
    return _merge(rows, _explicit())


def _explicit() -> dict[int, list[int]]:
    through = Check.parents.through
    explicit: dict[int, list[int]] = defaultdict(list)
    for child, parent in through.objects.values_list("from_check_id", "to_check_id"):
        explicit[child].append(parent)
    return explicit


def _merge(
    rows: list[tuple[Any, ...]], explicit: dict[int, list[int]]
) -> dict[int, tuple[int, ...]]:
    implicit = _implicit_parents(rows)
    known = {row[0] for row in rows}
    parents: dict[int, tuple[int, ...]] = {}
    for row in rows:
        pk = row[0]
        chosen = [p for p in explicit.get(pk, ()) if p in known and p != pk]
        extra = implicit.get(pk)
        if extra is not None and extra != pk and extra not in chosen:
            chosen.append(extra)
        parents[pk] = tuple(sorted(chosen))
    return parents


def load_specs() -> list[CheckSpec]:
    """Every enabled check as a CheckSpec, secrets decrypted into params."""
    rows = list(Check.objects.filter(enabled=True).values_list(*FIELDS).order_by())
    short = [(r[0], r[1], r[9], r[10]) for r in rows]
    parents = _merge(short, _explicit())
    return [_spec(row, parents[row[0]]) for row in rows]


def _spec(row: tuple[Any, ...], parents: tuple[int, ...]) -> CheckSpec:
    pk, kind, host, params, secrets, interval, timeout, down, up = row[:9]
    merged = dict(params or {})
    if secrets:
        # Secrets win over a same-named plain parameter.
        merged.update(json.loads(secrets))
    return CheckSpec(
        id=pk,
        kind=kind,
        host=host,
        params=merged,
        interval=float(interval),
        timeout=float(timeout),
        confirm_down=down,
        confirm_up=up,
        parents=parents,
    )


def spec_of(check: Check) -> CheckSpec:
    """One check's spec (for a test run from its page)."""
    parents = parent_map(enabled_only=False).get(check.pk, ())
    row = tuple(
        getattr(check, name)
        for name in (
            "pk",
            "kind",
            "host",
            "params",
            "secrets",
            "interval",
            "timeout",
            "confirm_down",
            "confirm_up",
        )
    )
    return _spec(row, parents)
