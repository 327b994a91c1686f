"""The SNMP probe's disks mode: disk and RAID volume health from the
standard HOST-RESOURCES-MIB, read, then judged.

disks (HOST-RESOURCES-MIB hrDeviceTable joined with hrDiskStorageTable):
the devices of type hrDeviceDiskStorage with their hrDeviceStatus. An agent
on a server with a RAID controller usually lists the controller's logical
drives (the RAID volumes the operating system sees) as disks, so a volume
the controller marks degraded shows here as "warning". warning or testing
is DEGRADED, down is DOWN; unknown (or no status: net-snmp on Linux lists
its disks with capacity but no status) is not judged.
  disks          descriptions or patterns (hrDeviceDescr) to watch; all the
                 disks with fixed media if empty. A watched one the agent no
                 longer lists is DOWN "missing"
  ignore         descriptions or patterns never watched
  controllers    descriptions or patterns of other devices (a RAID
                 controller an agent lists as hrDeviceOther) to judge too
  array          the array's name (default the agent's sysName)
  values         arrays: one array in the Redfish probe's shape (id, name,
                 health OK/Warning/Critical, controllers, volumes: the disks
                 with name, health, state, capacity_kb, media; drives,
                 failed_drives, problems), missing
  When no watched disk reports a status and none is named in ``disks``, the
  check can tell nothing: UNKNOWN "unsupported".
The standard MIBs carry no hot spares, controller cache or cache battery,
nor the physical drives behind a RAID volume: hot_spares, cache and battery
stay None. Those are in each vendor's own MIB, which this probe does not
read; use the Redfish probe on the server's management controller.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from wardkeeper.monitoring.engine.probes.snmp_client import (
    Oid,
    Session,
    SnmpFailure,
    get,
    walk,
)
from wardkeeper.monitoring.engine.probes.snmp_modes import matches, patterns, worst
from wardkeeper.monitoring.engine.spec import CheckSpec, Outcome, Status

SYS_NAME = (1, 3, 6, 1, 2, 1, 1, 5, 0)
HR_DEVICE = (1, 3, 6, 1, 2, 1, 25, 3, 2, 1)
DEV_TYPE, DEV_DESCR, DEV_STATUS = ((*HR_DEVICE, column) for column in (2, 3, 5))
HR_DISK = (1, 3, 6, 1, 2, 1, 25, 3, 6, 1)
DISK_MEDIA, DISK_REMOVABLE, DISK_CAPACITY = ((*HR_DISK, column) for column in (2, 3, 4))
DISK_STORAGE = (1, 3, 6, 1, 2, 1, 25, 3, 1, 6)  # hrDeviceDiskStorage
DEVICE_STATE = {1: "unknown", 2: "running", 3: "warning", 4: "testing", 5: "down"}
# In the Redfish probe's words, so both kinds of array read alike.
STATE_HEALTH = {
    "running": "OK",
    "warning": "Warning",
    "testing": "Warning",
    "down": "Critical",
}
MEDIA = {
    1: "other",
    2: "unknown",
    3: "hard_disk",
    4: "floppy_disk",
    5: "optical_rom",
    6: "optical_worm",
    7: "optical_rw",
    8: "ram_disk",
}
TRUE = 1  # SNMPv2-TC TruthValue
ARRAY_HEALTH = {Status.UP: "OK", Status.DEGRADED: "Warning", Status.DOWN: "Critical"}


def _device(table: dict[Oid, dict[Oid, Any]], index: Oid, descr: str) -> dict[str, Any]:
    state = DEVICE_STATE.get(table[DEV_STATUS].get(index) or 1, "unknown")
    return {
        "name": descr,
        "raid": "",
        "health": STATE_HEALTH.get(state, ""),
        "state": state,
        "capacity_kb": table[DISK_CAPACITY].get(index),
        "media": MEDIA.get(table[DISK_MEDIA].get(index) or 2, "unknown"),
    }


def _devices(
    table: dict[Oid, dict[Oid, Any]], params: Mapping[str, Any]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The watched disks and controllers, in the agent's order."""
    watched, ignored, named = (
        patterns(params, key) for key in ("disks", "ignore", "controllers")
    )
    disks: list[dict[str, Any]] = []
    controllers: list[dict[str, Any]] = []
    for index, kind in sorted(table[DEV_TYPE].items()):
        descr = str(table[DEV_DESCR].get(index) or ".".join(map(str, index)))
        if matches([descr], ignored):
            continue
        if kind == DISK_STORAGE:
            # Media taken out of a CD drive or card reader is no fault.
            lax = table[DISK_REMOVABLE].get(index) == TRUE
            if matches([descr], watched) or not (watched or lax):
                disks.append(_device(table, index, descr))
        elif matches([descr], named):
            controllers.append(_device(table, index, descr))
    return disks, controllers


def _device_problems(
    kind: str, devices: list[dict[str, Any]]
) -> list[tuple[Status, str, str]]:
    problems: list[tuple[Status, str, str]] = []
    for device in devices:
        if device["health"] == "Critical":
            problems.append((Status.DOWN, "failed", f"{kind} {device['name']} down"))
        elif device["health"] == "Warning":
            message = f"{kind} {device['name']} {device['state']}"
            problems.append((Status.DEGRADED, "degraded", message))
    return problems


def _array(
    name: str,
    disks: list[dict[str, Any]],
    controllers: list[dict[str, Any]],
    problems: list[tuple[Status, str, str]],
) -> dict[str, Any]:
    """The disks as one array, in the Redfish probe's shape."""
    return {
        "id": "hrDeviceTable",
        "name": name,
        "health": "",  # set once judged
        "controllers": len(controllers),
        "volumes": disks,
        "drives": len(disks),
        "failed_drives": sum(1 for disk in disks if disk["state"] == "down"),
        # Not in any standard MIB (see the module's docstring).
        "hot_spares": None,
        "cache": None,
        "battery": None,
        "problems": [problem[2] for problem in problems],
    }


async def read_disks(session: Session, spec: CheckSpec) -> Outcome:
    """hrDeviceStatus of the disks (and named controllers) as one array."""
    table = await walk(
        session,
        [DEV_TYPE, DEV_DESCR, DEV_STATUS, DISK_MEDIA, DISK_REMOVABLE, DISK_CAPACITY],
    )
    if not table[DEV_TYPE]:
        raise SnmpFailure("unsupported", "the agent lists no devices (hrDeviceTable)")
    params = spec.params
    disks, controllers = _devices(table, params)
    watched = patterns(params, "disks") + patterns(params, "controllers")
    if not disks and not watched:
        raise SnmpFailure("unsupported", "the agent lists no disks")
    names = [device["name"] for device in disks + controllers]
    missing = [pattern for pattern in watched if not matches(names, [pattern])]
    problems = _device_problems("controller", controllers)
    problems += _device_problems("disk", disks)
    problems += [(Status.DOWN, "missing", f"{p} not found") for p in missing]
    name = params.get("array") or (await get(session, [SYS_NAME])).get(SYS_NAME)
    array = _array(str(name or spec.host), disks, controllers, problems)
    outcome = worst(problems, {"arrays": [array], "missing": missing})
    judged = any(device["health"] for device in disks + controllers)
    if outcome.status == Status.UP and not judged and not watched:
        # Nothing reported a state and nothing was named: nothing is known.
        message = "the agent reports no status for its disks"
        outcome = Outcome(
            Status.UNKNOWN, message=message, reason="unsupported", values=outcome.values
        )
    array["health"] = ARRAY_HEALTH.get(outcome.status, "")
    return outcome
