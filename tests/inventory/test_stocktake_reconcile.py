import pytest

from tests.factories.stocktakes import asset_in, ward
from wardkeeper.inventory.choices import AssetStatus, Reconciliation, ScanSource
from wardkeeper.inventory.models import StocktakeLine
from wardkeeper.inventory.services.stocktakes import (
    open_stocktake,
    reconcile,
    record_scans,
)

pytestmark = pytest.mark.django_db


def lines_by_tag(stocktake):
    return {
        line.tag: line for line in StocktakeLine.objects.filter(stocktake=stocktake)
    }


@pytest.fixture
def place():
    return ward()


@pytest.fixture
def count(place, hardware_engineer):
    return open_stocktake(
        name="Ward 3", locations=[place.floor], actor=hardware_engineer
    )


def scan(stocktake, user, *pairs):
    return record_scans(stocktake, list(pairs), source=ScanSource.UPLOAD, actor=user)


def test_it_sorts_reads_into_found_missing_wrong_place_and_unexpected(
    place, count, hardware_engineer
):
    asset_in(place.room_a, "A1")
    asset_in(place.room_b, "A2")
    asset_in(place.room_a, "A3")
    asset_in(place.room_a, "A4")
    asset_in(place.room_a, "A5", status=AssetStatus.RETIRED)
    asset_in(place.other_room, "A6")
    scan(
        count,
        hardware_engineer,
        ("A1", place.room_a.pk),
        ("A2", None),
        ("A3", place.room_b.pk),
        ("A5", place.room_a.pk),
        ("A6", place.room_a.pk),
        ("NOPE-1", place.room_b.pk),
    )

    counts = reconcile(count)

    assert counts == {"found": 2, "missing": 1, "unexpected": 3, "wrong_place": 1}
    lines = lines_by_tag(count)
    assert lines["A1"].result == Reconciliation.FOUND
    assert lines["A2"].result == Reconciliation.FOUND
    assert lines["A3"].result == Reconciliation.WRONG_PLACE
    assert lines["A3"].found_location == place.room_b
    assert lines["A4"].result == Reconciliation.MISSING
    assert lines["A5"].result == Reconciliation.UNEXPECTED  # retired, yet on the floor
    assert lines["A6"].expected_location == place.other_room
    assert lines["NOPE-1"].asset is None
    assert lines["NOPE-1"].found_location == place.room_b


def test_rooms_inside_the_counted_floor_are_expected_and_others_are_not(
    place, count, hardware_engineer
):
    asset_in(place.room_b, "IN")
    asset_in(place.other_room, "OUT")
    asset_in(place.room_a, "AWAY", status=AssetStatus.AT_VENDOR)

    reconcile(count)

    assert set(lines_by_tag(count)) == {"IN"}


def test_a_read_of_the_whole_floor_or_a_later_read_in_place_counts_as_found(
    place, count, hardware_engineer
):
    asset_in(place.room_a, "ON-FLOOR")
    asset_in(place.room_a, "MOVED-BACK")
    asset_in(place.floor, "FLOOR-BOOKED")
    scan(
        count,
        hardware_engineer,
        ("ON-FLOOR", place.floor.pk),
        ("MOVED-BACK", place.room_b.pk),
        ("MOVED-BACK", place.room_a.pk),
        ("FLOOR-BOOKED", place.room_b.pk),
    )

    reconcile(count)

    results = {tag: line.result for tag, line in lines_by_tag(count).items()}
    assert set(results.values()) == {Reconciliation.FOUND}


def test_reconciling_again_replaces_the_lines_and_repeated_reads_count_once(
    place, count, hardware_engineer
):
    asset_in(place.room_a, "A1")
    scan(count, hardware_engineer, ("A1", place.room_a.pk), ("A1", place.room_a.pk))
    reconcile(count)

    counts = reconcile(count)

    assert counts["found"] == 1
    assert StocktakeLine.objects.filter(stocktake=count).count() == 1
    assert count.reconciled_at is not None


def test_a_tag_typed_in_lower_case_matches_its_asset(place, count, hardware_engineer):
    asset_in(place.room_a, "WK-ABC")
    scan(count, hardware_engineer, ("wk-abc", place.room_a.pk))

    assert reconcile(count)["found"] == 1


def test_reconciling_takes_the_same_few_queries_whatever_the_size(
    place, count, hardware_engineer, django_assert_max_num_queries
):
    for n in range(40):
        asset_in(place.room_a, f"Q{n}")
    scan(count, hardware_engineer, *[(f"Q{n}", place.room_b.pk) for n in range(30)])

    with django_assert_max_num_queries(16):
        reconcile(count)


def test_reconciling_again_rewrites_only_the_lines_that_changed(
    place, count, hardware_engineer
):
    for tag in ("KEEP-1", "KEEP-2", "KEEP-3", "SEEN-LATER"):
        asset_in(place.room_a, tag)
    reconcile(count)
    before = {line.tag: line.pk for line in StocktakeLine.objects.all()}
    scan(count, hardware_engineer, ("SEEN-LATER", place.room_a.pk))

    counts = reconcile(count)

    after = lines_by_tag(count)
    assert counts == {"found": 1, "missing": 3, "unexpected": 0, "wrong_place": 0}
    assert after["SEEN-LATER"].result == Reconciliation.FOUND
    assert all(after[tag].pk == before[tag] for tag in ("KEEP-1", "KEEP-2", "KEEP-3"))
    assert len(after) == 4
