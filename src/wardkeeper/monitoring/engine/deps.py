"""Dependencies: which down checks are faults of their own (root causes) and
which are merely cut off behind a down parent (unreachable).

The monitor reaches a check when the check has no parents, or when at least
one parent is reached and not down. Everything else is *cut off*. So a check
with several parents (multi-homed: two uplinks) is cut off only when ALL its
parents are down or cut off; with one parent, ANY and ALL are the same.

- A down check the monitor reaches is a root cause: it raises the alert.
- A down check that is cut off is unreachable: no alert of its own; it names
  the root causes it sits behind.
- A root cause's ``affected`` count is every check cut off behind it,
  transitively, whatever that check's own status (a child whose checks have
  not yet confirmed down is affected all the same). A check behind two root
  causes counts for both.

Parents that are not themselves checks in the graph count as reached and
up. A loop of checks with no way in from a parentless check (a
misconfigured dependency cycle) is treated as reached, so a cycle can never
hide a fault. Pure functions; linear in the size of the graph.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Impact:
    roots: frozenset[int]  # down and reached: the faults to alert on
    unreachable: Mapping[int, frozenset[int]]  # down and cut off → root causes
    affected: Mapping[int, int]  # root cause → checks cut off behind it
    cut_off: frozenset[int]  # every check behind down parents, whatever its status


def analyse(parents: Mapping[int, Iterable[int]], down: Collection[int]) -> Impact:
    """Split the ``down`` checks into root causes and unreachable ones, given
    each check's parents (child → parents)."""
    graph = {child: tuple(ps) for child, ps in parents.items()}
    children = _children(graph)
    down_set = set(down)
    grounded = _reached(graph, children, set())
    reached = _reached(graph, children, down_set)
    # Checks no parentless check leads to sit in a dependency cycle: reached.
    nodes = graph.keys() | children.keys() | down_set
    cut_off = {n for n in nodes if n in grounded and n not in reached}
    roots = {n for n in down_set if n not in cut_off}
    behind = _behind(roots, children, cut_off)
    unreachable = {n: frozenset(behind.get(n, ())) for n in down_set if n in cut_off}
    affected = dict.fromkeys(roots, 0)
    for causes in behind.values():
        for root in causes:
            affected[root] += 1
    return Impact(frozenset(roots), unreachable, affected, frozenset(cut_off))


def _children(graph: Mapping[int, tuple[int, ...]]) -> dict[int, list[int]]:
    children: dict[int, list[int]] = {}
    for child, ps in graph.items():
        for parent in ps:
            children.setdefault(parent, []).append(child)
    return children


def _reached(
    graph: Mapping[int, tuple[int, ...]],
    children: Mapping[int, list[int]],
    down: set[int],
) -> set[int]:
    """The checks the monitor reaches: parentless checks, then the children
    of every reached check that is not down."""
    nodes = graph.keys() | children.keys()
    reached = {n for n in nodes if not graph.get(n)}
    todo = deque(reached)
    while todo:
        node = todo.popleft()
        if node in down:
            continue  # reached, but it carries nothing further
        for child in children.get(node, ()):
            if child not in reached:
                reached.add(child)
                todo.append(child)
    return reached


def _behind(
    roots: Iterable[int], children: Mapping[int, list[int]], cut_off: set[int]
) -> dict[int, set[int]]:
    """For each cut-off check, the root causes it sits behind."""
    behind: dict[int, set[int]] = {}
    for root in roots:
        seen = {root}
        todo = deque([root])
        while todo:
            for child in children.get(todo.popleft(), ()):
                if child in cut_off and child not in seen:
                    seen.add(child)
                    behind.setdefault(child, set()).add(root)
                    todo.append(child)
    return behind
