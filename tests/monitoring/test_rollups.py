"""Hourly roll-ups from raw results, daily ones from the hours, with latency
percentiles; raw results pruned without losing the figures."""

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


def hours(check, first, count, *, runs=60, down=0, p50=10.0, p95=30.0):
    """Hourly roll-ups with no raw results behind them, as the demo writes."""
    Rollup.objects.bulk_create(
        Rollup(
            source=check,
            period=Rollup.HOUR,
            start=first + n * rollups.HOUR,
            runs=runs,
            up=runs - down,
            down=down,
            latency_p50=p50 + n,
            latency_p95=p95 + n,
        )
        for n in range(count)
    )


def figures(check, period, start):
    return Rollup.objects.filter(source=check, period=period, start=start).values(
        "runs", "up", "down", "maintenance", "latency_p50", "latency_p95"
    )[0]


def test_a_day_with_hours_and_no_raw_results_keeps_its_figures():
    check = CheckFactory()
    yesterday = rollups.day_start(T0) - rollups.DAY
    hours(check, yesterday, 24)
    # Two hours of 60 runs with 30 down: their medians weigh half as much.
    Rollup.objects.filter(start__gte=yesterday + 20 * rollups.HOUR).update(
        up=30, down=30
    )
    today = rollups.day_start(T0)
    hours(check, today, 10)  # up to the last finished hour, as the demo does

    rollups.roll_up_due(T0 + dt.timedelta(minutes=5))

    day = figures(check, Rollup.DAY, yesterday)
    assert (day["runs"], day["up"], day["down"]) == (24 * 60, 24 * 60 - 120, 120)
    assert day["latency_p95"] == 30.0 + 23  # the worst hour's
    # Median of the hours' medians 10 … 33, hours 20-23 weighing 30 each.
    assert day["latency_p50"] == 21.0
    assert figures(check, Rollup.DAY, today)["runs"] == 10 * 60
    assert Rollup.objects.filter(period=Rollup.HOUR).count() == 34


def test_a_day_with_raw_results_is_summed_from_the_hours_they_make():
    check = CheckFactory(confirm_down=99)
    batch = [
        result(check, Status.UP, T0 + n * dt.timedelta(minutes=5), latency=n + 1.0)
        for n in range(36)  # three hours, 12 runs each
    ]
    batch += [result(check, Status.DOWN, T0 + dt.timedelta(minutes=62), None)]
    record(batch)

    rollups.roll_up_due(T0 + dt.timedelta(hours=3, minutes=1))
    rollups.roll_up_due(T0 + dt.timedelta(hours=3, minutes=11))  # harmless again

    by_hour = [figures(check, Rollup.HOUR, T0 + n * rollups.HOUR) for n in range(3)]
    assert [h["runs"] for h in by_hour] == [12, 13, 12]
    assert [h["latency_p50"] for h in by_hour] == [6.0, 18.0, 30.0]
    assert [h["latency_p95"] for h in by_hour] == [12.0, 24.0, 36.0]
    day = figures(check, Rollup.DAY, rollups.day_start(T0))
    assert (day["runs"], day["up"], day["down"]) == (37, 36, 1)
    assert day["latency_p50"] == 18.0
    assert day["latency_p95"] == 36.0


def test_hours_missed_while_the_worker_was_stopped_are_rolled_up_later():
    check = CheckFactory()
    record([result(check, Status.UP, T0 + n * rollups.HOUR) for n in range(5)])
    rollups.roll_up_due(T0 + dt.timedelta(minutes=10))
    rollups.roll_up_due(T0 + dt.timedelta(hours=4, minutes=10))
    assert Rollup.objects.filter(period=Rollup.HOUR).count() == 5
    assert figures(check, Rollup.DAY, rollups.day_start(T0))["runs"] == 5


def test_pruning_yesterdays_raw_results_leaves_yesterdays_figures(settings):
    settings.MONITOR_RAW_DAYS = 1
    check = CheckFactory()
    yesterday = rollups.day_start(T0) - rollups.DAY
    record([result(check, Status.UP, yesterday + n * rollups.HOUR) for n in range(24)])
    rollups.roll_up_due(yesterday + rollups.DAY)
    before = figures(check, Rollup.DAY, yesterday)
    assert before["runs"] == 24

    later = yesterday + rollups.DAY + dt.timedelta(hours=12)
    assert rollups.prune(later) == 12
    rollups.roll_up_due(later)

    assert figures(check, Rollup.DAY, yesterday) == before
    assert Rollup.objects.filter(period=Rollup.HOUR).count() == 24
