"""Each check's state, with confirmation counts so a flapping link pages
nobody ten times.

The rule (pure, no I/O):

- A result that agrees with the current status resets both streaks.
- A result *worse* than the current status (up < degraded < down) extends
  the failure streak (``fails``) and resets the success streak; at
  ``confirm_down`` in a row the status becomes the latest result's. Degraded
  therefore counts as a failure when coming from up, and a streak mixing
  degraded and down results ends in whichever came last.
- A result *better* than the current status extends the success streak
  (``successes``) and resets the failure streak; at ``confirm_up`` in a row
  the status becomes the latest result's (down → degraded → up are both
  recoveries).
- From unknown (a new check), the first up result is taken at once; down
  and degraded still need ``confirm_down`` in a row.
- An unknown outcome (no probe, the probe could not judge) is no evidence:
  it changes nothing.

So an alternating fail/ok link changes state at most once. ``status``,
``fails`` and ``successes`` are all there is to store: a restarted monitor
restores them (``CheckState.restore``) and carries on without repeating a
change.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from wardkeeper.monitoring.engine.spec import CheckSpec, Outcome, Result, Status

_RANK = {Status.UP: 0, Status.DEGRADED: 1, Status.DOWN: 2}


@dataclass(slots=True)
class CheckState:
    """What the state machine remembers of one check."""

    status: Status = Status.UNKNOWN
    fails: int = 0  # results worse than ``status`` in a row
    successes: int = 0  # results better than ``status`` in a row

    @classmethod
    def restore(cls, status: str, fails: int = 0, successes: int = 0) -> CheckState:
        """Rebuild the state from the stored fields (an unrecognised status
        counts as unknown)."""
        try:
            known = Status(status)
        except ValueError:
            known = Status.UNKNOWN
        return cls(known, max(0, fails), max(0, successes))


@dataclass(frozen=True, slots=True)
class Change:
    """A confirmed change of status, and the result that confirmed it."""

    check_id: int
    old: Status
    new: Status
    at: float
    outcome: Outcome


def advance(
    state: CheckState, outcome: Outcome, spec: CheckSpec, *, at: float | None = None
) -> Change | None:
    """Fold one outcome into ``state`` (in place); return the Change when the
    status changes, else None. ``at`` defaults to now (epoch seconds)."""
    new = outcome.status
    if new == Status.UNKNOWN:
        return None
    old = state.status
    if new == old:
        state.fails = state.successes = 0
        return None
    if old == Status.UNKNOWN and new == Status.UP:
        return _change(state, outcome, spec, at)
    if old == Status.UNKNOWN or _RANK[new] > _RANK[old]:
        state.fails += 1
        state.successes = 0
        needed = spec.confirm_down
    else:
        state.successes += 1
        state.fails = 0
        needed = spec.confirm_up
    if state.fails + state.successes < max(1, needed):
        return None
    return _change(state, outcome, spec, at)


def _change(
    state: CheckState, outcome: Outcome, spec: CheckSpec, at: float | None
) -> Change:
    old = state.status
    state.status = outcome.status
    state.fails = state.successes = 0
    return Change(
        spec.id, old, outcome.status, time.time() if at is None else at, outcome
    )


class StateBook:
    """The states of all checks, kept in memory by whoever reads the results
    (the Django sink): restore once at start, then ``apply`` each batch."""

    def __init__(self, states: Mapping[int, CheckState] | None = None) -> None:
        self.states: dict[int, CheckState] = dict(states or {})

    def apply(
        self, results: Iterable[Result], specs: Mapping[int, CheckSpec]
    ) -> list[Change]:
        """Advance each result's check; the confirmed changes, in order.
        Results of checks missing from ``specs`` are ignored."""
        changes = []
        for result in results:
            spec = specs.get(result.check_id)
            if spec is None:
                continue
            state = self.states.get(result.check_id)
            if state is None:
                state = self.states[result.check_id] = CheckState()
            change = advance(state, result.outcome, spec, at=result.at)
            if change is not None:
                changes.append(change)
        return changes
