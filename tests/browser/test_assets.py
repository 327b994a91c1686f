"""A hardware engineer at work on the asset pages, at desktop and phone size."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import shot, sign_in
from tests.factories.hospital import hospital

DOCS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def move(page, to: str, reason: str) -> None:
    page.locator(f"label[for='move-{to}']").click()
    page.get_by_label("Reason").fill(reason)
    page.get_by_role("button", name="Move", exact=True).click()


@pytest.mark.django_db(transaction=True)
def test_an_engineer_finds_equipment_in_the_asset_list(page, hardware_engineer):
    hospital()
    sign_in(page, hardware_engineer)
    page.goto("/inventory/assets/")
    expect(page.get_by_role("heading", name="Assets")).to_be_visible()
    expect(page.get_by_role("link", name="ICU-BED-04")).to_be_visible()
    if page.size_name == "desktop":
        DOCS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(DOCS / "asset-list.png"))
    shot(page, "asset-list")
    if page.size_name == "phone":  # the filters other than search fold away
        page.get_by_role("button", name="Filters").click()
        expect(page.locator("#wk-filters")).to_have_class(re.compile(r"\bshow\b"))
    page.locator(".wk-filter label", has_text="in repair").click()
    expect(page.locator(".wk-filter input[value=in_repair]")).to_be_checked()
    page.locator(".wk-filter button[type=submit]").click()
    page.wait_for_url(re.compile("status=in_repair"))
    expect(page.get_by_role("link", name="ICU-BED-05")).to_be_visible()
    expect(page.get_by_role("link", name="ICU-BED-04")).to_have_count(0)


@pytest.mark.django_db(transaction=True)
def test_an_engineer_registers_an_asset_and_moves_it_through_its_lifecycle(
    page, hardware_engineer
):
    hospital()
    sign_in(page, hardware_engineer)
    page.goto("/inventory/assets/add/")
    page.get_by_label("Asset tag").fill("NUR-3F-010")
    page.locator("#id_name").fill("NUR-3F Nurse station PC 2")
    # Picking a model brings in the fields of its type, and takes them away.
    page.get_by_label("Model").select_option(label="GE HealthCare Revolution CT")
    expect(page.get_by_label("DICOM AE title")).to_be_visible()
    page.get_by_label("Model").select_option(label="Dell OptiPlex 7010")
    expect(page.get_by_label("DICOM AE title")).to_have_count(0)
    page.get_by_label("Status").select_option("in_stock")
    # The room is typed by its code, with suggestions from the server.
    page.get_by_label("Location").fill("ICU-0")
    expect(page.locator("#id_location-options option")).to_have_count(3)
    page.get_by_label("Location").fill("ICU-04")
    page.get_by_label("Department").select_option(label="Intensive Care Unit")
    page.get_by_label("MAC address").fill("00-1A-2B-3C-4D-5E")
    page.evaluate("window.scrollTo(0, 0)")
    shot(page, "asset-form")
    page.get_by_role("button", name="Save").click()

    expect(page.get_by_text("Saved NUR-3F-010")).to_be_visible()
    facts = page.locator(".wk-facts")
    expect(facts).to_contain_text("00:1a:2b:3c:4d:5e")  # the MAC, normalised
    expect(facts).to_contain_text("from room")

    move(page, "in_use", "Issued to the ICU nurse station")
    expect(page.get_by_text("moved from in stock to in use")).to_be_visible()
    move(page, "retired", "Replaced by a thin client")
    expect(page.locator("label[for='move-in_use']")).to_have_count(0)

    # The panel offers no way back into use; a forged form is refused anyway.
    page.locator("#move-in_stock").evaluate("radio => { radio.value = 'in_use'; }")
    move(page, "in_stock", "Put it back on the ward")
    alert = page.get_by_role("alert").filter(has_text="cannot move to in use")
    expect(alert).to_be_visible()
    expect(page.locator("h1 .badge")).to_have_text("retired")

    events = page.locator(".wk-events")
    expect(events).to_contain_text("Issued to the ICU nurse station")
    expect(events).to_contain_text(re.compile(r"in use\s*→\s*retired"))
    expect(page.get_by_role("heading", name="History")).to_be_visible()
    shot(page, "asset-page")


@pytest.mark.django_db(transaction=True)
def test_the_place_tree_and_an_asset_with_a_full_record(page, hardware_engineer):
    hospital()
    sign_in(page, hardware_engineer)
    page.goto("/inventory/locations/")
    expect(page.get_by_role("link", name="ICU bed 4")).to_be_visible()
    shot(page, "location-tree")
    page.goto("/inventory/assets/")
    page.get_by_role("link", name="RAD-CT-02").click()
    expect(page.get_by_role("heading", name="Lifecycle", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name=re.compile("CT room 2$"))).to_be_visible()
    expect(page.locator(".wk-facts")).to_contain_text("CT2_NORTH")
    shot(page, "asset-page-ct")


CATALOGUE_PAGES = [
    ("department", "/inventory/departments/", "Intensive Care Unit"),
    ("contracts", "/inventory/contracts/?expiring_within=60", "MR-2024-118"),
    ("contract", "/inventory/contracts/", "DELL-PS-2291"),
    ("spare-pools", "/inventory/sparepools/", None),
    ("asset-type", "/inventory/assettypes/", "Patient monitor"),
    ("location", "/inventory/locations/", "ICU bed 4"),
]


@pytest.mark.django_db(transaction=True)
def test_the_catalogue_pages_show_their_records(page, hardware_engineer):
    hospital()
    sign_in(page, hardware_engineer)
    for name, url, link in CATALOGUE_PAGES:
        page.goto(url)
        if link:
            page.get_by_role("link", name=link, exact=True).first.click()
        expect(page.locator("h1")).to_be_visible()
        expect(page.get_by_text("Server Error")).to_have_count(0)
        shot(page, f"catalogue-{name}")
    page.goto("/inventory/sparepools/?below_minimum=1")
    expect(page.get_by_role("link", name="Spare patient monitors")).to_be_visible()
    expect(page.get_by_role("link", name="Spare ward PCs")).to_have_count(0)
