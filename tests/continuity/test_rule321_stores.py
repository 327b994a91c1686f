"""The 3-2-1 rule store by store: a fresh copy of one data store does not
stand in for another store's copy that went stale, and the system's verdict
and its finding name the store that misses the rule."""

import datetime as dt

import pytest
from django.utils import timezone

from tests.factories.continuity import (
    BackupDestinationFactory,
    BackupJobFactory,
    BackupRunFactory,
    DataStoreFactory,
    ProtectedSystemFactory,
)
from wardkeeper.continuity.choices import DataStoreKind, FindingKind, Media
from wardkeeper.continuity.models import Finding
from wardkeeper.continuity.services import compliance, dashboard, rule321

pytestmark = pytest.mark.django_db


def job(system, name, destination, stores, *, days_ago):
    made = BackupJobFactory(system=system, name=name, destination=destination)
    made.data_stores.set(stores)
    BackupRunFactory(job=made, started_at=timezone.now() - dt.timedelta(days=days_ago))
    return made


def pacs(*, tape_offsite=False, images_days_ago=21):
    """PACS as the reviewer found it: the database's NAS job fresh, the
    image archive's NAS job last good three weeks ago, a weekly tape of the
    whole system (no store named) two days ago."""
    system = ProtectedSystemFactory(name="PACS", rpo_minutes=24 * 60)
    database = DataStoreFactory(system=system, name="PACS database")
    images = DataStoreFactory(
        system=system, name="Image archive", kind=DataStoreKind.IMAGES
    )
    nas = BackupDestinationFactory(name="Data-centre NAS", media=Media.NAS)
    tape = BackupDestinationFactory(
        name="Tape library", media=Media.TAPE, offsite=tape_offsite, stale_days=8
    )
    job(system, "Database nightly", nas, [database], days_ago=0.2)
    job(system, "Image archive nightly", nas, [images], days_ago=images_days_ago)
    job(system, "Weekly tape", tape, [], days_ago=2)
    return system


def test_a_stale_nas_copy_of_one_store_is_not_made_up_by_another_stores_copy():
    result = rule321.evaluate(pacs())
    assert not result.met
    # The images have the live data and the tape: the worst store speaks.
    assert result.store == "Image archive"
    assert result.copies == 2
    assert "; ".join(result.missing) == "Image archive: only 2 copies; no offsite copy"
    by_store = {r.store: r for r in result.stores}
    assert by_store["PACS database"].copies == 3
    assert by_store["PACS database"].missing == ("no offsite copy",)


def test_the_system_meets_the_rule_once_every_store_does():
    system = pacs(tape_offsite=True)
    assert rule321.evaluate(system).missing == ("Image archive: only 2 copies",)
    images = system.jobs.get(name="Image archive nightly")
    BackupRunFactory(job=images, started_at=timezone.now() - dt.timedelta(hours=3))
    assert rule321.evaluate(system).met


def test_a_store_no_job_protects_has_only_its_live_copy():
    system = pacs(tape_offsite=True, images_days_ago=0.5)
    DataStoreFactory(system=system, name="Worklists")
    # The tape names no store: it backs up the whole system, worklists too.
    result = rule321.evaluate(system)
    assert result.store == "Worklists"
    assert result.missing == ("Worklists: only 2 copies",)


def test_the_finding_names_every_store_that_misses_the_rule():
    system = pacs()
    compliance.check_321([system], timezone.now())
    finding = Finding.objects.get(kind=FindingKind.RULE_321)
    assert finding.message == (
        "PACS: 3-2-1 not met: Image archive: only 2 copies; no offsite copy. "
        "PACS database: no offsite copy."
    )
    assert finding.evidence["stores"] == ["Image archive", "PACS database"]


def test_the_dashboard_row_and_its_export_name_the_store():
    system = pacs()
    line = dashboard.rows_for([system])[0]
    assert not line.row.rule.met
    cells = dict(zip(dashboard.HEADER, dashboard.cells(line), strict=True))
    assert cells["rule_321"] is False
    assert cells["rule_321_missing"] == "Image archive: only 2 copies; no offsite copy"
