"""Rates from two counter readings: the pure arithmetic of traffic polling.

A reading is the dict kept in ``Interface.counters``: the device's uptime in
ticks (hundredths of a second), the wall-clock time, the counter width and the
raw counters. Between two readings:

- the device's uptime went back, or advanced clearly less than the time
  that passed: it restarted and its counters started again from zero: no
  sample (not a spike of 2**64 bytes). sysUpTime itself wraps after 497
  days, which costs one sample;
- a 32-bit counter went down: it wrapped (once; a 1 Gbit/s link wraps a
  32-bit octet counter every 34 s, so polls must be more frequent than that
  for busy 32-bit-only ports); a wrap that would mean more than the link's
  speed is a reset and gives no rate;
- a 64-bit counter went down: it cannot have wrapped (2**64 octets take 46
  years at 100 Gbit/s), so it was reset (a cleared counter, a line card
  swapped): no rate.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

ERROR_KEYS = ("in_errors", "out_errors", "in_discards", "out_discards")
WRAP_32 = 2**32
# A 32-bit wrap is believed only while the rate it implies fits the link with
# this headroom (agents report speed loosely; bursts round up).
_WRAP_HEADROOM = 1.2
# Seconds by which the device's uptime may trail our clock between two polls
# (request latency) before we call it a restart.
_CLOCK_SLACK = 5.0


@dataclass(frozen=True, slots=True)
class Rates:
    seconds: float
    in_bps: float | None
    out_bps: float | None
    in_errors: float | None
    out_errors: float | None
    in_discards: float | None
    out_discards: float | None
    utilisation: float | None  # % of the link speed, the busier direction


def delta(
    before: int | None, after: int | None, bits: int, ceiling: float | None = None
) -> int | None:
    """How much a counter moved, or None when it cannot be told (absent,
    reset). ``ceiling``: the most it can have moved (for wrap plausibility)."""
    if before is None or after is None:
        return None
    moved = after - before
    if moved >= 0:
        return moved
    if bits != 32:
        return None
    moved += WRAP_32
    if ceiling is not None and moved > ceiling:
        return None
    return moved


def restarted(
    before: Mapping[str, Any], after: Mapping[str, Any], seconds: float
) -> bool:
    """Whether the device restarted between the readings: its uptime went
    back, or it ran clearly less than the time that passed (it rebooted and
    has been up again for longer than it had been before)."""
    ran = (int(after.get("uptime", 0)) - int(before.get("uptime", 0))) / 100
    return ran < 0 or seconds - ran > _CLOCK_SLACK + seconds * 0.01


def rates(
    before: Mapping[str, Any], after: Mapping[str, Any], speed_mbps: int | None
) -> Rates | None:
    """The rates between two readings, or None when there is no sample to
    take (first reading, device restarted, clock did not move)."""
    if not before or before.get("bits") != after.get("bits"):
        return None
    seconds = float(after["at"]) - float(before["at"])
    if seconds <= 0 or restarted(before, after, seconds):
        return None
    bits = int(after["bits"])
    octet_ceiling = (
        speed_mbps * 1e6 / 8 * seconds * _WRAP_HEADROOM if speed_mbps else None
    )
    moved = {
        key: delta(before.get(key), after.get(key), bits, octet_ceiling)
        for key in ("in_octets", "out_octets")
    }
    # No more frames than minimum-size (64-octet) frames fill the link.
    frame_ceiling = octet_ceiling / 64 if octet_ceiling else None
    counts = {
        key: delta(before.get(key), after.get(key), 32, frame_ceiling)
        for key in ERROR_KEYS
    }
    in_bps = (
        moved["in_octets"] * 8 / seconds if moved["in_octets"] is not None else None
    )
    out_bps = (
        moved["out_octets"] * 8 / seconds if moved["out_octets"] is not None else None
    )
    if in_bps is None and out_bps is None:
        return None
    busier = max(v for v in (in_bps, out_bps) if v is not None)
    return Rates(
        seconds=seconds,
        in_bps=in_bps,
        out_bps=out_bps,
        utilisation=min(100.0, busier / (speed_mbps * 1e4)) if speed_mbps else None,
        **{key: (v / seconds if v is not None else None) for key, v in counts.items()},
    )
