"""Whole-file problems: each gets a clear error and nothing changes."""

import io

import pytest
from django.utils.translation import trans_real

from tests.factories.inventory import AssetFactory
from tests.factories.transfer import csv_bytes, import_rows
from wardkeeper.core.models import AuditEntry
from wardkeeper.inventory.models import Asset
from wardkeeper.inventory.transfer import run_import


def attempt(data: bytes, filename="assets.csv", **kwargs):
    before = (Asset.objects.count(), AuditEntry.objects.count())
    report = run_import(
        "assets",
        io.BytesIO(data),
        filename=filename,
        dry_run=False,
        actor=None,
        **kwargs,
    )
    assert not report.ok
    assert (Asset.objects.count(), AuditEntry.objects.count()) == before
    return report.errors


@pytest.mark.django_db
def test_a_file_that_is_not_utf8_names_the_line_of_the_first_bad_byte():
    data = "tag,name,model\nA1,一号,X\n".encode() + "B2,二号,X\n".encode("gb18030")
    [error] = attempt(data)
    assert error.row == 0
    assert "not UTF-8" in error.message
    assert "line 3" in error.message
    assert "CSV UTF-8" in error.message


@pytest.mark.django_db
def test_a_quote_that_never_closes_is_a_malformed_csv():
    [error] = attempt(b'tag,name,model\nA1,"broken,X\nA2,b,X\n')
    assert "malformed" in error.message
    assert "never closed" in error.message


@pytest.mark.django_db
def test_rows_with_more_or_fewer_values_than_the_header_are_named():
    AssetFactory(model__name="M1", model__manufacturer__name="Acme")
    data = b"tag,name,model\nA1,one,Acme M1,extra\nA2,two\nA3,three,Acme M1\n"
    errors = attempt(data)
    assert [(e.row, e.column) for e in errors] == [(2, ""), (3, "")]
    assert "4 values but the header has 3 columns" in errors[0].message


@pytest.mark.django_db
def test_a_renamed_binary_file_is_not_taken_for_a_workbook():
    [error] = attempt(bytes(range(256)) * 4, filename="assets.xlsx")
    assert "not a readable XLSX workbook" in error.message


@pytest.mark.django_db
def test_a_file_of_another_type_is_refused_by_its_name():
    [error] = attempt(b"tag,name,model\n", filename="assets.txt")
    assert ".csv or .xlsx" in error.message


@pytest.mark.django_db
@pytest.mark.parametrize("data", [b"", b"\n\n  \n", "\ufeff".encode()])
def test_an_empty_file_is_refused(data):
    [error] = attempt(data)
    assert "empty" in error.message or "headings" in error.message


@pytest.mark.django_db
def test_a_file_over_the_size_limit_is_refused():
    data = csv_bytes([["tag", "name", "model"]] + [["A", "b" * 100, "c"]] * 20_000)
    [error] = attempt(data, max_bytes=1024 * 1024)
    assert "larger than the 1 MB allowed" in error.message


@pytest.mark.django_db
def test_unknown_and_missing_columns_are_errors_on_the_header_row():
    report = import_rows(
        "assets", [["tag", "colour", "name", "Name"], ["A", "", "", ""]]
    )
    errors = {(e.row, e.column): e.message for e in report.errors}
    assert "Unknown column “colour”" in errors[(1, "colour")]
    assert "tag, name, serial" in errors[(1, "colour")]
    assert "appears twice" in errors[(1, "name")]
    assert "no “model” column" in errors[(1, "model")]


@pytest.fixture
def chinese_label(monkeypatch):
    """A zh-Hans translation of the tag column's label, whatever the catalog holds."""
    catalog = trans_real.translation("zh-hans")._catalog
    monkeypatch.setitem(catalog._catalogs[0], "asset tag", "资产标签")


@pytest.mark.django_db
def test_headings_may_be_labels_in_any_case_or_in_chinese(chinese_label):
    AssetFactory(model__name="M1", model__manufacturer__name="Acme")
    rows = [
        ["资产标签", "NAME", "Model", "Serial Number"],
        ["A1", "one", "Acme M1", "S"],
    ]
    report = import_rows("assets", rows)
    assert report.errors == []
    assert Asset.objects.get(tag="A1").serial == "S"
