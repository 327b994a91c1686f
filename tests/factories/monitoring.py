"""Monitoring records for tests, and results as the engine hands them on."""

import datetime as dt

import factory

from tests.factories.inventory import AssetFactory
from wardkeeper.monitoring.choices import CheckKind, Severity
from wardkeeper.monitoring.engine.spec import Outcome, Result, Status
from wardkeeper.monitoring.models import AlertRule, Check, MaintenanceWindow


class CheckFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Check

    name = factory.Sequence(lambda n: f"Check {n}")
    asset = factory.SubFactory(AssetFactory)
    host = "127.0.0.1"
    kind = CheckKind.TCP
    params = factory.LazyFunction(lambda: {"port": 1})
    confirm_down = 2
    confirm_up = 2
    severity = Severity.MAJOR


class AlertRuleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AlertRule

    name = factory.Sequence(lambda n: f"Rule {n}")
    max_severity = Severity.INFO


class WindowFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MaintenanceWindow

    name = factory.Sequence(lambda n: f"Window {n}")
    starts_at = dt.datetime(2026, 3, 2, 1, 0, tzinfo=dt.UTC)
    duration = 60


T0 = dt.datetime(2026, 3, 2, 2, 0, tzinfo=dt.UTC)


def result(check, status: Status, at: dt.datetime, latency: float | None = 5.0):
    """One engine result for ``check`` at ``at``."""
    return Result(
        check_id=check.pk,
        at=at.timestamp(),
        lag=0.0,
        outcome=Outcome(status=status, latency_ms=latency, message=str(status)),
    )


def run(record, checks, status: Status, times: int, start: dt.datetime, step=60):
    """Feed ``times`` rounds of ``status`` for ``checks``, a round per batch;
    returns the time after the last round."""
    at = start
    for _ in range(times):
        record([result(check, status, at) for check in checks])
        at += dt.timedelta(seconds=step)
    return at
