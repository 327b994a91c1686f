"""Hourly and daily roll-ups with latency percentiles; raw results pruned."""

import datetime as dt

import pytest

from tests.factories.monitoring import T0, CheckFactory, result
from wardkeeper.monitoring.engine.spec import Status
from wardkeeper.monitoring.models import Result, Rollup
from wardkeeper.monitoring.services import rollups
from wardkeeper.monitoring.services.state import record
from wardkeeper.monitoring.tasks import prune

pytestmark = pytest.mark.django_db


def test_an_hour_counts_runs_and_takes_latency_percentiles():
    check = CheckFactory(confirm_down=99)
    batch = [
        result(
            check, Status.UP, T0 + dt.timedelta(seconds=30 * i), latency=float(i + 1)
        )
        for i in range(100)
    ]
    batch += [result(check, Status.DOWN, T0 + dt.timedelta(minutes=55), latency=None)]
    record(batch)
    Result.objects.filter(at__gte=T0 + dt.timedelta(minutes=49)).update(
        in_maintenance=True
    )
    rollups.roll_up(Rollup.HOUR, T0)
    hour = Rollup.objects.get(period=Rollup.HOUR)
    assert (hour.runs, hour.down, hour.maintenance) == (101, 0, 3)
    assert hour.up == 98
    assert hour.latency_p50 == 50.0
    assert hour.latency_p95 == 95.0


def test_rolling_up_twice_replaces_and_a_day_is_the_local_day():
    check = CheckFactory()
    record([result(check, Status.UP, T0)])
    rollups.roll_up_due(T0 + dt.timedelta(hours=1, minutes=5))
    rollups.roll_up_due(T0 + dt.timedelta(hours=1, minutes=15))
    assert Rollup.objects.filter(period=Rollup.HOUR, start=T0).count() == 1
    day = Rollup.objects.get(period=Rollup.DAY, runs=1)
    assert day.start == rollups.day_start(T0)
    assert day.start.hour == 16  # midnight in Asia/Shanghai


def test_raw_results_older_than_the_retention_are_pruned(settings):
    settings.MONITOR_RAW_DAYS = 30
    check = CheckFactory()
    record(
        [
            result(check, Status.UP, T0 - dt.timedelta(days=31)),
            result(check, Status.UP, T0 - dt.timedelta(days=29)),
        ]
    )
    assert prune(T0) == {"pruned": 1}
    assert Result.objects.count() == 1
