"""The state machine: confirmation counts, flapping, degraded, restore."""

from __future__ import annotations

import pytest

from wardkeeper.monitoring.engine.spec import CheckSpec, Outcome, Result, Status
from wardkeeper.monitoring.engine.state import CheckState, StateBook, advance

U, G, D, X = Status.UP, Status.DEGRADED, Status.DOWN, Status.UNKNOWN
SPEC = CheckSpec(id=7, kind="tcp", host="pacs", confirm_down=3, confirm_up=2)


def feed(state: CheckState, statuses, spec: CheckSpec = SPEC):
    """The (old, new) of every change the sequence causes."""
    changes = []
    for i, status in enumerate(statuses):
        change = advance(state, Outcome(status), spec, at=float(i))
        if change is not None:
            changes.append((change.old, change.new))
    return changes


@pytest.mark.parametrize(
    ("start", "statuses", "expected"),
    [
        (X, [U], [(X, U)]),  # a new check that answers is up at once
        (X, [D, D], []),
        (X, [D, D, D], [(X, D)]),
        (U, [D, D, U, D, D], []),  # a success breaks the streak
        (U, [D, D, D, D, D], [(U, D)]),
        (D, [U], []),
        (D, [U, U], [(D, U)]),
        (U, [G, G, G], [(U, G)]),  # degraded is a failure when coming from up
        (U, [G, G, D], [(U, D)]),  # a mixed streak ends in the latest
        (D, [G, G], [(D, G)]),  # answering again, slowly, is a recovery
        (G, [U, U], [(G, U)]),
        (G, [D, G, D, G, D], []),  # a slow service that sometimes times out
        (U, [X, X, X, X], []),  # no evidence changes nothing
        (U, [D, X, D, X, D], [(U, D)]),
    ],
)
def test_changes_need_their_confirmations(start, statuses, expected):
    assert feed(CheckState(start), statuses) == expected


def test_a_flapping_link_changes_state_at_most_once():
    quick = CheckSpec(
        id=1, kind="icmp", host="ward-switch", confirm_down=1, confirm_up=2
    )
    for spec in (SPEC, quick):
        assert len(feed(CheckState(U), [D, U] * 20, spec)) <= 1


def test_the_change_names_check_time_and_outcome():
    state = CheckState(U)
    outcome = Outcome(D, reason="timeout")
    assert advance(state, outcome, SPEC, at=1.0) is None
    assert advance(state, outcome, SPEC, at=2.0) is None
    change = advance(state, outcome, SPEC, at=3.0)
    assert (change.check_id, change.old, change.new, change.at) == (7, U, D, 3.0)
    assert change.outcome is outcome
    assert (state.status, state.fails, state.successes) == (D, 0, 0)


def test_a_restored_state_carries_on_without_a_duplicate_change():
    live = CheckState(U)
    assert feed(live, [D, D]) == []
    stored = (live.status.value, live.fails, live.successes)
    restored = CheckState.restore(*stored)
    assert restored == live
    assert feed(restored, [D]) == [(U, D)]  # the third failure, counted across restart
    again = CheckState.restore(
        restored.status.value, restored.fails, restored.successes
    )
    assert feed(again, [D, D, D]) == []  # already down: no second alert
    assert CheckState.restore("paused").status == X


def test_the_book_applies_a_batch_and_ignores_checks_it_does_not_know():
    specs = {7: SPEC}
    book = StateBook({7: CheckState(D)})
    results = [Result(7, float(i), 0.0, Outcome(U)) for i in range(3)]
    results.insert(1, Result(99, 0.5, 0.0, Outcome(D)))
    changes = book.apply(results, specs)
    assert [(c.check_id, c.new, c.at) for c in changes] == [
        (7, U, 1.0)
    ]  # the second success confirms
    assert 99 not in book.states
