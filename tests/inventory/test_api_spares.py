"""Spare pools and data-wipe records over the API."""

import pytest

from tests.factories.inventory import (
    AssetFactory,
    AssetModelFactory,
    CampusFactory,
    FloorFactory,
    RoomFactory,
    SparePoolFactory,
    asset_type,
)
from wardkeeper.inventory.choices import AssetStatus
from wardkeeper.inventory.models import DataWipeRecord

pytestmark = pytest.mark.django_db


def room_on(campus):
    return RoomFactory(parent=FloorFactory(parent__parent=campus))


@pytest.fixture
def pools():
    """A model pool holding two spares (minimum 2) and a type pool holding one
    (minimum 3), on one campus; a spare in use and one elsewhere do not count."""
    campus = CampusFactory()
    room = room_on(campus)
    model = AssetModelFactory()
    full = SparePoolFactory(campus=campus, asset_model=model, minimum_level=2)
    AssetFactory.create_batch(2, model=model, location=room)
    AssetFactory(model=model, location=room, status=AssetStatus.IN_USE)
    AssetFactory(model=model, location=RoomFactory())
    printers = AssetModelFactory(asset_type=asset_type("printer"))
    short = SparePoolFactory(
        campus=campus, asset_model=None, asset_type=printers.asset_type, minimum_level=3
    )
    AssetFactory(model=printers, location=room)
    return full, short


def test_pools_read_with_what_they_hold(hardware_engineer, api, pools):
    full, short = pools
    body = api(hardware_engineer).get("/api/spare-pools/").json()
    rows = {row["id"]: row for row in body["results"]}
    assert (rows[full.pk]["available"], rows[full.pk]["below_minimum"]) == (2, False)
    assert (rows[short.pk]["available"], rows[short.pk]["below_minimum"]) == (1, True)


def test_pools_below_minimum_are_listed_alone(hardware_engineer, api, pools):
    full, short = pools
    client = api(hardware_engineer)
    below = client.get("/api/spare-pools/", {"below_minimum": "true"}).json()
    assert [row["id"] for row in below["results"]] == [short.pk]
    enough = client.get("/api/spare-pools/", {"below_minimum": "false"}).json()
    assert [row["id"] for row in enough["results"]] == [full.pk]


def test_a_pool_names_a_model_or_a_type(hardware_engineer, api):
    response = api(hardware_engineer).post(
        "/api/spare-pools/",
        {"name": "PCs", "campus": CampusFactory().pk, "minimum_level": 2},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["error"]["fields"][0]["field"] == ""


def test_a_new_pool_reads_with_its_count(hardware_engineer, api):
    campus = CampusFactory()
    model = AssetModelFactory()
    AssetFactory(model=model, location=room_on(campus))
    response = api(hardware_engineer).post(
        "/api/spare-pools/",
        {
            "name": "PCs",
            "campus": campus.pk,
            "asset_model": model.pk,
            "minimum_level": 2,
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert (response.json()["available"], response.json()["below_minimum"]) == (1, True)


def test_a_wipe_record_is_made_and_listed_by_asset(hardware_engineer, api):
    asset, other = AssetFactory(), AssetFactory()
    client = api(hardware_engineer)
    response = client.post(
        "/api/data-wipe-records/",
        {"asset": asset.pk, "method": "purge", "performed_by": "Hana"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    DataWipeRecord.objects.create(asset=other, method="clear", performed_by="X")
    body = client.get("/api/data-wipe-records/", {"asset": asset.pk}).json()
    assert [row["method"] for row in body["results"]] == ["purge"]
    assert body["results"][0]["verified_by"]["id"] == hardware_engineer.pk


def test_a_wipe_record_cannot_be_changed(hardware_engineer, api):
    record = DataWipeRecord.objects.create(
        asset=AssetFactory(), method="clear", performed_by="X"
    )
    response = api(hardware_engineer).patch(
        f"/api/data-wipe-records/{record.pk}/", {"method": "destroy"}, format="json"
    )
    assert response.status_code == 405
    assert response.json()["error"]["code"] == "method_not_allowed"
