"""The board's figures: paused checks are counted apart, per group too, and
colour nothing; the statuses count only what is being watched."""

import pytest

from tests.factories.inventory import AssetFactory, DepartmentFactory
from tests.factories.monitoring import CheckFactory
from wardkeeper.monitoring.choices import CheckStatus
from wardkeeper.monitoring.services import board

pytestmark = pytest.mark.django_db


def paused(**fields):
    return CheckFactory(enabled=False, status=CheckStatus.PAUSED, **fields)


def test_paused_checks_are_counted_apart_from_the_statuses():
    ward = DepartmentFactory(name="Ward 7")
    CheckFactory(asset=AssetFactory(department=ward), status=CheckStatus.UP)
    CheckFactory(asset=AssetFactory(department=ward), status=CheckStatus.DOWN)
    paused(asset=AssetFactory(department=ward))
    paused(asset=AssetFactory(department=ward))

    shown = board.build("department")

    assert shown.total == 2
    assert shown.paused == 2
    assert shown.counts["up"] == shown.counts["down"] == 1
    (row,) = shown.groups
    assert (row.name, row.counts["up"], row.counts["down"], row.paused) == (
        "Ward 7",
        1,
        1,
        2,
    )
    assert row.worst == CheckStatus.DOWN


def test_a_group_with_only_paused_checks_comes_last_and_is_not_in_trouble():
    moving = DepartmentFactory(name="A ward being moved")
    watched = DepartmentFactory(name="Z ward")
    paused(asset=AssetFactory(department=moving))
    CheckFactory(asset=AssetFactory(department=watched), status=CheckStatus.UP)

    groups = board.build("department").groups

    assert [g.name for g in groups] == ["Z ward", "A ward being moved"]
    assert groups[1].worst == CheckStatus.PAUSED
    assert not any(groups[1].counts.values())


def test_narrowing_to_a_group_narrows_the_paused_count_too():
    moving = DepartmentFactory(name="Moving")
    paused(asset=AssetFactory(department=moving))
    paused(asset=AssetFactory(department=DepartmentFactory(name="Elsewhere")))

    shown = board.build("department", "Moving")

    assert (shown.total, shown.paused) == (0, 1)
    assert not shown.down
