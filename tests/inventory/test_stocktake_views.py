import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from tests.factories.stocktakes import asset_in, ward
from wardkeeper.inventory.models import Stocktake, StocktakeScan
from wardkeeper.inventory.services.stocktakes import (
    close_stocktake,
    open_stocktake,
    reconcile,
    record_scans,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def place():
    return ward()


@pytest.fixture
def count(place, hardware_engineer):
    return open_stocktake(
        name="Ward 3", locations=[place.floor], actor=hardware_engineer
    )


def shown_count(page: str, result: str) -> int:
    """The number on the result's badge on the stocktake page."""
    match = re.search(
        rf'data-result="{result}">[^<]*<span class="badge[^"]*">(\d+)', page
    )
    return int(match.group(1))


def detail(count):
    return reverse("inventory:stocktake-detail", args=[count.pk])


def test_an_engineer_opens_a_stocktake_of_a_floor_and_a_room_by_code(
    login, hardware_engineer, place
):
    client = login(hardware_engineer)

    response = client.post(
        reverse("inventory:stocktake-add"),
        {"name": "Spring count", "places": [place.floor.pk], "rooms": "w4-01"},
    )

    count = Stocktake.objects.get(name="Spring count")
    assert response.url == detail(count)
    assert set(count.locations.all()) == {place.floor, place.other_room}
    assert count.opened_by == hardware_engineer


def test_opening_without_places_or_with_an_unknown_code_is_refused(
    login, hardware_engineer
):
    client = login(hardware_engineer)
    url = reverse("inventory:stocktake-add")

    empty = client.post(url, {"name": "Nothing"})
    unknown = client.post(url, {"name": "Nothing", "rooms": "NOPE"})

    assert "Choose at least one place to count." in empty.content.decode()
    assert "No place has the code NOPE." in unknown.content.decode()
    assert not Stocktake.objects.exists()


def test_uploading_a_bad_file_lists_the_lines_and_records_nothing(
    login, hardware_engineer, count
):
    upload = SimpleUploadedFile("scans.csv", b"WK-1;W3-01\nWK-2;NOWHERE\n")

    response = login(hardware_engineer).post(
        reverse("inventory:stocktake-upload", args=[count.pk]), {"file": upload}
    )

    assert response.status_code == 400
    assert "Line 2: no place has the code “NOWHERE”." in response.content.decode()
    assert not StocktakeScan.objects.exists()


def test_upload_reconcile_and_the_counts_show_on_the_page(
    login, hardware_engineer, count, place
):
    asset_in(place.room_a, "WK-1")
    asset_in(place.room_a, "WK-2")
    client = login(hardware_engineer)
    upload = SimpleUploadedFile("scans.csv", b"tag;location\nWK-1;W3-01\nWK-X;W3-02\n")
    client.post(
        reverse("inventory:stocktake-upload", args=[count.pk]), {"file": upload}
    )

    client.post(reverse("inventory:stocktake-reconcile", args=[count.pk]))
    page = client.get(detail(count) + "?result=missing").content.decode()

    assert shown_count(page, "found") == 1
    assert shown_count(page, "missing") == 1
    assert shown_count(page, "unexpected") == 1
    assert "WK-2" in page
    assert "WK-X" not in page


def test_the_detail_page_takes_the_same_queries_for_many_lines(
    login, hardware_engineer, count, place, django_assert_max_num_queries
):
    for n in range(60):
        asset_in(place.room_a, f"Q{n}")
    reconcile(count)
    client = login(hardware_engineer)

    with django_assert_max_num_queries(30):
        response = client.get(detail(count))

    assert response.status_code == 200
    assert response.content.decode().count("wk-table") == 1


def test_closing_asks_first_then_closes(login, hardware_engineer, count):
    client = login(hardware_engineer)
    url = reverse("inventory:stocktake-close", args=[count.pk])

    assert "Close the stocktake" in client.get(url).content.decode()
    client.post(url)

    count.refresh_from_db()
    assert not count.is_open
    assert "Scan with camera" not in client.get(detail(count)).content.decode()


def test_the_reports_download_as_pdf_and_xlsx(login, network_engineer, count, place):
    asset_in(place.room_a, "WK-1")
    record_scans(count, [("WK-1", None)], source="manual", actor=None)
    close_stocktake(count, actor=None)
    client = login(network_engineer)  # may view stocktakes, not run them

    pdf = client.get(reverse("inventory:stocktake-report-pdf", args=[count.pk]))
    xlsx = client.get(reverse("inventory:stocktake-report-xlsx", args=[count.pk]))

    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    assert "attachment" in xlsx["Content-Disposition"]
    book = load_workbook(io.BytesIO(xlsx.content))
    assert book["found"]["A2"].value == "WK-1"


@pytest.mark.parametrize(
    ("persona", "url_name", "method", "status"),
    [
        ("outsider", "inventory:stocktake-list", "get", 403),
        ("nurse", "inventory:stocktake-detail", "get", 403),
        ("network_engineer", "inventory:stocktake-add", "get", 403),
        ("network_engineer", "inventory:stocktake-reconcile", "post", 403),
        ("network_engineer", "inventory:stocktake-close", "post", 403),
        ("network_engineer", "inventory:stocktake-upload", "post", 403),
        ("network_engineer", "inventory:stocktake-detail", "get", 200),
        ("hardware_engineer", "inventory:stocktake-list", "get", 200),
    ],
)
def test_pages_follow_the_stocktake_permissions(
    request, login, count, persona, url_name, method, status
):
    client = login(request.getfixturevalue(persona))
    args = [] if url_name.endswith(("list", "add")) else [count.pk]

    response = getattr(client, method)(reverse(url_name, args=args))

    assert response.status_code == status
    count.refresh_from_db()
    assert count.is_open
