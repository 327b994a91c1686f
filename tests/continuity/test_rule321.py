"""The 3-2-1 rule per system: copies, kinds of medium, offsite."""

import datetime as dt

import pytest
from django.utils import timezone

from tests.factories.continuity import (
    BackupDestinationFactory,
    BackupJobFactory,
    BackupRunFactory,
    ProtectedSystemFactory,
)
from wardkeeper.continuity.choices import Media, RunStatus
from wardkeeper.continuity.services import rule321

pytestmark = pytest.mark.django_db


def written(system, media, *, offsite=False, days_ago=0.1, status=RunStatus.SUCCESS):
    destination = BackupDestinationFactory(media=media, offsite=offsite)
    job = BackupJobFactory(system=system, destination=destination)
    BackupRunFactory(
        job=job,
        status=status,
        started_at=timezone.now() - dt.timedelta(days=days_ago),
    )
    return destination


def test_a_system_with_no_backup_misses_everything():
    result = rule321.evaluate(ProtectedSystemFactory())
    assert result.copies == 1
    assert not result.met
    assert result.missing == ("only 1 copy", "one kind of medium", "no offsite copy")


def test_nas_and_offsite_tape_meet_the_rule():
    system = ProtectedSystemFactory()
    written(system, Media.NAS)
    written(system, Media.TAPE, offsite=True)
    result = rule321.evaluate(system)
    assert result.met, result.missing
    assert result.copies == 3
    assert result.media == ("disk", "tape")


def test_network_storage_is_the_same_medium_as_disk():
    system = ProtectedSystemFactory()
    written(system, Media.NAS)
    written(system, Media.DISK, offsite=True)
    assert rule321.evaluate(system).missing == ("one kind of medium",)


def test_a_copy_older_than_the_rpo_and_stale_days_does_not_count():
    system = ProtectedSystemFactory(rpo_minutes=24 * 60)
    written(system, Media.NAS)
    written(system, Media.CLOUD, offsite=True, days_ago=10)
    result = rule321.evaluate(system)
    assert result.missing == ("only 2 copies", "one kind of medium", "no offsite copy")


def test_a_weekly_tape_counts_within_its_stale_days():
    system = ProtectedSystemFactory(rpo_minutes=60)
    written(system, Media.NAS)
    tape = written(system, Media.TAPE, offsite=True, days_ago=5)
    tape.stale_days = 8
    tape.save()
    assert rule321.evaluate(system).met


def test_failed_runs_are_no_copy():
    system = ProtectedSystemFactory()
    written(system, Media.NAS)
    written(system, Media.TAPE, offsite=True, status=RunStatus.FAILED)
    assert rule321.evaluate(system).missing == (
        "only 2 copies",
        "one kind of medium",
        "no offsite copy",
    )
