"""SNMP v2c and v3: unexpected reboots, interface state, UPS battery,
storage use and disk state, read from the device's own agent.

Params (all modes):
  what           "uptime" (default), "interfaces", "ups", "storage" or "disks"
  version        "2c" (default) or "3"
  port           UDP port (161)
  community      v2c community ("public")
  user           v3 user name
  auth_protocol  v3: "SHA" (default), "SHA-224", "SHA-256", "SHA-384", "SHA-512", "MD5"
  auth_key       v3 authentication pass phrase (a secret; none = noAuthNoPriv)
  priv_protocol  v3: "AES" (default, AES-128), "AES-192", "AES-256", "DES"
  priv_key       v3 privacy pass phrase (a secret; none = authNoPriv)
  context        v3 context name ("")
  retries        extra attempts within the timeout (1)
Mode params are described in snmp_modes.py and snmp_disks.py.

Reasons: timeout (no answer: agent down, wrong community, wrong v3 privacy
key), auth (v3 report of a wrong digest or unknown user, or the agent
refused access), dns, config, error (an SNMP error answer), unsupported (the
agent lacks the MIB), rebooted, interface_down, missing, on_battery,
battery_low, runtime, charge, bypass, no_output, full, degraded, failed.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import Any

from wardkeeper.monitoring.engine.probes import probe
from wardkeeper.monitoring.engine.probes._net import budget, ms
from wardkeeper.monitoring.engine.probes.snmp_client import (
    Session,
    SnmpFailure,
    get,
    open_session,
)
from wardkeeper.monitoring.engine.probes.snmp_disks import SYS_NAME, read_disks
from wardkeeper.monitoring.engine.probes.snmp_modes import (
    read_interfaces,
    read_storage,
    read_ups,
)
from wardkeeper.monitoring.engine.spec import CheckSpec, Outcome, Status

SYS_DESCR = (1, 3, 6, 1, 2, 1, 1, 1, 0)
SYS_UPTIME = (1, 3, 6, 1, 2, 1, 1, 3, 0)
# sysUpTime is TimeTicks (1/100 s, 32 bits): it wraps after about 497 days.
WRAP_S = 2**32 / 100.0

# check id -> (uptime seconds, monotonic time it was read). In-process only;
# values["uptime_s"] lets the server compare across a monitor restart.
_last_uptime: dict[int, tuple[float, float]] = {}


def is_reboot(previous: tuple[float, float] | None, uptime: float, now: float) -> bool:
    """Whether ``uptime`` (read at ``now``) shows a restart since ``previous``
    ((uptime, read at)); a counter wrap is not a restart."""
    if previous is None or uptime >= previous[0]:
        return False
    expected = previous[0] + (now - previous[1])
    slack = max(60.0, 0.1 * (now - previous[1]))
    return not (expected >= WRAP_S and abs(expected - WRAP_S - uptime) < slack)


async def read_uptime(session: Session, spec: CheckSpec) -> Outcome:
    """sysUpTime with sysDescr and sysName; DEGRADED "rebooted" when the
    uptime went backwards since this check's previous run."""
    answer = await get(session, [SYS_UPTIME, SYS_DESCR, SYS_NAME])
    ticks = answer.get(SYS_UPTIME)
    if ticks is None:
        raise SnmpFailure("unsupported", "the agent does not answer sysUpTime")
    uptime = int(ticks) / 100.0
    values: dict[str, Any] = {
        "uptime_s": uptime,
        "sys_descr": answer.get(SYS_DESCR) or "",
        "sys_name": answer.get(SYS_NAME) or "",
    }
    now = time.monotonic()
    rebooted = is_reboot(_last_uptime.get(spec.id), uptime, now)
    _last_uptime[spec.id] = (uptime, now)
    if rebooted:
        message = f"restarted {uptime:.0f} s ago"
        return Outcome(
            Status.DEGRADED, message=message, reason="rebooted", values=values
        )
    return Outcome(Status.UP, values=values)


MODES: dict[str, Callable[[Session, CheckSpec], Awaitable[Outcome]]] = {
    "uptime": read_uptime,
    "interfaces": read_interfaces,
    "ups": read_ups,
    "storage": read_storage,
    "disks": read_disks,
}


@probe("snmp")
async def check_snmp(spec: CheckSpec) -> Outcome:
    """Ask spec.host's agent per params["what"]; never raises for SNMP or
    network failures (they come back as a DOWN Outcome with a reason)."""
    mode = MODES.get(str(spec.params.get("what", "uptime")))
    if mode is None:
        return Outcome(Status.UNKNOWN, message="unknown SNMP mode", reason="config")
    wait = budget(spec.timeout)
    started = time.perf_counter()
    try:
        # pysnmp's own timer reports a silent agent; this bound only catches a
        # multi-request walk that runs past the check's timeout.
        async with asyncio.timeout(wait):
            session = await open_session(spec.host, spec.params, wait)
            started = time.perf_counter()  # latency: the SNMP exchange alone
            outcome = await mode(session, spec)
    except TimeoutError:
        outcome = Outcome(Status.DOWN, message="no answer in time", reason="timeout")
    except SnmpFailure as failure:
        status = (
            Status.UNKNOWN
            if failure.reason in ("unsupported", "config")
            else Status.DOWN
        )
        outcome = Outcome(status, message=str(failure), reason=failure.reason)
    if outcome.reason not in ("timeout", "dns", "config"):
        outcome.latency_ms = ms(started, time.perf_counter())  # the agent answered
    return outcome
