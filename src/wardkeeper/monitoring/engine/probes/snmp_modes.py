"""The SNMP probe's table and UPS modes: read, then judge.

interfaces (IF-MIB): an interface administratively up but operationally
down (down, notPresent, lowerLayerDown) is DOWN, or DEGRADED when it matches
``non_critical``.
  interfaces     names or shell patterns (ifName or ifDescr) to watch; all if empty
  non_critical   names or patterns whose loss only degrades
  ignore         names or patterns never watched
  values         up, down, admin_down, total, down_names, missing

ups (UPS-MIB, 1.3.6.1.2.1.33):
  on_battery     "degraded" (default) or "down" while the output is on battery
  minutes_warn / minutes_crit   estimated runtime left below which DEGRADED / DOWN (10 / 5)
  charge_warn / charge_crit     battery charge % below which DEGRADED / DOWN (50 / 25)
  A battery reported low or depleted, or no output at all, is DOWN; bypass is DEGRADED.

storage (HOST-RESOURCES-MIB hrStorageTable):
  mounts         descriptions or patterns ("/", "/var*"); all of the types if empty
  types          hrStorage types to look at (["fixed_disk"]); also "ram",
                 "virtual_memory", "removable_disk", "network_disk", "all"
  warn_pct / crit_pct   used % above which DEGRADED / DOWN (85 / 95)
  values         used_pct {mount: %}, max_used_pct, count

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

from collections.abc import Iterable, Mapping
from fnmatch import fnmatchcase
from typing import Any

from wardkeeper.monitoring.engine.probes.snmp_client import (
    Oid,
    Session,
    SnmpFailure,
    get,
    walk,
)
from wardkeeper.monitoring.engine.spec import CheckSpec, Outcome, Status

IF_DESCR = (1, 3, 6, 1, 2, 1, 2, 2, 1, 2)
IF_ADMIN = (1, 3, 6, 1, 2, 1, 2, 2, 1, 7)
IF_OPER = (1, 3, 6, 1, 2, 1, 2, 2, 1, 8)
IF_NAME = (1, 3, 6, 1, 2, 1, 31, 1, 1, 1, 1)
OPER_UP = {1, 5}  # up, dormant (waiting for traffic is normal)
OPER_DOWN = {2, 6, 7}  # down, notPresent, lowerLayerDown

UPS = (1, 3, 6, 1, 2, 1, 33, 1)
UPS_BATTERY_STATUS = (*UPS, 2, 1, 0)
UPS_SECONDS_ON_BATTERY = (*UPS, 2, 2, 0)
UPS_MINUTES_LEFT = (*UPS, 2, 3, 0)
UPS_CHARGE = (*UPS, 2, 4, 0)
UPS_OUTPUT_SOURCE = (*UPS, 4, 1, 0)
BATTERY = {1: "unknown", 2: "normal", 3: "low", 4: "depleted"}
SOURCE = {
    1: "other",
    2: "none",
    3: "normal",
    4: "bypass",
    5: "battery",
    6: "booster",
    7: "reducer",
}

HR_STORAGE = (1, 3, 6, 1, 2, 1, 25, 2, 3, 1)
HR_TYPE, HR_DESCR, HR_SIZE, HR_USED = ((*HR_STORAGE, column) for column in (2, 3, 5, 6))
HR_TYPES = {
    "other": 1,
    "ram": 2,
    "virtual_memory": 3,
    "fixed_disk": 4,
    "removable_disk": 5,
    "floppy_disk": 6,
    "compact_disc": 7,
    "ram_disk": 8,
    "flash_memory": 9,
    "network_disk": 10,
}
HR_TYPE_ROOT = (1, 3, 6, 1, 2, 1, 25, 2, 1)


def _patterns(params: Mapping[str, Any], key: str) -> list[str]:
    value = params.get(key) or []
    return [value] if isinstance(value, str) else [str(item) for item in value]


def _matches(names: Iterable[str], patterns: list[str]) -> bool:
    return any(fnmatchcase(name, pattern) for name in names for pattern in patterns)


def _worst(problems: list[tuple[Status, str, str]], values: dict[str, Any]) -> Outcome:
    """One Outcome from (status, reason, message) findings: the worst status,
    its first reason, and every message."""
    if not problems:
        return Outcome(Status.UP, values=values)
    down = [problem for problem in problems if problem[0] == Status.DOWN]
    status, reason, _message = (down or problems)[0]
    message = "; ".join(problem[2] for problem in problems)
    return Outcome(status, message=message, reason=reason, values=values)


async def read_interfaces(session: Session, spec: CheckSpec) -> Outcome:
    """IF-MIB state of the watched interfaces."""
    table = await walk(session, [IF_DESCR, IF_ADMIN, IF_OPER, IF_NAME])
    if not table[IF_OPER]:
        raise SnmpFailure("unsupported", "the agent lists no interfaces")
    watched, lax, ignored = (
        _patterns(spec.params, key) for key in ("interfaces", "non_critical", "ignore")
    )
    counts = {"up": 0, "down": 0, "admin_down": 0, "total": 0}
    down: list[str] = []
    seen: set[str] = set()
    problems: list[tuple[Status, str, str]] = []
    for index, oper in sorted(table[IF_OPER].items()):
        names = [
            str(n) for n in (table[IF_NAME].get(index), table[IF_DESCR].get(index)) if n
        ]
        label = names[0] if names else ".".join(map(str, index))
        if (watched and not _matches(names, watched)) or _matches(names, ignored):
            continue
        seen.update(pattern for pattern in watched if _matches(names, [pattern]))
        counts["total"] += 1
        if table[IF_ADMIN].get(index) != 1:
            counts["admin_down"] += 1
        elif oper in OPER_DOWN:
            counts["down"] += 1
            down.append(label)
            status = Status.DEGRADED if _matches(names, lax) else Status.DOWN
            problems.append((status, "interface_down", f"{label} is down"))
        elif oper in OPER_UP:
            counts["up"] += 1
    missing = [pattern for pattern in watched if pattern not in seen]
    for pattern in missing:
        status = Status.DEGRADED if _matches([pattern], lax) else Status.DOWN
        problems.append((status, "missing", f"{pattern} not found"))
    return _worst(problems, {**counts, "down_names": down, "missing": missing})


async def read_ups(session: Session, spec: CheckSpec) -> Outcome:
    """UPS-MIB battery and output state against the thresholds."""
    answer = await get(
        session,
        [
            UPS_BATTERY_STATUS,
            UPS_SECONDS_ON_BATTERY,
            UPS_MINUTES_LEFT,
            UPS_CHARGE,
            UPS_OUTPUT_SOURCE,
        ],
    )
    if answer.get(UPS_BATTERY_STATUS) is None and answer.get(UPS_OUTPUT_SOURCE) is None:
        raise SnmpFailure("unsupported", "the agent does not implement UPS-MIB")
    values: dict[str, Any] = {
        "battery_status": BATTERY.get(answer.get(UPS_BATTERY_STATUS) or 1, "unknown"),
        "output_source": SOURCE.get(answer.get(UPS_OUTPUT_SOURCE) or 1, "other"),
        "seconds_on_battery": answer.get(UPS_SECONDS_ON_BATTERY),
        "minutes_remaining": answer.get(UPS_MINUTES_LEFT),
        "charge_pct": answer.get(UPS_CHARGE),
    }
    return _worst(_ups_problems(values, spec.params), values)


def _ups_problems(
    values: Mapping[str, Any], params: Mapping[str, Any]
) -> list[tuple[Status, str, str]]:
    problems: list[tuple[Status, str, str]] = []
    source, battery = values["output_source"], values["battery_status"]
    if source == "none":
        problems.append((Status.DOWN, "no_output", "the UPS output is off"))
    elif source == "battery":
        severe = str(params.get("on_battery", "degraded")) == "down"
        status = Status.DOWN if severe else Status.DEGRADED
        problems.append((status, "on_battery", "running on battery"))
    elif source == "bypass":
        problems.append((Status.DEGRADED, "bypass", "on bypass: no protection"))
    if battery in ("low", "depleted"):
        problems.append((Status.DOWN, "battery_low", f"battery {battery}"))
    for key, reason, unit, warn, crit in (
        ("minutes_remaining", "runtime", "min left", "minutes_warn", "minutes_crit"),
        ("charge_pct", "charge", "% charge", "charge_warn", "charge_crit"),
    ):
        problem = _below(values[key], params, warn, crit)
        if problem is not None:
            problems.append((problem, reason, f"{values[key]} {unit}"))
    return problems


_UPS_DEFAULTS = {
    "minutes_warn": 10,
    "minutes_crit": 5,
    "charge_warn": 50,
    "charge_crit": 25,
}


def _below(
    value: Any, params: Mapping[str, Any], warn: str, crit: str
) -> Status | None:
    if value is None:
        return None
    if value < float(params.get(crit, _UPS_DEFAULTS[crit])):
        return Status.DOWN
    if value < float(params.get(warn, _UPS_DEFAULTS[warn])):
        return Status.DEGRADED
    return None


def _storage_types(params: Mapping[str, Any]) -> set[Oid] | None:
    names = _patterns(params, "types") or ["fixed_disk"]
    if "all" in names:
        return None
    return {(*HR_TYPE_ROOT, HR_TYPES[name]) for name in names if name in HR_TYPES}


async def read_storage(session: Session, spec: CheckSpec) -> Outcome:
    """hrStorageTable used % per mount against warn_pct / crit_pct."""
    table = await walk(session, [HR_TYPE, HR_DESCR, HR_SIZE, HR_USED])
    if not table[HR_SIZE]:
        raise SnmpFailure("unsupported", "the agent lists no storage")
    kinds, mounts = _storage_types(spec.params), _patterns(spec.params, "mounts")
    warn = float(spec.params.get("warn_pct", 85))
    crit = float(spec.params.get("crit_pct", 95))
    used_pct: dict[str, float] = {}
    problems: list[tuple[Status, str, str]] = []
    for index, size in sorted(table[HR_SIZE].items()):
        descr = str(table[HR_DESCR].get(index) or ".".join(map(str, index)))
        used = table[HR_USED].get(index)
        if kinds is not None and table[HR_TYPE].get(index) not in kinds:
            continue
        if (
            (mounts and not _matches([descr], mounts))
            or not size
            or used is None
            or size < 0
        ):
            continue
        pct = used_pct[descr] = round(100.0 * used / size, 2)
        if pct > crit or pct > warn:
            status = Status.DOWN if pct > crit else Status.DEGRADED
            problems.append((status, "full", f"{descr} {pct:.0f}% used"))
    missing = [pattern for pattern in mounts if not _matches(used_pct, [pattern])]
    problems += [
        (Status.DOWN, "missing", f"{pattern} not found") for pattern in missing
    ]
    values = {
        "used_pct": used_pct,
        "max_used_pct": max(used_pct.values(), default=None),
        "count": len(used_pct),
    }
    return _worst(problems, values)


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
        _patterns(params, key) for key in ("disks", "ignore", "controllers")
    )
    disks: list[dict[str, Any]] = []
    controllers: list[dict[str, Any]] = []
    for index, kind in sorted(table[DEV_TYPE].items()):
        descr = str(table[DEV_DESCR].get(index) or ".".join(map(str, index)))
        if _matches([descr], ignored):
            continue
        if kind == DISK_STORAGE:
            # Media taken out of a CD drive or card reader is no fault.
            lax = table[DISK_REMOVABLE].get(index) == TRUE
            if _matches([descr], watched) or not (watched or lax):
                disks.append(_device(table, index, descr))
        elif _matches([descr], named):
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
    watched = _patterns(params, "disks") + _patterns(params, "controllers")
    if not disks and not watched:
        raise SnmpFailure("unsupported", "the agent lists no disks")
    names = [device["name"] for device in disks + controllers]
    missing = [pattern for pattern in watched if not _matches(names, [pattern])]
    problems = _device_problems("controller", controllers)
    problems += _device_problems("disk", disks)
    problems += [(Status.DOWN, "missing", f"{p} not found") for p in missing]
    name = params.get("array") or (await get(session, [SYS_NAME])).get(SYS_NAME)
    array = _array(str(name or spec.host), disks, controllers, problems)
    outcome = _worst(problems, {"arrays": [array], "missing": missing})
    judged = any(device["health"] for device in disks + controllers)
    if outcome.status == Status.UP and not judged and not watched:
        # Nothing reported a state and nothing was named: nothing is known.
        message = "the agent reports no status for its disks"
        outcome = Outcome(
            Status.UNKNOWN, message=message, reason="unsupported", values=outcome.values
        )
    array["health"] = ARRAY_HEALTH.get(outcome.status, "")
    return outcome
