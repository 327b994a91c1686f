import pytest
from django.urls import reverse

from tests.factories.stocktakes import asset_in, ward
from wardkeeper.inventory.models import StocktakeScan
from wardkeeper.inventory.services.stocktakes import close_stocktake, open_stocktake

pytestmark = pytest.mark.django_db
JSON = {"HTTP_ACCEPT": "application/json"}


@pytest.fixture
def place():
    return ward()


@pytest.fixture
def count(place, hardware_engineer):
    return open_stocktake(
        name="Ward 3", locations=[place.floor], actor=hardware_engineer
    )


def record(client, count, **data):
    url = reverse("inventory:stocktake-scan-record", args=[count.pk])
    return client.post(url, data, **JSON)


def test_the_camera_page_offers_the_rooms_of_the_stocktake(
    login, hardware_engineer, count, place
):
    page = login(hardware_engineer).get(
        reverse("inventory:stocktake-scan", args=[count.pk])
    )

    text = page.content.decode()
    assert f"{place.room_a.name} (W3-01)" in text
    assert f'<optgroup label="{place.floor.full_name}">' in text
    assert "W4-01" not in text
    assert "html5-qrcode.min.js" in text
    assert "isSecureContext" not in text  # the check lives in scan.js
    assert "secure connection (HTTPS, or localhost)" in text


def test_a_camera_read_of_a_label_url_records_the_tag_and_names_the_asset(
    login, hardware_engineer, count, place
):
    asset_in(place.room_a, "WK-1", name="Ward PC")

    response = record(
        login(hardware_engineer),
        count,
        text="http://localhost:8000/a/WK-1/",
        source="camera",
        location=place.room_a.pk,
    )

    assert response.json() == {
        "tag": "WK-1",
        "known": True,
        "name": "Ward PC",
        "message": "WK-1 · Ward PC",
        "place": str(place.room_a),
        "scans": 1,
    }
    scan = StocktakeScan.objects.get()
    assert (scan.source, scan.location, scan.scanned_by) == (
        "camera",
        place.room_a,
        hardware_engineer,
    )


def test_a_typed_unknown_tag_is_recorded_and_said_to_be_unknown(
    login, hardware_engineer, count
):
    response = record(login(hardware_engineer), count, text=" wk-999 ", source="manual")

    assert response.json()["known"] is False
    assert "unknown tag" in response.json()["message"]
    assert StocktakeScan.objects.get().tag == "wk-999"


def test_a_typed_tag_in_lower_case_is_stored_as_the_assets_tag(
    login, hardware_engineer, count, place
):
    asset_in(place.room_a, "WK-ABC")

    record(login(hardware_engineer), count, text="wk-abc", source="manual")

    assert StocktakeScan.objects.get().tag == "WK-ABC"


def test_a_place_outside_the_stocktake_or_an_empty_tag_is_refused(
    login, hardware_engineer, count, place
):
    client = login(hardware_engineer)

    outside = record(client, count, text="WK-1", location=place.other_room.pk)
    empty = record(client, count, text="  ")

    assert outside.status_code == 400
    assert outside.json()["field"] == "location"
    assert empty.json()["error"] == "Type or scan an asset tag."
    assert not StocktakeScan.objects.exists()


def test_a_closed_stocktake_refuses_reads(login, hardware_engineer, count):
    close_stocktake(count, actor=hardware_engineer)

    response = record(login(hardware_engineer), count, text="WK-1")

    assert response.status_code == 400
    assert "closed" in response.json()["error"]


def test_without_javascript_the_typed_tag_form_redirects_back_with_a_message(
    login, hardware_engineer, count, place
):
    url = reverse("inventory:stocktake-scan-record", args=[count.pk])

    response = login(hardware_engineer).post(
        url,
        {"text": "WK-5", "source": "manual", "location": place.room_b.pk},
        follow=True,
    )

    assert response.redirect_chain[-1][0].endswith(f"?location={place.room_b.pk}")
    assert "WK-5: unknown tag" in response.content.decode()


def test_only_those_who_may_change_stocktakes_record_reads(
    login, network_engineer, count
):
    response = record(login(network_engineer), count, text="WK-1")

    assert response.status_code == 403
    assert not StocktakeScan.objects.exists()
