"""Dependencies: root causes, unreachable children, counts."""

from __future__ import annotations

from wardkeeper.monitoring.engine.deps import analyse

# router 1 → switches 10, 11 → devices 100-104 behind 10, 110 behind 11
TREE = {10: [1], 11: [1], **{100 + i: [10] for i in range(5)}, 110: [11]}


def test_a_down_switch_is_the_root_and_its_down_children_are_unreachable():
    impact = analyse(TREE, down={10, 100, 101, 102})
    assert impact.roots == {10}
    assert impact.unreachable == {n: {10} for n in (100, 101, 102)}
    assert impact.affected == {10: 5}  # all five devices, confirmed down or not


def test_the_topmost_down_parent_is_the_only_root_and_counts_transitively():
    impact = analyse(TREE, down={1, 10, 11, 100, 110})
    assert impact.roots == {1}
    assert set(impact.unreachable) == {10, 11, 100, 110}
    assert impact.affected == {1: 8}


def test_a_down_child_of_an_up_parent_is_its_own_root():
    impact = analyse(TREE, down={100})
    assert impact.roots == {100}
    assert impact.unreachable == {}
    assert impact.affected == {100: 0}


def test_a_multi_homed_check_is_unreachable_only_when_all_parents_are_down():
    graph = {**TREE, 200: [10, 11]}
    one = analyse(graph, down={10, 200})
    assert one.roots == {10, 200}
    assert 200 not in one.cut_off
    both = analyse(graph, down={10, 11, 200})
    assert both.roots == {10, 11}
    assert both.unreachable[200] == {10, 11}
    assert both.affected == {10: 6, 11: 2}  # 200 counts for both


def test_a_dependency_cycle_never_hides_a_fault():
    impact = analyse({1: [2], 2: [1]}, down={1, 2})
    assert impact.roots == {1, 2}
    assert impact.unreachable == {}


def test_parents_that_are_not_checks_count_as_up():
    impact = analyse({5: [404]}, down={5})
    assert impact.roots == {5}


def test_twenty_thousand_checks_behind_a_core_router():
    graph: dict[int, list[int]] = {}
    for s in range(1, 1001):  # 1000 switches on the core router 0
        graph[s] = [0]
    for d in range(1001, 20000):  # 19 devices per switch
        graph[d] = [1 + d % 1000]
    down = set(range(20000))
    impact = analyse(graph, down=down)
    assert impact.roots == {0}
    assert impact.affected == {0: 19999}
    assert len(impact.unreachable) == 19999
