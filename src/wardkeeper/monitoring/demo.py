"""The demo hospital's monitoring: check templates per asset type, checks on
a sensible subset of its equipment, thirty days of history, alert rules and
the data centre's weekly maintenance window.

Nothing here touches a network. The demo's equipment lives on made-up 10.x
addresses that do not exist on this machine, so its checks are created
*disabled* (their history is simulated, deterministic from the seed: hourly
and daily roll-ups, a few outages — one a switch taking its floor down with
it, one inside the maintenance window — and their resolved alerts). The
checks that are enabled work on any machine: Wardkeeper's own sign-in page
(where ``wardkeeper demo`` serves it) and, on PostgreSQL, its own database.

Written in bulk with audit entries, like the inventory's demo.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.utils import timezone

from wardkeeper.inventory.choices import AssetStatus, LocationKind
from wardkeeper.inventory.demo.writer import insert
from wardkeeper.inventory.models import Asset, AssetType, Location
from wardkeeper.monitoring.choices import (
    AlertState,
    CheckKind,
    CheckStatus,
    Recurrence,
    Severity,
)
from wardkeeper.monitoring.models import (
    Alert,
    AlertRule,
    Check,
    CheckTemplate,
    MaintenanceWindow,
    Outage,
    Rollup,
)
from wardkeeper.monitoring.services.templates import COPIED, host_of

HISTORY_DAYS = 30
SELF_URL = "http://127.0.0.1:8000/accounts/login/"
NOT_HERE = (
    "Demo: this address exists only in the demo hospital, so the check is "
    "disabled; its history is simulated."
)
# (asset type, name, kind, params, interval, severity)
TEMPLATES: tuple[tuple[str, str, str, dict[str, Any], int, int], ...] = (
    ("switch", "Ping", CheckKind.ICMP, {"count": 3}, 60, Severity.MAJOR),
    ("switch", "SNMP uptime", CheckKind.SNMP, {"what": "uptime"}, 300, Severity.MINOR),
    (
        "switch",
        "SNMP interfaces",
        CheckKind.SNMP,
        {"what": "interfaces", "interfaces": ["GE*", "XGE*"]},
        300,
        Severity.MINOR,
    ),
    ("server", "Ping", CheckKind.ICMP, {"count": 3}, 60, Severity.MAJOR),
    ("server", "SSH", CheckKind.TCP, {"port": 22}, 60, Severity.MINOR),
    ("server", "HTTPS port", CheckKind.TCP, {"port": 443}, 60, Severity.MAJOR),
    ("ups", "UPS battery", CheckKind.SNMP, {"what": "ups"}, 300, Severity.MAJOR),
    (
        "ct",
        "DICOM echo",
        CheckKind.DICOM_ECHO,
        {"port": 104, "calling_ae": "WARDKEEPER", "called_ae": "CT_SCU"},
        300,
        Severity.MAJOR,
    ),
    (
        "mr",
        "DICOM echo",
        CheckKind.DICOM_ECHO,
        {"port": 104, "calling_ae": "WARDKEEPER", "called_ae": "MR_SCU"},
        300,
        Severity.MAJOR,
    ),
)
# How many of each type get checks (all data-centre switches, then others).
SUBSET = {"switch": 16, "server": 24, "ups": 8, "ct": 4, "mr": 2}
# Server hostname stem → the clinical service it carries.
SERVICES = {
    "his": "HIS",
    "emr": "EMR",
    "lis": "LIS",
    "pacs": "PACS",
    "ris": "RIS",
    "esb": "Integration engine",
    "web": "Hospital website",
}
TYPE_SERVICE = {"switch": "Network", "ups": "Power", "ct": "Imaging", "mr": "Imaging"}
LATENCY = {  # kind → typical median in ms
    CheckKind.ICMP: 0.6,
    CheckKind.TCP: 1.2,
    CheckKind.SNMP: 8.0,
    CheckKind.DICOM_ECHO: 35.0,
    CheckKind.HTTP: 90.0,
    CheckKind.TLS: 60.0,
}


@dataclass
class MonitoringResult:
    templates: int
    checks: int
    outages: int


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


def write_monitoring(seed: object, today: dt.date) -> MonitoringResult:
    """Templates, checks, history, rules and the window; returns the counts."""
    rng = random.Random(f"{seed}:monitoring")
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    templates = _templates()
    picked = _assets()
    checks = _checks(templates, picked)
    checks += _extra_checks(picked)
    dc_rooms = set(
        Location.objects.filter(
            kind=LocationKind.ROOM, name__icontains="data centre"
        ).values_list("pk", flat=True)
    )
    window = _window(now, dc_rooms)
    stretches = _stretches(rng, checks, now, window, dc_rooms)
    _history(rng, checks, stretches, now, window, dc_rooms)
    _rules_and_alerts(stretches)
    live = _live_checks()
    made = sum(len(rows) for rows in templates.values())
    return MonitoringResult(made, len(checks) + len(live), len(stretches))


def _templates() -> dict[str, list[CheckTemplate]]:
    types = {t.code: t for t in AssetType.objects.filter(code__in=SUBSET)}
    rows = [
        CheckTemplate(
            name=name,
            asset_type=types[code],
            kind=kind,
            params=params,
            interval=interval,
            timeout=10,
            severity=severity,
        )
        for code, name, kind, params, interval, severity in TEMPLATES
        if code in types
    ]
    by_type: dict[str, list[CheckTemplate]] = defaultdict(list)
    for template in insert(CheckTemplate, rows):
        by_type[template.asset_type.code].append(template)
    return by_type


def _assets() -> dict[str, list[Asset]]:
    """The equipment watched: data-centre switches first, then one switch
    per floor, and so on up to SUBSET of each type."""
    picked: dict[str, list[Asset]] = {}
    for code, count in SUBSET.items():
        rows = (
            Asset.objects.filter(asset_type__code=code, status=AssetStatus.IN_USE)
            .exclude(ip_address=None)
            .select_related("location")
            .order_by("hostname", "pk")
        )
        # Servers of clinical services first; half from the data centre,
        # half out on the floors, topped up from wherever there are more.
        ranked = _spread(code, list(rows))
        inside = [a for a in ranked if "-DC-" in a.hostname][: count // 2]
        outside = [a for a in ranked if "-DC-" not in a.hostname]
        chosen = inside + outside[: count - len(inside)]
        chosen += [a for a in ranked if a not in chosen][: count - len(chosen)]
        picked[code] = chosen
    return picked


def _spread(code: str, rows: list[Asset]) -> list[Asset]:
    """Clinical services first, taking each service's servers in turn (one
    HIS, one PACS, one web server … then the second of each)."""
    seen: dict[str, int] = defaultdict(int)
    keyed = []
    for asset in sorted(rows, key=lambda a: a.hostname):
        service = _service(code, asset)
        seen[service] += 1
        keyed.append(((service == "Infrastructure", seen[service]), asset))
    return [asset for _key, asset in sorted(keyed, key=lambda pair: pair[0])]


def _service(code: str, asset: Asset) -> str:
    if code == "server":
        stem = asset.hostname.removeprefix("ec-").split("-", 1)[0]
        return SERVICES.get(stem, "Infrastructure")
    return TYPE_SERVICE.get(code, "")


def _check(asset: Asset, code: str, **fields: Any) -> Check:
    return Check(
        asset=asset,
        host=host_of(asset),
        service=_service(code, asset),
        enabled=False,
        status=CheckStatus.PAUSED,
        last_message=NOT_HERE,
        **fields,
    )


def _checks(
    templates: dict[str, list[CheckTemplate]], picked: dict[str, list[Asset]]
) -> list[Check]:
    rows = [
        _check(
            asset,
            code,
            name=f"{template.name} · {asset.name}",
            template=template,
            **{name: getattr(template, name) for name in COPIED},
        )
        for code, assets in picked.items()
        for asset in assets
        for template in templates.get(code, [])
    ]
    return insert(Check, rows)


def _extra_checks(picked: dict[str, list[Asset]]) -> list[Check]:
    """What no template gives: the PACS archive's DICOM echo and the
    hospital website's page and certificate."""
    rows = []
    for asset in picked.get("server", []):
        service = _service("server", asset)
        if service == "PACS" and "app" in asset.hostname:
            rows.append(
                _check(
                    asset,
                    "server",
                    name=f"DICOM echo · {asset.name}",
                    kind=CheckKind.DICOM_ECHO,
                    params={
                        "port": 104,
                        "calling_ae": "WARDKEEPER",
                        "called_ae": "PACS",
                    },
                    interval=120,
                    severity=Severity.CRITICAL,
                )
            )
        if service == "Hospital website":
            url = "https://www.hospital.example/"
            rows += [
                _check(
                    asset,
                    "server",
                    name=f"Website · {asset.name}",
                    kind=CheckKind.HTTP,
                    params={"url": url, "expect_text": "Appointments"},
                    interval=60,
                ),
                _check(
                    asset,
                    "server",
                    name=f"Website certificate · {asset.name}",
                    kind=CheckKind.TLS,
                    params={"server_name": "www.hospital.example", "warn_days": 30},
                    interval=3600,
                    severity=Severity.MINOR,
                ),
            ]
    return insert(Check, rows)


def _live_checks() -> list[Check]:
    """Checks that work on any machine: the demo's own sign-in page, and its
    PostgreSQL database when it runs on one."""
    rows = [
        Check(
            name="Wardkeeper sign-in page",
            host="127.0.0.1",
            kind=CheckKind.HTTP,
            params={"url": SELF_URL, "expect_text": "Wardkeeper"},
            interval=60,
            timeout=10,
            service="Wardkeeper",
            severity=Severity.MINOR,
        )
    ]
    if connection.vendor == "postgresql":
        db = connection.settings_dict
        rows.append(
            Check(
                name="Wardkeeper database",
                host=db.get("HOST") or "127.0.0.1",
                kind=CheckKind.POSTGRES,
                params={
                    "port": int(db.get("PORT") or 5432),
                    "dbname": db["NAME"],
                    "user": db.get("USER") or "postgres",
                },
                secrets=json.dumps({"password": db.get("PASSWORD") or ""}),
                interval=60,
                timeout=10,
                service="Wardkeeper",
                severity=Severity.MINOR,
            )
        )
    return insert(Check, rows)


def _window(now: dt.datetime, dc_rooms: set[int]) -> MaintenanceWindow:
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


def _stretches(
    rng: random.Random,
    checks: list[Check],
    now: dt.datetime,
    window: MaintenanceWindow,
    dc_rooms: set[int],
) -> list[Stretch]:
    """A handful of outages: a floor switch that took its floor's UPS and
    servers' checks down with it, a server rebooted in the window, a
    modality refusing the association, a web server that hung."""
    pings = [c for c in checks if c.kind == CheckKind.ICMP]
    switch = next(
        (c for c in pings if c.asset and "-ASW" in c.asset.hostname), pings[0]
    )
    switch_type = switch.asset.asset_type_id if switch.asset else None
    # Out on the floors, behind it: UPSes and modalities.
    children = [
        c
        for c in checks
        if c.asset
        and c.asset.asset_type_id != switch_type
        and not _covered(c, dc_rooms)
        and c.kind != CheckKind.ICMP
    ][:6]
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


def _history(
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


def _rules_and_alerts(stretches: list[Stretch]) -> None:
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
