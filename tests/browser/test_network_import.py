"""Nick moves the hospital from NetBox on the network's import page: the dry
run lists NetBox's devices with what was mapped or left out, the confirm
writes them; a VLAN file with a bad row is refused whole, the row named. At
360 px nothing scrolls sideways."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import shot, sign_in
from tests.browser.test_monitoring_pages import nothing_scrolls_sideways
from tests.factories.transfer import csv_bytes
from tests.network.test_import_netbox import FIXTURES, hospital  # noqa: F401
from wardkeeper.inventory.models import Asset
from wardkeeper.network.models import VLAN

URL = "/network/import/"


def upload(page, kind: str, name: str, data: bytes) -> None:
    page.goto(URL)
    page.get_by_label("What the file holds").select_option(label=kind)
    page.locator("input[type=file]").set_input_files(
        {"name": name, "mimeType": "text/csv", "buffer": data}
    )
    page.get_by_role("button", name="Check the file").click()


@pytest.mark.django_db(transaction=True)
def test_a_netbox_export_is_checked_with_its_notes_then_imported(
    page,
    network_engineer,
    hospital,  # noqa: F811
):
    sign_in(page, network_engineer)
    page.goto(URL)
    expect(
        page.get_by_role("heading", name="Network import and export")
    ).to_be_visible()
    expect(page.get_by_text("From NetBox", exact=True)).to_be_visible()
    nothing_scrolls_sideways(page)
    shot(page, "network-import-page")
    upload(
        page, "NetBox devices", "devices.csv", (FIXTURES / "devices.csv").read_bytes()
    )
    expect(page.get_by_text("The file has no errors.")).to_be_visible()
    notes = page.locator("table.wk-notes")
    expect(notes).to_contain_text("it will be created as NB-acc-sw-02")
    nothing_scrolls_sideways(page)
    shot(page, "network-import-review")
    assert not Asset.objects.filter(name="acc-sw-02").exists()
    page.get_by_role("button", name="Confirm the import").click()
    expect(page.get_by_text("2 created, 1 updated")).to_be_visible()
    assert Asset.objects.filter(name="acc-sw-02").exists()


@pytest.mark.django_db(transaction=True)
def test_a_vlan_file_with_a_bad_row_is_refused_whole(page, network_engineer):
    sign_in(page, network_engineer)
    rows = [["vid", "name"], ["10", "clinical"], ["5000", "too high"]]
    upload(page, "VLANs", "vlans.csv", csv_bytes(rows))
    errors = page.locator("table.wk-errors")
    expect(errors).to_contain_text("from 1 to 4094, not 5000")
    expect(page.get_by_role("button", name="Confirm the import")).to_have_count(0)
    nothing_scrolls_sideways(page)
    shot(page, "network-import-errors")
    assert not VLAN.objects.exists()
