"""HL7 v2 interface traffic, passive: how long since the interface's last
message, and the share of negative acknowledgements among its last ones.

The figures come from engine/mllp.REGISTRY in the monitor process, filled by
Wardkeeper's MLLP listener (interface ``port:<port>`` or ``app:<MSH-3>``) or
pushed there from an interface engine's own counters (Registry.push). When
the registry has nothing for the interface, ``figures`` in the params is used
(``{"last_message_at": epoch seconds, "messages": n, "naks": n}``), so the
server can hand in figures an interface engine posted to it.

Params:
  interface        name in the registry (required)
  max_silence_s    DOWN when no message for longer than this (900)
  hours            "HH:MM-HH:MM": silence only counts within these hours
                   (may wrap midnight); default all day
  days             weekdays silence counts on, 0 = Monday (default all)
  tz               IANA zone for hours/days (default the monitor's local zone)
  nak_window       how many of the last acknowledged messages to rate (50)
  nak_rate_max     DEGRADED when the NAK share exceeds this (0.05)
  nak_min_messages fewest acknowledged messages before the rate counts (10)
  figures          fallback figures, see above

Reasons: silent (DOWN), naks (DEGRADED), no_data (UNKNOWN: nothing known
about the interface). Values: silence_s, messages, nak_rate, rated, acks.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from datetime import datetime, tzinfo
from typing import Any
from zoneinfo import ZoneInfo

from wardkeeper.monitoring.engine import mllp
from wardkeeper.monitoring.engine.probes import probe
from wardkeeper.monitoring.engine.spec import CheckSpec, Outcome, Status


def _minutes(text: str) -> int:
    hours, _, minutes = text.strip().partition(":")
    return int(hours) * 60 + int(minutes or 0)


def in_working_hours(params: Mapping[str, Any], now: float) -> bool:
    """Whether silence at ``now`` counts, per the hours/days/tz params."""
    zone: tzinfo | None = ZoneInfo(str(params["tz"])) if params.get("tz") else None
    local = datetime.fromtimestamp(now, zone)
    days = params.get("days")
    if days is not None and local.weekday() not in {int(d) for d in days}:
        return False
    if not params.get("hours"):
        return True
    first, _, last = str(params["hours"]).partition("-")
    start, end, minute = _minutes(first), _minutes(last), local.hour * 60 + local.minute
    if start <= end:
        return start <= minute < end
    return minute >= start or minute < end  # a night shift wraps midnight


def figures_for(params: Mapping[str, Any]) -> mllp.Figures | None:
    """The interface's figures: the registry's, else those in the params."""
    name = str(params.get("interface", ""))
    found = mllp.REGISTRY.get(name)
    if found is not None or not params.get("figures"):
        return found
    given = params["figures"]
    scratch = mllp.Registry()
    scratch.push(
        name,
        last_message_at=float(given["last_message_at"]),
        messages=int(given.get("messages", 0)),
        naks=int(given.get("naks", 0)),
    )
    return scratch.get(name)


def judge(figures: mllp.Figures, params: Mapping[str, Any], now: float) -> Outcome:
    """The outcome for one interface's figures at ``now``."""
    window = int(params.get("nak_window", 50))
    rate, rated = figures.nak_rate(window)
    last = figures.last_message_at or figures.since
    silence = max(0.0, now - last)
    values: dict[str, Any] = {
        "silence_s": round(silence, 1),
        "messages": figures.messages,
        "nak_rate": round(rate, 4),
        "rated": rated,
        "acks": dict(figures.acks),
    }
    limit = float(params.get("max_silence_s", 900))
    if silence > limit and in_working_hours(params, now):
        what = "no message" if figures.last_message_at is None else "last message"
        message = f"{what} for {silence:.0f} s (limit {limit:.0f} s)"
        return Outcome(Status.DOWN, None, message, "silent", values)
    enough = rated >= int(params.get("nak_min_messages", 10))
    if enough and rate > float(params.get("nak_rate_max", 0.05)):
        message = f"{rate:.0%} negative acks over the last {rated} messages"
        return Outcome(Status.DEGRADED, None, message, "naks", values)
    return Outcome(Status.UP, None, "", "", values)


@probe("hl7_passive")
async def check_hl7_passive(spec: CheckSpec) -> Outcome:
    """Judge an interface from the figures the listener or engine gathered."""
    figures = figures_for(spec.params)
    if figures is None:
        name = spec.params.get("interface", "")
        message = f"no figures for interface {name!r} (is its listener running?)"
        return Outcome(Status.UNKNOWN, message=message, reason="no_data")
    return judge(figures, spec.params, time.time())
