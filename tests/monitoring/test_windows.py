"""Maintenance windows: once and recurring, on checks, assets, places, services."""

import datetime as dt

import pytest

from tests.factories.monitoring import CheckFactory, WindowFactory
from wardkeeper.monitoring.choices import Recurrence

pytestmark = pytest.mark.django_db
# 02:00-03:00 in Asia/Shanghai on Monday 2 March 2026.
START = dt.datetime(2026, 3, 1, 18, 0, tzinfo=dt.UTC)


def at(days=0, minutes=30):
    return START + dt.timedelta(days=days, minutes=minutes)


@pytest.mark.parametrize(
    ("recurrence", "when", "covered"),
    [
        (Recurrence.ONCE, at(), True),
        (Recurrence.ONCE, at(minutes=61), False),
        (Recurrence.ONCE, at(days=1), False),
        (Recurrence.DAILY, at(days=5), True),
        (Recurrence.DAILY, at(days=5, minutes=-10), False),
        (Recurrence.WEEKLY, at(days=7), True),
        (Recurrence.WEEKLY, at(days=8), False),
        (Recurrence.MONTHLY, dt.datetime(2026, 4, 1, 18, 30, tzinfo=dt.UTC), True),
        (Recurrence.MONTHLY, at(days=7), False),
    ],
)
def test_occurrences(recurrence, when, covered):
    window = WindowFactory(starts_at=START, duration=60, recurrence=recurrence)
    assert window.is_active(when) is covered


def test_a_window_ends_on_its_until_date():
    window = WindowFactory(
        starts_at=START,
        duration=60,
        recurrence=Recurrence.DAILY,
        until=dt.date(2026, 3, 4),
    )
    assert window.is_active(at(days=2))
    assert not window.is_active(at(days=3))


def test_a_place_covers_every_asset_inside_it_and_a_service_its_checks():
    check = CheckFactory(service="PACS")
    building = check.asset.location.parent.parent
    WindowFactory(starts_at=START, duration=60).locations.add(building)
    assert check.is_in_maintenance(at())
    other = CheckFactory(service="PACS")
    assert not other.is_in_maintenance(at())
    WindowFactory(starts_at=START, duration=60, services=["PACS"])
    assert other.is_in_maintenance(at())
    assert not other.is_in_maintenance(at(days=1))
