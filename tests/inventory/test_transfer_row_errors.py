"""Row errors: row, column and reason; one bad row and nothing is written."""

import datetime as dt

import pytest

from tests.factories.inventory import AssetModelFactory
from tests.factories.transfer import import_rows
from wardkeeper.core.models import AuditEntry
from wardkeeper.inventory.models import Asset

HEADER = ["tag", "name", "model", "status", "purchase_date", "purchase_cost"]


@pytest.fixture
def model():
    return AssetModelFactory(name="OptiPlex 7010", manufacturer__name="Dell")


def errors_of(rows, **kwargs):
    entries = AuditEntry.objects.count()
    report = import_rows("assets", [HEADER, *rows], **kwargs)
    assert not report.ok
    assert not Asset.objects.exists()
    assert AuditEntry.objects.count() == entries
    return {(e.row, e.column): e.message for e in report.errors}


@pytest.mark.django_db
def test_one_bad_row_among_good_ones_writes_nothing(model):
    good = ["A1", "PC", "Dell OptiPlex 7010", "in_use", "2024-01-31", "10"]
    errors = errors_of([good, ["A2", "PC", "Dell OptiPlex 7010", "", "31/01/2024", ""]])
    assert list(errors) == [(3, "purchase_date")]
    assert "YYYY-MM-DD" in errors[(3, "purchase_date")]


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_duplicate_tag_names_both_rows(model, fmt):
    row = ["A1", "PC", "Dell OptiPlex 7010", "", "", ""]
    errors = errors_of([row, ["A2", *row[1:]], row], fmt=fmt)
    assert "already on row 2" in errors[(4, "tag")]


@pytest.mark.django_db
def test_wrong_types_are_reported_cell_by_cell(model):
    errors = errors_of(
        [
            ["A1", "PC", "Dell OptiPlex 7010", "broken", "2024-02-30", "12,0x"],
            ["T" * 65, "PC", "Dell OptiPlex 7010", "", "", "-5"],
        ]
    )
    assert "use one of: ordered, in_stock, in_use" in errors[(2, "status")]
    assert "not a date" in errors[(2, "purchase_date")]
    assert "not an amount" in errors[(2, "purchase_cost")]
    assert "At most 64 characters (this has 65)" in errors[(3, "tag")]
    assert "cannot be negative" in errors[(3, "purchase_cost")]


@pytest.mark.django_db
def test_addresses_must_be_well_formed(model):
    rows = [
        ["tag", "name", "model", "ip_address", "mac_address"],
        ["A1", "PC", "Dell OptiPlex 7010", "10.0.0.256", "00:11:22:33:44"],
        ["A2", "PC", "Dell OptiPlex 7010", "10.0.0.1", "0011.2233.4455"],
    ]
    report = import_rows("assets", rows)
    errors = {(e.row, e.column): e.message for e in report.errors}
    assert set(errors) == {(2, "ip_address"), (2, "mac_address")}
    assert "12 hexadecimal digits" in errors[(2, "mac_address")]


@pytest.mark.django_db
def test_unknown_references_say_what_is_missing(model):
    rows = [
        ["tag", "name", "model", "location_code", "vendor", "parent_tag"],
        ["A1", "PC", "Dell OptiPlex 9999", "", "", ""],
        ["A2", "PC", "Dell OptiPlex 7010", "NOWHERE", "Nobody Ltd", "A9"],
        ["A3", "PC", "Dell OptiPlex 7010", "", "", "A3"],
    ]
    report = import_rows("assets", rows)
    errors = {(e.row, e.column): e.message for e in report.errors}
    assert "No model “Dell OptiPlex 9999”" in errors[(2, "model")]
    assert "“NOWHERE” is not known" in errors[(3, "location_code")]
    assert "“Nobody Ltd” is not known" in errors[(3, "vendor")]
    assert not Asset.objects.exists()


@pytest.mark.django_db
def test_a_part_cannot_contain_its_own_parent(model):
    rows = [
        ["tag", "name", "model", "parent_tag"],
        ["A1", "PC", "Dell OptiPlex 7010", "A2"],
        ["A2", "PC", "Dell OptiPlex 7010", "A1"],
    ]
    report = import_rows("assets", rows)
    assert {(e.row, e.column) for e in report.errors} == {
        (2, "parent_tag"),
        (3, "parent_tag"),
    }


@pytest.mark.django_db
def test_workbook_date_and_number_cells_are_read_as_such(model):
    rows = [
        HEADER,
        ["A1", "PC", "Dell OptiPlex 7010", "in use", dt.datetime(2024, 1, 31), 99.5],
    ]
    report = import_rows("assets", rows, fmt="xlsx")
    assert report.errors == []
    asset = Asset.objects.get()
    assert (asset.purchase_date, str(asset.purchase_cost)) == (
        dt.date(2024, 1, 31),
        "99.50",
    )


@pytest.mark.django_db
def test_a_place_must_sit_in_the_kind_of_place_above_it():
    rows = [
        ["code", "name", "kind", "parent_code"],
        ["N", "North", "campus", ""],
        ["R1", "Room 1", "room", "N"],
        ["X", "Nowhere", "castle", ""],
    ]
    report = import_rows("locations", rows)
    errors = {(e.row, e.column): e.message for e in report.errors}
    assert "use one of: campus, building, floor, room" in errors[(4, "kind")]
    report = import_rows("locations", rows[:3])
    errors = {(e.row, e.column): e.message for e in report.errors}
    assert "A room must be inside a floor" in errors[(3, "parent_code")]
