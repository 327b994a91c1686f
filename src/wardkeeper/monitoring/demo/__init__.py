"""The demo hospital's monitoring: check templates per asset type, checks on
equipment spread over both campuses, thirty days of history, alert rules,
the data centre's weekly maintenance window, and one fault happening now.

The demo's equipment lives on made-up 10.x addresses, and the monitor that
``wardkeeper demo`` runs beside the web server must never send anything
there. So every check the monitor can really run here probes a loopback
stand-in instead (standins.py: pings an address of its own in
127.77.0.0/16, web pages and TCP ports Wardkeeper's own web server) and is
enabled: the status board shows it live, mostly green. The kinds nothing
here can answer (SNMP, DICOM, TLS …) are paused. Each check's notes say
which it is and where the real device is; the inventory keeps the real
addresses. Every check's past (roll-ups, outages, resolved alerts) is
simulated (history.py), deterministic from the seed.

The standing fault (fault.py): a ward floor's access switch down and the
devices behind it unreachable, with the alert naming the root cause and the
number affected, and a ticket in the service desk, made by the monitor's own
recorder from the fault's first results, so the board is right before the
monitor's first round, and the live monitor keeps it so.

The templates are inactive: active, the periodic template job would give
every one of the demo's thousands of devices a check of its made-up address.

Written in bulk with audit entries, like the inventory's demo.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from dataclasses import dataclass

from django.db import connection
from django.utils import timezone

from wardkeeper.inventory.choices import LocationKind
from wardkeeper.inventory.demo.writer import insert
from wardkeeper.inventory.models import Location
from wardkeeper.monitoring.choices import CheckKind, CheckStatus, Severity
from wardkeeper.monitoring.demo import equipment, fault, history, standins
from wardkeeper.monitoring.models import Check

__all__ = ["MonitoringResult", "write_monitoring"]


@dataclass
class MonitoringResult:
    templates: int
    checks: int
    outages: int


def write_monitoring(seed: object, today: dt.date) -> MonitoringResult:
    """Templates, checks, history, rules, the window and the standing
    fault; returns the counts."""
    rng = random.Random(f"{seed}:monitoring")
    moment = timezone.now()
    now = moment.replace(minute=0, second=0, microsecond=0)
    by_type = equipment.templates()
    standing = fault.plan(rng, moment)
    picked = equipment.pick(standing.floor if standing else "")
    addresses = standins.Addresses()
    regular = equipment.rows(by_type, picked)
    if standing is not None:
        regular += fault.switch_rows(standing, by_type)
    prepared = [standins.prepare(check, addresses) for check in regular]
    refused = fault.rows(standing, addresses) if standing is not None else []
    checks = insert(Check, prepared + refused)
    dc_rooms = set(
        Location.objects.filter(
            kind=LocationKind.ROOM, name__icontains="data centre"
        ).values_list("pk", flat=True)
    )
    window = history.window(now, dc_rooms)
    # The fault's switch keeps out of the past's outages.
    others = [c for c in prepared if not standing or c.asset != standing.switch]
    past = history.stretches(rng, others, now, window, dc_rooms)
    ongoing = fault.history(standing, moment) if standing is not None else []
    history.rollups(rng, checks, past + ongoing, now, window, dc_rooms)
    history.rules_and_alerts(past)
    history.settle_since(checks, past, now)
    live = _live_checks(moment)
    if standing is not None:
        fault.wire(standing)
        fault.start(standing, moment)
    made = sum(len(rows) for rows in by_type.values())
    return MonitoringResult(made, len(checks) + len(live), len(past))


def _live_checks(now: dt.datetime) -> list[Check]:
    """Checks of Wardkeeper itself: its sign-in page, and its PostgreSQL
    database when it runs on one (up, as the demo is built on it)."""
    host, _port = standins.self_address()
    rows = [
        Check(
            name="Wardkeeper sign-in page",
            host=host,
            kind=CheckKind.HTTP,
            params={"url": standins.self_url(), "expect_text": standins.SIGN_IN_TEXT},
            interval=60,
            timeout=10,
            service="Wardkeeper",
            severity=Severity.MINOR,
            status=CheckStatus.UP,
            status_since=now,
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
                status=CheckStatus.UP,
                status_since=now,
            )
        )
    return insert(Check, rows)
