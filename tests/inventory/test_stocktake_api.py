import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.factories.stocktakes import asset_in, ward
from wardkeeper.inventory.models import StocktakeScan
from wardkeeper.inventory.services.stocktakes import open_stocktake

pytestmark = pytest.mark.django_db


@pytest.fixture
def place():
    return ward()


@pytest.fixture
def count(place, hardware_engineer):
    return open_stocktake(name="W3", locations=[place.floor], actor=hardware_engineer)


def url(count, action=""):
    return f"/api/stocktakes/{count.pk}/{action + '/' if action else ''}"


def test_a_stocktake_is_opened_by_place_codes(api, hardware_engineer, place):
    response = api(hardware_engineer).post(
        "/api/stocktakes/",
        {"name": "Spring", "location_codes": ["W3F"]},
        format="json",
    )

    assert response.status_code == 201
    body = response.json()
    assert body["locations"] == [place.floor.pk]
    assert body["opened_by"] == hardware_engineer.username
    assert body["counts"] == {
        "found": 0,
        "missing": 0,
        "unexpected": 0,
        "wrong_place": 0,
    }


def test_opening_without_places_names_the_field(api, hardware_engineer):
    response = api(hardware_engineer).post(
        "/api/stocktakes/", {"name": "Spring"}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["error"]["fields"][0]["field"] == "locations"


def test_json_scans_are_recorded_then_reconciled(api, hardware_engineer, count, place):
    asset_in(place.room_a, "WK-1")
    asset_in(place.room_a, "WK-2")
    client = api(hardware_engineer)

    sent = client.post(
        url(count, "scans"),
        [{"tag": "WK-1", "location": "W3-01"}, {"tag": "http://x/a/WK-9/"}],
        format="json",
    )
    reconciled = client.post(url(count, "reconcile"))

    assert sent.json() == {"recorded": 2}
    assert reconciled.json()["counts"] == {
        "found": 1,
        "missing": 1,
        "unexpected": 1,
        "wrong_place": 0,
    }
    missing = client.get(url(count, "lines"), {"result": "missing"}).json()
    assert [line["tag"] for line in missing["results"]] == ["WK-2"]
    assert missing["results"][0]["expected_location_name"] == place.room_a.full_name


def test_an_unknown_place_in_json_scans_is_named_and_nothing_recorded(
    api, hardware_engineer, count
):
    response = api(hardware_engineer).post(
        url(count, "scans"),
        [{"tag": "WK-1", "location": "W3-01"}, {"tag": "WK-2", "location": "MARS"}],
        format="json",
    )

    assert response.status_code == 400
    (error,) = response.json()["error"]["fields"]
    assert error["field"] == "[1].location"
    assert not StocktakeScan.objects.exists()


def test_a_csv_file_is_recorded_or_refused_line_by_line(api, hardware_engineer, count):
    client = api(hardware_engineer)
    good = SimpleUploadedFile("s.csv", b"WK-1;W3-01\nWK-2\n")
    bad = SimpleUploadedFile("s.csv", b"WK-1;NOPE\n;W3-01\n")

    accepted = client.post(url(count, "scans"), {"file": good}, format="multipart")
    refused = client.post(url(count, "scans"), {"file": bad}, format="multipart")

    assert accepted.json() == {"recorded": 2}
    assert [f["message"] for f in refused.json()["error"]["fields"]] == [
        "Line 2: there is no asset tag.",
    ]
    assert StocktakeScan.objects.count() == 2


def test_a_closed_stocktake_refuses_scans_with_the_standard_error(
    api, hardware_engineer, count
):
    client = api(hardware_engineer)
    closed = client.post(url(count, "close"))

    response = client.post(url(count, "scans"), [{"tag": "WK-1"}], format="json")

    assert closed.json()["status"] == "closed"
    assert response.status_code == 400
    assert "closed" in response.json()["error"]["message"]


def test_lines_are_paged_in_constant_queries_and_a_bad_result_is_refused(
    api, hardware_engineer, count, place, django_assert_max_num_queries
):
    for n in range(30):
        asset_in(place.room_a, f"Q{n}")
    client = api(hardware_engineer)
    client.post(url(count, "reconcile"))

    with django_assert_max_num_queries(8):
        page = client.get(url(count, "lines"), {"page_size": 25})

    assert page.json()["count"] == 30
    assert client.get(url(count, "lines"), {"result": "lost"}).status_code == 400


def test_reading_needs_view_and_scanning_needs_change_permission(
    api, network_engineer, nurse, count
):
    assert api(network_engineer).get("/api/stocktakes/").json()["count"] == 1
    assert api(nurse).get("/api/stocktakes/").status_code == 403
    refused = api(network_engineer).post(
        url(count, "scans"), [{"tag": "A"}], format="json"
    )
    assert refused.status_code == 403
    assert api(network_engineer).post(url(count, "close")).status_code == 403
