"""Factories for backup and recovery (one per continuity model, smallest valid
defaults) and the database-engineer persona who keeps it.

Shared by every continuity helper: add a factory here only for a model that
has none; put test-specific helpers in your own module.
"""

from __future__ import annotations

import datetime as dt

import factory
import pytest
from django.utils import timezone

from tests.factories.core import UserFactory
from wardkeeper.continuity.choices import (
    BackupTool,
    Expectation,
    FindingKind,
    Media,
    RestoreMethod,
    RunSource,
    RunStatus,
)
from wardkeeper.continuity.models import (
    BackupDestination,
    BackupJob,
    BackupRun,
    DataStore,
    Drill,
    DrillStep,
    Finding,
    ProtectedSystem,
    RestoreRun,
    RestoreTest,
    Runbook,
    RunbookStep,
    SanityQuery,
)


def database_engineer_persona(username: str = "dana"):
    """A database engineer: reads, keeps and plans backup and recovery."""
    return UserFactory(username=username, roles=["database_engineer"])


@pytest.fixture
def database_engineer(db):
    """Import this fixture into a test module (or its conftest) to use it."""
    return database_engineer_persona()


class ProtectedSystemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProtectedSystem
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"System {n}")
    rpo_minutes = 24 * 60
    rto_minutes = 4 * 60


class DataStoreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DataStore

    system = factory.SubFactory(ProtectedSystemFactory)
    name = factory.Sequence(lambda n: f"store-{n}")


class BackupDestinationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BackupDestination
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"destination-{n}")
    media = Media.DISK


class BackupJobFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BackupJob

    system = factory.SubFactory(ProtectedSystemFactory)
    name = factory.Sequence(lambda n: f"job-{n}")
    tool = BackupTool.RESTIC
    destination = factory.SubFactory(BackupDestinationFactory)


class BackupRunFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BackupRun

    job = factory.SubFactory(BackupJobFactory)
    status = RunStatus.SUCCESS
    started_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(hours=1))
    finished_at = factory.LazyAttribute(
        lambda run: run.started_at + dt.timedelta(minutes=10)
    )
    size_bytes = 10 * 1024**3
    source = RunSource.MANUAL


class RestoreTestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RestoreTest

    job = factory.SubFactory(BackupJobFactory)
    name = factory.Sequence(lambda n: f"restore test {n}")
    method = RestoreMethod.SAMPLE


class SanityQueryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SanityQuery

    test = factory.SubFactory(RestoreTestFactory, method=RestoreMethod.DATABASE)
    label = factory.Sequence(lambda n: f"check {n}")
    sql = "SELECT 1"
    expectation = Expectation.AT_LEAST
    value = "1"


class RestoreRunFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RestoreRun

    test = factory.SubFactory(RestoreTestFactory)


class RunbookFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Runbook

    system = factory.SubFactory(ProtectedSystemFactory)
    title = factory.Sequence(lambda n: f"Recover system {n}")


class RunbookStepFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RunbookStep

    runbook = factory.SubFactory(RunbookFactory)
    position = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Step {n}")
    role = "database engineer"


class DrillFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Drill

    runbook = factory.SubFactory(RunbookFactory)
    title = factory.Sequence(lambda n: f"Drill {n}")
    scheduled_for = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=7))


class DrillStepFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DrillStep

    drill = factory.SubFactory(DrillFactory)
    position = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Step {n}")


class FindingFactory(factory.django.DjangoModelFactory):
    """A finding row made directly (no alert, no ticket); use
    ``services.findings.raise_finding`` to test the flow."""

    class Meta:
        model = Finding

    kind = FindingKind.RUN_FAILED
    system = factory.SubFactory(ProtectedSystemFactory)
    subject = factory.Sequence(lambda n: f"test:{n}")
    message = factory.Sequence(lambda n: f"Problem {n}")
