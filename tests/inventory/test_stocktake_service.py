import pytest

from tests.factories.stocktakes import asset_in, ward
from wardkeeper.core.errors import DomainError
from wardkeeper.core.models import AuditEntry
from wardkeeper.inventory.choices import ScanSource, StocktakeStatus
from wardkeeper.inventory.models import StocktakeLine, StocktakeScan
from wardkeeper.inventory.services.stocktakes import (
    StocktakeClosed,
    close_stocktake,
    open_stocktake,
    reconcile,
    record_scan_file,
    record_scans,
    scope_locations,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def place():
    return ward()


@pytest.fixture
def count(place, hardware_engineer):
    return open_stocktake(name="W3", locations=[place.floor], actor=hardware_engineer)


def test_opening_needs_a_name_and_at_least_one_place(hardware_engineer, place):
    with pytest.raises(DomainError, match="name"):
        open_stocktake(name=" ", locations=[place.floor], actor=hardware_engineer)
    with pytest.raises(DomainError) as refused:
        open_stocktake(name="W3", locations=[], actor=hardware_engineer)
    assert refused.value.field == "locations"


def test_the_scope_is_the_chosen_places_and_everything_inside(count, place):
    assert set(scope_locations(count)) == {place.floor, place.room_a, place.room_b}


def test_a_batch_of_scans_leaves_one_audit_entry_saying_how_many(
    count, place, hardware_engineer
):
    before = AuditEntry.objects.count()

    recorded = record_scans(
        count,
        [("WK-1", place.room_a.pk), (" WK-2 ", None)],
        source=ScanSource.CAMERA,
        actor=hardware_engineer,
    )

    assert recorded == 2
    entry = AuditEntry.objects.order_by("-pk").first()
    assert AuditEntry.objects.count() == before + 1
    assert entry.message == "recorded 2 scan(s) from camera"
    assert entry.actor == hardware_engineer
    assert set(StocktakeScan.objects.values_list("tag", flat=True)) == {"WK-1", "WK-2"}


def test_a_bad_scan_in_a_batch_records_none_of_it(count, place, hardware_engineer):
    with pytest.raises(DomainError):
        record_scans(
            count,
            [("WK-1", place.room_a.pk), ("WK-2", 999_999)],
            source=ScanSource.UPLOAD,
            actor=hardware_engineer,
        )
    with pytest.raises(DomainError):
        record_scans(count, [("x" * 65, None)], source="upload", actor=None)
    assert not StocktakeScan.objects.exists()


def test_closing_reconciles_and_records_who_closed_it(count, place, hardware_engineer):
    asset_in(place.room_a, "WK-1")
    record_scans(count, [("WK-1", None)], source="manual", actor=hardware_engineer)

    closed = close_stocktake(count, actor=hardware_engineer)

    assert closed.status == StocktakeStatus.CLOSED
    assert closed.closed_by == hardware_engineer
    assert closed.closed_at is not None
    assert StocktakeLine.objects.get(stocktake=count).result == "found"
    entry = AuditEntry.objects.order_by("-pk").first()
    assert entry.changes["status"] == ["open", "closed"]


def test_a_closed_stocktake_refuses_scans_reconciling_and_closing(
    count, hardware_engineer
):
    close_stocktake(count, actor=hardware_engineer)

    with pytest.raises(StocktakeClosed):
        record_scans(count, [("WK-1", None)], source="manual", actor=hardware_engineer)
    with pytest.raises(StocktakeClosed):
        record_scan_file(count, b"WK-1\n", filename="s.csv", actor=hardware_engineer)
    with pytest.raises(StocktakeClosed):
        reconcile(count)
    with pytest.raises(StocktakeClosed):
        close_stocktake(count, actor=hardware_engineer)
    assert not StocktakeScan.objects.exists()


def test_a_stale_copy_of_a_closed_stocktake_still_refuses_scans(
    count, hardware_engineer
):
    stale = type(count).objects.get(pk=count.pk)
    close_stocktake(count, actor=hardware_engineer)

    with pytest.raises(StocktakeClosed):
        record_scans(stale, [("WK-1", None)], source="manual", actor=hardware_engineer)


def test_the_places_counted_are_in_the_audit_trail(count, place):
    entries = AuditEntry.objects.for_object(count)

    assert any("locations" in entry.changes for entry in entries)
