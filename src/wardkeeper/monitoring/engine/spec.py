"""What the engine is given (CheckSpec), what a probe answers (Outcome) and
what the engine hands on (Result)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class Status(StrEnum):
    UP = "up"
    DEGRADED = "degraded"  # answering, but outside a limit (slow, nearly full)
    DOWN = "down"
    UNKNOWN = "unknown"  # not checked yet, or the probe could not judge


@dataclass(frozen=True, slots=True)
class CheckSpec:
    """One check as the engine sees it. ``params`` are the probe's own
    (port, URL, community, AE titles …); secrets arrive decrypted, in memory
    only. ``host`` keys the per-host limits that keep fragile medical devices
    from being hammered."""

    id: int
    kind: str
    host: str
    params: Mapping[str, Any] = field(default_factory=dict)
    interval: float = 60.0  # seconds between runs
    timeout: float = 10.0  # seconds a run may take before it counts as down
    confirm_down: int = 3  # failures in a row before the state is down
    confirm_up: int = 2  # successes in a row before it is up again
    parents: tuple[int, ...] = ()  # checks this one is reached through


@dataclass(slots=True)
class Outcome:
    """A probe's answer. ``reason`` is a short machine word for the failure
    ("timeout", "refused", "rejected", "status", "expiring" …); ``values`` are
    the measurements (uptime, days to expiry, replication lag …)."""

    status: Status
    latency_ms: float | None = None
    message: str = ""
    reason: str = ""
    values: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class Result:
    """One run of one check: when it started (epoch seconds), how late on its
    schedule (seconds), and the probe's outcome."""

    check_id: int
    at: float
    lag: float
    outcome: Outcome
