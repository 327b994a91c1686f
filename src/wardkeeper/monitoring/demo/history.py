"""The demo's past: thirty days of hourly and daily roll-ups, a handful of
outages (a floor switch taking checks down with it, a server rebooted
inside the data centre's weekly maintenance window, a modality refusing the
association, a web server that hung) with their resolved alerts, the alert
rules and the window itself. Simulated, deterministic from the seed."""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.utils import timezone

from wardkeeper.inventory.demo.writer import insert
from wardkeeper.monitoring.choices import (
    AlertState,
    CheckKind,
    CheckStatus,
    Recurrence,
    Severity,
)
from wardkeeper.monitoring.demo.equipment import place
from wardkeeper.monitoring.models import (
    Alert,
    AlertRule,
    Check,
    MaintenanceWindow,
    Outage,
    Rollup,
)

HISTORY_DAYS = 30
LATENCY = {  # kind → typical median in ms
    CheckKind.ICMP: 0.6,
    CheckKind.TCP: 1.2,
    CheckKind.SNMP: 8.0,
    CheckKind.DICOM_ECHO: 35.0,
    CheckKind.HTTP: 90.0,
    CheckKind.TLS: 60.0,
}


@dataclass
class Stretch:
    """A simulated outage: ``check`` down from ``start`` for ``minutes``."""

    check: Check
    start: dt.datetime
    minutes: int
    status: str = CheckStatus.DOWN
    root: Check | None = None
    in_window: bool = False
    message: str = ""

    @property
    def end(self) -> dt.datetime:
        return self.start + dt.timedelta(minutes=self.minutes)


def window(now: dt.datetime, dc_rooms: set[int]) -> MaintenanceWindow:
    """Every Sunday 02:00-04:00 (local) on the data centre."""
    local = timezone.localtime(now) - dt.timedelta(days=HISTORY_DAYS + 7)
    sunday = local.date() + dt.timedelta(days=(6 - local.weekday()) % 7)
    starts = timezone.make_aware(dt.datetime.combine(sunday, dt.time(2)))
    (window,) = insert(
        MaintenanceWindow,
        [
            MaintenanceWindow(
                name="Data centre weekly maintenance",
                starts_at=starts,
                duration=120,
                recurrence=Recurrence.WEEKLY,
                reason="Patching, firmware and failover tests.",
            )
        ],
    )
    window.locations.set(dc_rooms)
    return window


def _covered(check: Check, dc_rooms: set[int]) -> bool:
    return check.asset is not None and check.asset.location_id in dc_rooms


def stretches(
    rng: random.Random,
    checks: list[Check],
    now: dt.datetime,
    window: MaintenanceWindow,
    dc_rooms: set[int],
) -> list[Stretch]:
    """A handful of outages: a floor switch that took checks behind it down
    with it, a server rebooted in the window, a
    modality refusing the association, a web server that hung."""
    pings = [c for c in checks if c.kind == CheckKind.ICMP]
    switch = next(
        (c for c in pings if c.asset and "-ASW" in c.asset.hostname), pings[0]
    )
    switch_type = switch.asset.asset_type_id if switch.asset else None
    # Behind it: its own floor's devices first, then UPSes and modalities
    # out on the other floors.
    floor = place(switch.asset, 3) if switch.asset else ""
    behind = [
        c
        for c in checks
        if c.asset
        and c.asset.asset_type_id != switch_type
        and not _covered(c, dc_rooms)
        and (c.kind != CheckKind.ICMP or place(c.asset, 3) == floor)
    ]
    behind.sort(key=lambda c: c.asset is None or place(c.asset, 3) != floor)
    children = behind[:6]
    Check.parents.through.objects.bulk_create(
        Check.parents.through(from_check_id=child.pk, to_check_id=switch.pk)
        for child in children
    )
    day = dt.timedelta(days=1)
    at = now - rng.randrange(8, 20) * day + dt.timedelta(hours=rng.randrange(9, 17))
    found = [Stretch(switch, at, 47, message="no echo reply (3 sent)")]
    found += [
        Stretch(c, at, 47, CheckStatus.UNREACHABLE, root=switch) for c in children
    ]
    sunday = timezone.localtime(window.starts_at)
    while sunday + 7 * day < timezone.localtime(now) - 2 * day:
        sunday += 7 * day
    in_dc = [c for c in pings if _covered(c, dc_rooms) and c.pk != switch.pk]
    if in_dc:
        found.append(
            Stretch(
                in_dc[0],
                sunday + dt.timedelta(minutes=20),
                35,
                in_window=True,
                message="no echo reply (3 sent)",
            )
        )
    for kind, minutes, message in (
        (
            CheckKind.DICOM_ECHO,
            22,
            "association rejected: called AE title not recognised",
        ),
        (CheckKind.TCP, 12, "connect: timed out"),
    ):
        pool = [c for c in checks if c.kind == kind]
        if pool:
            when = (
                now - rng.randrange(2, 28) * day + dt.timedelta(hours=rng.randrange(24))
            )
            found.append(Stretch(rng.choice(pool), when, minutes, message=message))
    rows = [
        Outage(
            source=s.check,
            started_at=s.start,
            ended_at=s.start + dt.timedelta(minutes=s.minutes),
            status=s.status,
            root_cause=s.root or s.check,
            in_maintenance=s.in_window,
            message=s.message,
        )
        for s in found
    ]
    Outage.objects.bulk_create(rows)
    return found


def rollups(
    rng: random.Random,
    checks: list[Check],
    stretches: list[Stretch],
    now: dt.datetime,
    window: MaintenanceWindow,
    dc_rooms: set[int],
) -> None:
    """Hourly roll-ups for thirty days and the days summed from them."""
    start = now - dt.timedelta(days=HISTORY_DAYS)
    hours = [start + dt.timedelta(hours=n) for n in range(HISTORY_DAYS * 24)]
    in_window = {h for h in hours if window.is_active(h + dt.timedelta(minutes=30))}
    day_of = {h: _day_start(h) for h in hours}
    down: dict[tuple[int, dt.datetime], int] = defaultdict(int)
    for s in stretches:
        for minute in range(s.minutes):
            at = s.start + dt.timedelta(minutes=minute)
            down[(s.check.pk, at.replace(minute=0))] += 1
    hourly: list[tuple[Any, ...]] = []
    days: dict[tuple[int, dt.datetime], list[tuple[Any, ...]]] = defaultdict(list)
    for check in checks:
        runs = max(1, 3600 // check.interval)
        median = LATENCY.get(CheckKind(check.kind), 5.0) * rng.uniform(0.7, 1.5)
        covered = _covered(check, dc_rooms)
        for hour in hours:
            missed = min(runs, round(down.get((check.pk, hour), 0) * runs / 60))
            planned = covered and hour in in_window
            p50 = round(median * rng.uniform(0.85, 1.2), 2)
            row = (
                check.pk,
                hour,
                runs,
                0 if planned else runs - missed,
                0 if planned else missed,
                runs if planned else 0,
                p50,
                round(p50 * rng.uniform(1.6, 3.0), 2),
            )
            hourly.append(row)
            days[(check.pk, day_of[hour])].append(row)
    summed = [_day(pk, day, rows) for (pk, day), rows in days.items()]
    _insert_rollups(Rollup.HOUR, hourly)
    _insert_rollups(Rollup.DAY, summed)


def _day_start(hour: dt.datetime) -> dt.datetime:
    local = timezone.localtime(hour)
    return local.replace(hour=0, minute=0).astimezone(dt.UTC)


def _day(pk: int, day: dt.datetime, rows: list[tuple[Any, ...]]) -> tuple[Any, ...]:
    p50s = sorted(row[6] for row in rows)
    return (
        pk,
        day,
        sum(row[2] for row in rows),
        sum(row[3] for row in rows),
        sum(row[4] for row in rows),
        sum(row[5] for row in rows),
        p50s[len(p50s) // 2],
        max(row[7] for row in rows),
    )


def _insert_rollups(period: str, rows: list[tuple[Any, ...]]) -> None:
    """Roll-ups are measurements, not audited records: a plain multi-row
    insert (the ORM's bulk_create costs seconds for 100,000 rows, and the
    demo is built on every fresh `make run`)."""
    table = connection.ops.quote_name(Rollup._meta.db_table)
    sql = (
        f"INSERT INTO {table} (source_id, period, start, runs, up, down, "
        "maintenance, degraded, latency_p50, latency_p95) "
        "VALUES (%s, %s, %s, %s, %s, %s, %s, 0, %s, %s)"
    )
    adapt = connection.ops.adapt_datetimefield_value
    values = [(pk, period, adapt(at), *rest) for pk, at, *rest in rows]
    with connection.cursor() as cursor:
        for chunk in range(0, len(values), 5000):
            cursor.executemany(sql, values[chunk : chunk + 5000])


def rules_and_alerts(stretches: list[Stretch]) -> None:
    """Two rules, and a resolved alert for each simulated fault that would
    have raised one (root causes outside the window)."""
    tickets, tell = insert(
        AlertRule,
        [
            AlertRule(
                name="Critical and high-criticality places: open a ticket",
                order=10,
                max_severity=Severity.MAJOR,
                max_criticality=2,
                open_ticket=True,
                escalate_after=15,
            ),
            AlertRule(
                name="Everything else: tell the team on call",
                order=20,
                max_severity=Severity.MINOR,
                open_ticket=False,
            ),
        ],
    )
    affected = sum(1 for s in stretches if s.root is not None)
    insert(
        Alert,
        [
            Alert(
                source=s.check,
                severity=s.check.severity,
                state=AlertState.RESOLVED,
                opened_at=s.start,
                resolved_at=s.start + dt.timedelta(minutes=s.minutes),
                message=f"{s.check.name} is down: {s.message}",
                affected=affected if s.check.kind == CheckKind.ICMP else 0,
                rule=tell if s.check.severity > Severity.MAJOR else tickets,
            )
            for s in stretches
            if s.root is None and not s.in_window
        ],
    )


def settle_since(
    checks: list[Check], stretches: list[Stretch], now: dt.datetime
) -> None:
    """The enabled checks have been up since their last simulated outage
    ended, else since the history began."""
    began = now - dt.timedelta(days=HISTORY_DAYS)
    ended: dict[int, dt.datetime] = {}
    for s in stretches:
        ended[s.check.pk] = max(ended.get(s.check.pk, began), s.end)
    live = [c for c in checks if c.enabled]
    for check in live:
        check.status_since = ended.get(check.pk, began)
    Check.objects.bulk_update(live, ["status_since"], batch_size=500)
