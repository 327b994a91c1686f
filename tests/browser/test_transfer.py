import pytest
from playwright.sync_api import expect

from tests.browser.conftest import shot, sign_in
from tests.factories.transfer import csv_bytes
from wardkeeper.inventory.models import Vendor

GOOD = csv_bytes([["name", "email"], ["Acme Medical", "sales@acme.example"]])
BAD = csv_bytes([["name", "email"], ["Acme", "not-an-address"], ["Acme", ""]])


def upload(page, data: bytes) -> None:
    page.goto("/inventory/transfer/")
    page.get_by_label("What the file holds").select_option(label="Vendors")
    page.locator("input[type=file]").set_input_files(
        {"name": "vendors.csv", "mimeType": "text/csv", "buffer": data}
    )
    page.get_by_role("button", name="Check the file").click()


@pytest.mark.django_db(transaction=True)
def test_a_file_is_checked_then_imported_on_confirmation(page, hardware_engineer):
    sign_in(page, hardware_engineer)
    page.goto("/inventory/transfer/")
    shot(page, "transfer-page")
    upload(page, GOOD)
    expect(page.get_by_text("The file has no errors.")).to_be_visible()
    shot(page, "transfer-review")
    assert not Vendor.objects.exists()
    page.get_by_role("button", name="Confirm the import").click()
    expect(page.get_by_text("1 created, 0 updated, 0 unchanged")).to_be_visible()
    assert Vendor.objects.get().name == "Acme Medical"


@pytest.mark.django_db(transaction=True)
def test_a_file_with_errors_lists_them_by_row_and_column(page, hardware_engineer):
    sign_in(page, hardware_engineer)
    upload(page, BAD)
    table = page.get_by_role("table")
    expect(table).to_contain_text("The same name is already on row 2.")
    expect(table).to_contain_text("is not an e-mail address")
    expect(page.get_by_role("button", name="Confirm the import")).to_have_count(0)
    shot(page, "transfer-errors")
    assert not Vendor.objects.exists()
