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

disks: see snmp_disks.py.
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


def patterns(params: Mapping[str, Any], key: str) -> list[str]:
    value = params.get(key) or []
    return [value] if isinstance(value, str) else [str(item) for item in value]


def matches(names: Iterable[str], patterns: list[str]) -> bool:
    return any(fnmatchcase(name, pattern) for name in names for pattern in patterns)


def worst(problems: list[tuple[Status, str, str]], values: dict[str, Any]) -> Outcome:
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
        patterns(spec.params, key) for key in ("interfaces", "non_critical", "ignore")
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
        if (watched and not matches(names, watched)) or matches(names, ignored):
            continue
        seen.update(pattern for pattern in watched if matches(names, [pattern]))
        counts["total"] += 1
        if table[IF_ADMIN].get(index) != 1:
            counts["admin_down"] += 1
        elif oper in OPER_DOWN:
            counts["down"] += 1
            down.append(label)
            status = Status.DEGRADED if matches(names, lax) else Status.DOWN
            problems.append((status, "interface_down", f"{label} is down"))
        elif oper in OPER_UP:
            counts["up"] += 1
    missing = [pattern for pattern in watched if pattern not in seen]
    for pattern in missing:
        status = Status.DEGRADED if matches([pattern], lax) else Status.DOWN
        problems.append((status, "missing", f"{pattern} not found"))
    return worst(problems, {**counts, "down_names": down, "missing": missing})


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
    return worst(_ups_problems(values, spec.params), values)


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
    names = patterns(params, "types") or ["fixed_disk"]
    if "all" in names:
        return None
    return {(*HR_TYPE_ROOT, HR_TYPES[name]) for name in names if name in HR_TYPES}


async def read_storage(session: Session, spec: CheckSpec) -> Outcome:
    """hrStorageTable used % per mount against warn_pct / crit_pct."""
    table = await walk(session, [HR_TYPE, HR_DESCR, HR_SIZE, HR_USED])
    if not table[HR_SIZE]:
        raise SnmpFailure("unsupported", "the agent lists no storage")
    kinds, mounts = _storage_types(spec.params), patterns(spec.params, "mounts")
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
            (mounts and not matches([descr], mounts))
            or not size
            or used is None
            or size < 0
        ):
            continue
        pct = used_pct[descr] = round(100.0 * used / size, 2)
        if pct > crit or pct > warn:
            status = Status.DOWN if pct > crit else Status.DEGRADED
            problems.append((status, "full", f"{descr} {pct:.0f}% used"))
    missing = [pattern for pattern in mounts if not matches(used_pct, [pattern])]
    problems += [
        (Status.DOWN, "missing", f"{pattern} not found") for pattern in missing
    ]
    values = {
        "used_pct": used_pct,
        "max_used_pct": max(used_pct.values(), default=None),
        "count": len(used_pct),
    }
    return worst(problems, values)
