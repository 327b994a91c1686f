"""Checks as the engine sees them (CheckSpec), and the dependency graph.

A check's parents are its explicit ``parents`` plus one implicit parent:
when its asset is part of another asset (``Asset.parent``, a line card in a
chassis, a modality behind its gateway), the first ping or TCP check of that
parent asset. That way a device behind a dead parent is unreachable without
anyone wiring each check by hand. A check run by a remote poller
(``Check.poller``) has one more implicit parent: its poller's heartbeat
check (kind "heartbeat", judged by the server from the poller's reports,
services/pollers.py), so a poller that stops reporting is one alert and its
checks are unreachable behind it.

The server's own monitor loads the checks without a poller (and never the
heartbeat checks, which no engine runs); ``load_for_poller`` gives one
poller its own.

Loading 20,000 checks costs three queries: the engine's enabled checks, the
dependency graph's rows (every enabled check's asset, parent asset and
poller), and the explicit dependency rows. The monitor reloads every
``MONITOR_RELOAD_SECONDS`` through a ``SpecLoader``, which reads the rows as
the database holds them and builds specs only for the rows that changed
(parsing parameters and decrypting secrets is most of a load's cost).
"""

from __future__ import annotations

import dataclasses
import json
from collections import defaultdict
from typing import Any

from django.db import connection

from wardkeeper.monitoring.choices import CheckKind
from wardkeeper.monitoring.engine.spec import CheckSpec
from wardkeeper.monitoring.models import Check

# The checks that say "the device answers at all", good as implicit parents.
REACHABILITY_KINDS = (CheckKind.ICMP, CheckKind.TCP)
# A poller's heartbeat: judged by the server, run by no engine.
HEARTBEAT = "heartbeat"
# The message of the audit entries the monitor writes for state changes.
STATE_CHANGE_MESSAGE = "monitoring"

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
    "poller_id",
)


def _implicit_parents(rows: list[tuple[Any, ...]]) -> dict[int, list[int]]:
    """check id → the first reachability check of its asset's parent asset,
    and its poller's heartbeat check."""
    first_of_asset: dict[int, int] = {}
    heartbeat_of: dict[int, int] = {}
    for pk, kind, asset_id, _parent_asset, poller_id in rows:
        if asset_id is not None and kind in REACHABILITY_KINDS:
            first_of_asset[asset_id] = min(pk, first_of_asset.get(asset_id, pk))
        if kind == HEARTBEAT and poller_id is not None:
            heartbeat_of[poller_id] = min(pk, heartbeat_of.get(poller_id, pk))
    implicit: dict[int, list[int]] = defaultdict(list)
    for pk, kind, _asset, parent_asset, poller_id in rows:
        if parent_asset is not None and parent_asset in first_of_asset:
            implicit[pk].append(first_of_asset[parent_asset])
        if kind != HEARTBEAT and poller_id in heartbeat_of:
            implicit[pk].append(heartbeat_of[poller_id])
    return implicit


def parent_map(enabled_only: bool = True) -> dict[int, tuple[int, ...]]:
    """check id → the checks it is reached through (explicit and implicit)."""
    checks = Check.objects.all()
    if enabled_only:
        checks = checks.filter(enabled=True)
    rows = list(
        checks.values_list(
            "pk", "kind", "asset_id", "asset__parent_id", "poller_id"
        ).order_by()
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
        for extra in implicit.get(pk, ()):
            if extra != pk and extra not in chosen:
                chosen.append(extra)
        parents[pk] = tuple(sorted(chosen))
    return parents


def _enabled(poller_id: int | None = None) -> Any:
    """The enabled checks an engine runs: the server's own (no poller), or
    one poller's; never the heartbeats."""
    checks = Check.objects.filter(enabled=True).exclude(kind=HEARTBEAT)
    if poller_id is None:
        checks = checks.filter(poller__isnull=True)
    else:
        checks = checks.filter(poller_id=poller_id)
    return checks.values_list(*FIELDS).order_by()


def _graph_rows() -> list[tuple[Any, ...]]:
    """Every enabled check's (pk, kind, asset, parent asset, poller): the
    dependency graph spans the server's and the pollers' checks."""
    return list(
        Check.objects.filter(enabled=True)
        .values_list("pk", "kind", "asset_id", "asset__parent_id", "poller_id")
        .order_by()
    )


def load_specs() -> list[CheckSpec]:
    """Every enabled check the server's own monitor runs (no poller) as a
    CheckSpec, secrets decrypted into params."""
    rows = list(_enabled())
    parents = _merge(_graph_rows(), _explicit())
    return [_spec(row, parents[row[0]]) for row in rows]


def load_for_poller(poller_id: int) -> list[CheckSpec]:
    """The enabled checks assigned to one poller, secrets decrypted."""
    rows = list(_enabled(poller_id))
    parents = _merge(_graph_rows(), _explicit())
    return [_spec(row, parents[row[0]]) for row in rows]


class SpecLoader:
    """``load_specs`` for a process that loads again and again: a check whose
    row is as it was keeps its spec object (a changed dependency gives it a
    copy with the new parents); only new and changed rows are decoded."""

    def __init__(self, poller_id: int | None = None) -> None:
        self._poller_id = poller_id
        self._seen: dict[int, tuple[tuple[Any, ...], CheckSpec]] = {}
        meta = Check._meta
        self._params = meta.get_field("params")
        self._secrets = meta.get_field("secrets")

    def __call__(self) -> list[CheckSpec]:
        sql, args = _enabled(self._poller_id).query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(sql, args)
            rows = cursor.fetchall()  # as stored: JSON text, secrets encrypted
        parents = _merge(_graph_rows(), _explicit())
        seen, specs = self._seen, []
        fresh: dict[int, tuple[tuple[Any, ...], CheckSpec]] = {}
        for row in rows:
            pk = row[0]
            found = seen.get(pk)
            if found is not None and found[0] == row:
                spec = found[1]
                if spec.parents != parents[pk]:
                    spec = dataclasses.replace(spec, parents=parents[pk])
            else:
                spec = _spec(self._decoded(row), parents[pk])
            fresh[pk] = row, spec
            specs.append(spec)
        self._seen = fresh
        return specs

    def _decoded(self, row: tuple[Any, ...]) -> tuple[Any, ...]:
        table = Check._meta.db_table
        params = self._params.from_db_value(
            row[3], self._params.get_col(table), connection
        )
        secrets = self._secrets.from_db_value(
            row[4], self._secrets.get_col(table), connection
        )
        return (*row[:3], params, secrets, *row[5:])


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


class ChangeWatch:
    """Whether the checks may have changed since the last look, from the
    audit trail: every change to a check, its dependencies, its asset or its
    poller is audited (monitoring's and the inventory's entries), so a look is
    one query on the trail's newest entries instead of reading every check.
    The monitor's own entries (state changes it records) are left out.
    Writes that bypass the trail are picked up by the periodic full reload
    (``MONITOR_FULL_RELOAD_SECONDS``)."""

    APPS = ("monitoring", "inventory")

    def __init__(self) -> None:
        self.seen: int | None = None  # the newest entry id looked at

    def changed(self) -> bool:
        from django.contrib.contenttypes.models import ContentType
        from django.db.models import Max

        from wardkeeper.core.models.audit import AuditEntry

        newest = AuditEntry.objects.aggregate(newest=Max("pk"))["newest"] or 0
        seen, self.seen = self.seen, newest
        if seen is None:
            return True
        if newest == seen:
            return False
        return (
            AuditEntry.objects.filter(
                pk__gt=seen,
                pk__lte=newest,
                content_type__in=ContentType.objects.filter(app_label__in=self.APPS),
            )
            .exclude(message=STATE_CHANGE_MESSAGE)
            .exists()
        )
