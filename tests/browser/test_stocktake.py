import io

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from tests.browser.conftest import shot, sign_in
from tests.factories.stocktakes import asset_in, ward
from wardkeeper.inventory.models import Stocktake, StocktakeScan
from wardkeeper.inventory.services.stocktakes import open_stocktake

SCAN_FILE = b"tag;location\nWK-1;W3-01\nWK-2;W3-02\nGHOST-1;W3-02\n"


def badge(page, result):
    return page.locator(f'#result-counts [data-result="{result}"] .badge')


@pytest.mark.django_db(transaction=True)
def test_a_stocktake_runs_from_a_scanner_file_to_its_report(page, hardware_engineer):
    place = ward()
    asset_in(place.room_a, "WK-1", name="Nurse station PC")
    asset_in(place.room_a, "WK-2", name="Label printer")
    asset_in(place.room_b, "WK-3", name="Ward laptop")
    sign_in(page, hardware_engineer)

    page.goto("/inventory/stocktakes/add/")
    page.get_by_label("Name").fill("Ward 3 spring count")
    page.get_by_label("Places to count").select_option(label=str(place.floor))
    shot(page, "stocktake-open")
    page.get_by_role("button", name="Open stocktake").click()
    expect(page.get_by_role("heading", name="Ward 3 spring count")).to_be_visible()

    page.get_by_label("Scan file (CSV)").set_input_files(
        {"name": "scanner.csv", "mimeType": "text/csv", "buffer": SCAN_FILE}
    )
    page.get_by_role("button", name="Upload scans").click()
    expect(
        page.get_by_role("alert").filter(has_text="Recorded 3 scans")
    ).to_be_visible()
    page.get_by_role("button", name="Reconcile now").click()

    for result, count in [
        ("found", 1),
        ("wrong_place", 1),
        ("missing", 1),
        ("unexpected", 1),
    ]:
        expect(badge(page, result)).to_have_text(str(count))
    expect(page.get_by_text("2 of 3 expected assets seen")).to_be_visible()
    shot(page, "stocktake-detail")

    page.get_by_role("link", name="Close").click()
    page.get_by_role("button", name="Close the stocktake").click()
    expect(page.locator("h1 .badge")).to_have_text("closed")
    with page.expect_download() as download:
        page.get_by_role("link", name="Report (XLSX)").click()
    book = load_workbook(io.BytesIO(download.value.path().read_bytes()))
    summary = {row[0]: row[1] for row in book["Summary"].iter_rows(values_only=True)}
    assert summary["missing"] == 1
    assert summary["Status"] == "closed"
    assert Stocktake.objects.get().closed_by == hardware_engineer


@pytest.mark.django_db(transaction=True)
def test_a_bad_scan_file_is_listed_line_by_line(page, hardware_engineer):
    place = ward()
    count = open_stocktake(name="W3", locations=[place.floor], actor=None)
    sign_in(page, hardware_engineer)

    page.goto(f"/inventory/stocktakes/{count.pk}/")
    page.get_by_label("Scan file (CSV)").set_input_files(
        {"name": "bad.csv", "mimeType": "text/csv", "buffer": b"WK-1;ATTIC\nWK-2\n"}
    )
    page.get_by_role("button", name="Upload scans").click()

    expect(page.locator("#upload-errors")).to_contain_text(
        "Line 1: no place has the code “ATTIC”."
    )
    assert not StocktakeScan.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_tags_typed_on_the_camera_page_are_recorded_once(page, hardware_engineer):
    place = ward()
    asset_in(place.room_a, "WK-1", name="Nurse station PC")
    count = open_stocktake(name="W3", locations=[place.floor], actor=None)
    sign_in(page, hardware_engineer)

    page.goto(f"/inventory/stocktakes/{count.pk}/scan/")
    expect(page.locator("#insecure-context")).to_be_hidden()  # localhost is secure
    page.get_by_label("Room being counted").select_option(
        label=f"{place.room_a.name} (W3-01)"
    )
    tag = page.get_by_label("Type a tag (worn or unreadable label)")
    for text in ("wk-1", "WK-1", "NOPE-7"):
        tag.fill(text)
        tag.press("Enter")
        page.wait_for_timeout(300)

    log = page.locator("#scan-log")
    expect(log).to_contain_text("WK-1 · Nurse station PC")
    expect(log).to_contain_text("already scanned in this session")
    expect(log).to_contain_text("NOPE-7: unknown tag")
    expect(page.locator("#session-count")).to_have_text("2")
    shot(page, "stocktake-camera")
    scans = StocktakeScan.objects.order_by("pk")
    assert [(s.tag, s.location_id, s.source) for s in scans] == [
        ("WK-1", place.room_a.pk, "manual"),
        ("NOPE-7", place.room_a.pk, "manual"),
    ]


@pytest.mark.django_db(transaction=True)
def test_the_recording_endpoint_takes_a_camera_read_of_a_label(page, hardware_engineer):
    place = ward()
    asset_in(place.room_b, "WK-8", name="ECG cart")
    count = open_stocktake(name="W3", locations=[place.floor], actor=None)
    sign_in(page, hardware_engineer)
    page.goto(f"/inventory/stocktakes/{count.pk}/scan/")

    # What scan.js sends when the camera decodes a label's QR code.
    reply = page.evaluate(
        """async ([url, room]) => {
          const body = new FormData();
          body.append("text", "http://localhost:8000/a/WK-8/");
          body.append("source", "camera");
          body.append("location", room);
          const token = document.querySelector("[name=csrfmiddlewaretoken]").value;
          const response = await fetch(url, {method: "POST", body,
            headers: {"X-CSRFToken": token, Accept: "application/json"}});
          return response.json();
        }""",
        [f"/inventory/stocktakes/{count.pk}/scan/record/", str(place.room_b.pk)],
    )

    assert reply["message"] == "WK-8 · ECG cart"
    assert StocktakeScan.objects.get().source == "camera"
