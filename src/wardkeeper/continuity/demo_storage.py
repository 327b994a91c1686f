"""The demo hospital's storage health: storage checks on the servers and
arrays the protected systems stand on, each with its last reading, so the
backup dashboard's storage section shows what a hospital sees — a PACS
array rebuilding onto its hot spare after a drive failed, the HIS database
server's controller battery wearing out, the rest healthy.

The management controllers and arrays exist only in the demo hospital, so,
like the monitoring demo's other kinds nothing here can answer, the checks
are paused (monitoring/demo/standins.py); their readings are what the probes
would have reported (engine/probes/redfish.py, snmp_disks.py)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from wardkeeper.continuity.models import ProtectedSystem
from wardkeeper.inventory.demo.writer import insert
from wardkeeper.inventory.models import Asset
from wardkeeper.monitoring.choices import CheckKind, CheckStatus, Severity
from wardkeeper.monitoring.demo.standins import Addresses, prepare
from wardkeeper.monitoring.models import Check, Result

GB = 1024 * 1024  # KB per GB


def _volume(name: str, raid: str, gb: int, health: str = "OK") -> dict[str, Any]:
    state = "Enabled" if health == "OK" else "Degraded"
    return {
        "name": name,
        "raid": raid,
        "health": health,
        "state": state,
        "capacity_kb": gb * GB,
    }


def _redfish_array(
    name: str,
    volumes: list[dict[str, Any]],
    drives: int,
    *,
    spares: int,
    battery: str = "OK",
    failed: int = 0,
) -> dict[str, Any]:
    worst = "Warning" if battery != "OK" or failed else "OK"
    problems = []
    if battery != "OK":
        problems.append(f"{name}: cache battery {battery.lower()}")
    return {
        "id": "RAID.Integrated.1-1",
        "name": name,
        "health": worst,
        "controllers": [name],
        "volumes": volumes,
        "drives": drives,
        "failed_drives": failed,
        "hot_spares": spares,
        "cache": "OK",
        "battery": battery,
        "problems": problems,
    }


def _disks_array(name: str, volumes: list[dict[str, Any]]) -> dict[str, Any]:
    """An SNMP disks reading: the volumes the agent lists, no spares, cache
    or battery (the standard MIBs do not carry them)."""
    bad = [v for v in volumes if v["health"] != "OK"]
    return {
        "id": name,
        "name": name,
        "health": "Warning" if bad else "OK",
        "controllers": [],
        "volumes": volumes,
        "drives": len(volumes),
        "failed_drives": 0,
        "hot_spares": None,
        "cache": None,
        "battery": None,
        "problems": [f"disk {v['name']} {v['state'].lower()}" for v in bad],
    }


# (system, asset type, kind, check name, arrays, status, message)
READINGS: tuple[tuple[str, str, str, str, list[dict[str, Any]], str, str], ...] = (
    (
        "PACS",
        "storage",
        CheckKind.SNMP,
        "Image archive array disks",
        [
            _disks_array(
                "pacs-archive-a",
                [
                    _volume("Archive LUN 1", "", 48_000, "Warning"),
                    _volume("Archive LUN 2", "", 48_000),
                    _volume("Database LUN", "", 4_000),
                ],
            )
        ],
        CheckStatus.DEGRADED,
        "disk Archive LUN 1 warning (rebuilding onto the hot spare)",
    ),
    (
        "PACS",
        "storage",
        CheckKind.SNMP,
        "Image archive array disks",
        [
            _disks_array(
                "pacs-archive-b",
                [
                    _volume("Archive LUN 3", "", 48_000),
                    _volume("Archive LUN 4", "", 48_000),
                ],
            )
        ],
        CheckStatus.UP,
        "",
    ),
    (
        "HIS",
        "server",
        CheckKind.REDFISH,
        "RAID controller (Redfish)",
        [
            _redfish_array(
                "PERC H755",
                [_volume("OS", "RAID1", 480), _volume("Database", "RAID10", 7_680)],
                10,
                spares=1,
                battery="Warning",
            )
        ],
        CheckStatus.DEGRADED,
        "PERC H755: cache battery warning",
    ),
    (
        "LIS",
        "server",
        CheckKind.REDFISH,
        "RAID controller (Redfish)",
        [
            _redfish_array(
                "Smart Array P816i",
                [_volume("OS", "RAID1", 480), _volume("Data", "RAID6", 9_600)],
                8,
                spares=1,
            )
        ],
        CheckStatus.UP,
        "",
    ),
)


def _assets(system: ProtectedSystem, type_code: str, count: int) -> list[Asset]:
    return list(
        system.assets.filter(asset_type__code=type_code).order_by("tag")[:count]
    )


def write_storage() -> int:
    """The storage checks and their last readings; returns how many."""
    now = timezone.now().replace(second=0, microsecond=0)
    systems = {s.name: s for s in ProtectedSystem.objects.all()}
    addresses = Addresses()
    taken: dict[tuple[str, str], int] = {}
    checks: list[Check] = []
    readings: list[tuple[list[dict[str, Any]], str, str]] = []
    for system_name, type_code, kind, name, arrays, status, message in READINGS:
        system = systems.get(system_name)
        if system is None:
            continue
        n = taken.get((system_name, type_code), 0)
        found = _assets(system, type_code, n + 1)
        if len(found) <= n:
            continue
        asset = found[n]
        taken[system_name, type_code] = n + 1
        params = {"what": "disks"} if kind == CheckKind.SNMP else {}
        check = Check(
            name=f"{asset.name or asset.tag}: {name}",
            asset=asset,
            host=asset.ip_address or asset.hostname or asset.tag,
            kind=kind,
            params=params,
            interval=300,
            timeout=20,
            service=system_name,
            severity=Severity.MAJOR,
        )
        checks.append(prepare(check, addresses))  # paused: no stand-in
        readings.append((arrays, status, message))
    made = insert(Check, checks)
    at = now - dt.timedelta(minutes=7)
    Result.objects.bulk_create(
        Result(
            source=check,
            at=at,
            status=status,
            message=message,
            values={"arrays": arrays},
        )
        for check, (arrays, status, message) in zip(made, readings, strict=True)
    )
    return len(made)
