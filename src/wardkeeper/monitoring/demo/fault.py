"""The demo's standing fault: one ward floor's access switch is down, and the
devices behind it (patient monitors, an infusion pump gateway, workstations,
printers, an access point) are unreachable.

Their checks connect to a port of their loopback stand-in where nothing
listens (standins.refused), so the live monitor keeps finding them down and
the fault stays on the board for as long as the demo runs. The devices'
checks depend on the switch's (Check.parents), so the switch's alert is the
root cause naming how many checks it takes down, and only it alerts.

The fault's first results, from when it began until the build, go through
the monitor's own recorder (services.state): the outages, the alert routed
by the rules, the ticket in the service desk and the audit entries are the
ones the monitor itself would have made. Its state survives in the check
rows, so the monitor carries on from there and opens nothing twice.
"""

from __future__ import annotations

import datetime as dt
import errno
import os
import random
from collections import defaultdict
from dataclasses import dataclass, field

from wardkeeper.inventory.choices import AssetStatus
from wardkeeper.inventory.models import Asset
from wardkeeper.inventory.models.locations import SEPARATOR
from wardkeeper.monitoring.choices import CheckKind, CheckStatus, Severity
from wardkeeper.monitoring.demo import equipment, standins
from wardkeeper.monitoring.demo.history import Stretch
from wardkeeper.monitoring.engine.spec import Outcome, Result, Status
from wardkeeper.monitoring.models import Check, CheckTemplate
from wardkeeper.monitoring.services import state
from wardkeeper.monitoring.services.templates import host_of

# (asset type, check name, the real device's port, service, how many, severity)
DeviceRow = tuple[str, str, int, str, int, int]
FLOOR_DEVICES: tuple[DeviceRow, ...] = (
    ("patient-monitor", "HL7 port", 2575, "Patient monitoring", 2, Severity.MAJOR),
    ("infusion-gateway", "HTTPS port", 443, "Infusion", 1, Severity.MAJOR),
    ("workstation", "Remote desktop", 3389, "Desktop", 2, Severity.MINOR),
    ("printer", "Print port", 9100, "Printing", 1, Severity.MINOR),
    ("label-printer", "Print port", 9100, "Printing", 1, Severity.MINOR),
    ("wireless-ap", "HTTPS port", 443, "Network", 1, Severity.MINOR),
)
WARD_TYPES = frozenset({"patient-monitor", "infusion-gateway"})
FULL_SET = sum(row[4] for row in FLOOR_DEVICES)
SWITCH_PORT = 22  # its management (SSH)
# Minutes before the build, from the seed: a fresh fault, its ticket still
# inside its response target when someone first looks.
BEGAN = (12, 25)
REFUSED = f"connect: [Errno {errno.ECONNREFUSED}] {os.strerror(errno.ECONNREFUSED)}"


@dataclass
class Fault:
    switch: Asset
    floor: str
    devices: list[tuple[Asset, DeviceRow]]
    began: dt.datetime
    check: Check | None = None
    children: list[Check] = field(default_factory=list)


def plan(rng: random.Random, now: dt.datetime) -> Fault | None:
    """A ward floor (one with patient monitors or infusion pumps, else any
    floor) with an access switch and devices on it; None if there is none."""
    switches = (
        Asset.objects.filter(
            asset_type__code="switch",
            status=AssetStatus.IN_USE,
            hostname__contains="-ASW",
        )
        .exclude(ip_address=None)
        .select_related("location")
        .order_by("hostname", "pk")
    )
    first: dict[str, Asset] = {}
    for switch in switches:
        first.setdefault(equipment.place(switch, 3), switch)
    # (pk, type) of the devices on each floor: light rows, as workstations
    # alone are thousands; only the chosen floor's are loaded whole.
    on_floor: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for pk, code, full_name in (
        Asset.objects.filter(
            asset_type__code__in=[row[0] for row in FLOOR_DEVICES],
            status=AssetStatus.IN_USE,
        )
        .exclude(ip_address=None)
        .order_by("hostname", "pk")
        .values_list("pk", "asset_type__code", "location__full_name")
    ):
        floor = SEPARATOR.join((full_name or "").split(SEPARATOR)[:3])
        on_floor[floor].append((pk, code))
    chosen = {floor: _chosen(on_floor[floor]) for floor in sorted(first)}
    floors = [f for f, devices in chosen.items() if devices]
    if not floors:
        return None
    wards = [f for f in floors if {code for _pk, code in on_floor[f]} & WARD_TYPES]
    # Of the wards (else any floor), one with a full set of devices behind
    # its switch, else with as many as any has.
    pool = wards or floors
    enough = min(FULL_SET, max(len(chosen[f]) for f in pool))
    floor = rng.choice([f for f in pool if len(chosen[f]) >= enough])
    began = now - dt.timedelta(minutes=rng.randrange(*BEGAN))
    assets = Asset.objects.select_related("location", "asset_type").in_bulk(
        [pk for pk, _row in chosen[floor]]
    )
    devices = [(assets[pk], row) for pk, row in chosen[floor]]
    return Fault(first[floor], floor, devices, began)


def _chosen(devices: list[tuple[int, str]]) -> list[tuple[int, DeviceRow]]:
    """The floor's devices behind the switch: so many of each type."""
    return [
        (pk, row)
        for row in FLOOR_DEVICES
        for pk in [pk for pk, code in devices if code == row[0]][: row[4]]
    ]


def switch_rows(fault: Fault, by_type: dict[str, list[CheckTemplate]]) -> list[Check]:
    """The switch's template checks but its ping (the fault's own check
    stands for it)."""
    made = equipment.rows(by_type, {"switch": [fault.switch]})
    return [check for check in made if check.kind != CheckKind.ICMP]


def rows(fault: Fault, addresses: standins.Addresses) -> list[Check]:
    """The switch's management port and each device's port, unsaved, on
    refused stand-ins; ``fault.check`` and ``fault.children`` are set."""
    switch = fault.switch
    fault.check = standins.refused(
        equipment.check_of(
            switch,
            "switch",
            name=f"Management port · {switch.name}",
            kind=CheckKind.TCP,
            severity=Severity.MAJOR,
        ),
        addresses,
        SWITCH_PORT,
    )
    fault.children = [
        standins.refused(
            Check(
                asset=asset,
                host=host_of(asset),
                name=f"{name} · {asset.name}",
                kind=CheckKind.TCP,
                service=service,
                severity=severity,
            ),
            addresses,
            port,
        )
        for asset, (_code, name, port, service, _count, severity) in fault.devices
    ]
    return [fault.check, *fault.children]


def wire(fault: Fault) -> None:
    """The devices' checks depend on the switch's."""
    assert fault.check is not None
    Check.parents.through.objects.bulk_create(
        Check.parents.through(from_check_id=child.pk, to_check_id=fault.check.pk)
        for child in fault.children
    )


def history(fault: Fault, now: dt.datetime) -> list[Stretch]:
    """The fault as the roll-ups of the hours before the build see it."""
    minutes = int((now - fault.began).total_seconds() // 60) + 1
    assert fault.check is not None
    return [
        Stretch(fault.check, fault.began, minutes),
        *(
            Stretch(c, fault.began, minutes, CheckStatus.UNREACHABLE, fault.check)
            for c in fault.children
        ),
    ]


def start(fault: Fault, now: dt.datetime) -> None:
    """Every run of the fault's checks from when it began until ``now``,
    refused, stored by the monitor's recorder in one batch: the switch and
    the devices confirm down together, so the devices are judged to be
    behind it and only the switch alerts."""
    assert fault.check is not None
    results = []
    for n, check in enumerate([fault.check, *fault.children]):
        at = fault.began + dt.timedelta(seconds=2 * n)
        while at <= now:
            outcome = Outcome(Status.DOWN, message=REFUSED, reason="refused")
            results.append(Result(check.pk, at.timestamp(), 0.0, outcome))
            at += dt.timedelta(seconds=check.interval)
    state.record(results)
