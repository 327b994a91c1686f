"""The asset endpoints: what a client reads, registers and changes."""

import datetime as dt
from decimal import Decimal

import pytest

from tests.factories.inventory import (
    AssetFactory,
    AssetModelFactory,
    RoomFactory,
    asset_type,
)
from wardkeeper.inventory.choices import AssetStatus, Criticality
from wardkeeper.inventory.models import Asset

pytestmark = pytest.mark.django_db


def new_asset(model, room, **extra):
    return {
        "tag": "WK-NEW-1",
        "name": "Ward PC",
        "model": model.pk,
        "location": room.pk,
        **extra,
    }


def test_an_asset_reads_with_compact_relations_and_derived_figures(
    hardware_engineer, api
):
    room = RoomFactory(criticality=Criticality.CRITICAL)
    asset = AssetFactory(
        location=room,
        purchase_cost=Decimal("1000.00"),
        purchase_date=dt.date.today() - dt.timedelta(days=365),
    )
    body = api(hardware_engineer).get(f"/api/assets/{asset.pk}/").json()
    assert body["model"] == {"id": asset.model_id, "name": str(asset.model)}
    assert body["location"] == {"id": room.pk, "name": room.full_name}
    assert body["asset_type"]["id"] == asset.asset_type_id
    assert body["status_display"] == "in stock"
    assert body["criticality"] == Criticality.CRITICAL
    assert body["criticality_display"] == "critical"
    # A workstation depreciates over 5 years: a year on, about 80% is left.
    assert Decimal("790") < Decimal(body["book_value"]) < Decimal("810")


def test_an_engineer_registers_an_asset_in_use(hardware_engineer, api):
    model, room = AssetModelFactory(), RoomFactory()
    response = api(hardware_engineer).post(
        "/api/assets/",
        new_asset(model, room, status="in_use", mac_address="00-1A-2B-3C-4D-5E"),
        format="json",
    )
    assert response.status_code == 201, response.json()
    asset = Asset.objects.get(tag="WK-NEW-1")
    assert asset.status == AssetStatus.IN_USE
    assert asset.mac_address == "00:1a:2b:3c:4d:5e"
    assert asset.asset_type == model.asset_type


def test_a_new_asset_cannot_start_retired(hardware_engineer, api):
    response = api(hardware_engineer).post(
        "/api/assets/",
        new_asset(AssetModelFactory(), RoomFactory(), status="retired"),
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["error"]["fields"][0]["field"] == "status"
    assert not Asset.objects.exists()


def test_a_duplicate_tag_is_a_field_error(hardware_engineer, api):
    existing = AssetFactory()
    response = api(hardware_engineer).post(
        "/api/assets/",
        new_asset(existing.model, RoomFactory(), tag=existing.tag),
        format="json",
    )
    assert response.status_code == 400
    assert [f["field"] for f in response.json()["error"]["fields"]] == ["tag"]


def test_a_bad_mac_address_names_the_field(hardware_engineer, api):
    response = api(hardware_engineer).post(
        "/api/assets/",
        new_asset(AssetModelFactory(), RoomFactory(), mac_address="00:11"),
        format="json",
    )
    assert response.status_code == 400
    fields = response.json()["error"]["fields"]
    assert fields == [
        {
            "field": "mac_address",
            "code": "invalid",
            "message": "A MAC address has 12 hexadecimal digits.",
        }
    ]


def test_status_cannot_be_changed_by_an_edit(hardware_engineer, api):
    asset = AssetFactory()
    response = api(hardware_engineer).patch(
        f"/api/assets/{asset.pk}/",
        {"status": "disposed", "name": "Renamed"},
        format="json",
    )
    assert response.status_code == 400
    field = response.json()["error"]["fields"][0]
    assert (field["field"], field["code"]) == ("status", "read_only")
    asset.refresh_from_db()
    assert (asset.status, asset.name) == (AssetStatus.IN_STOCK, asset.name)


def test_what_was_read_can_be_sent_back_with_a_change(hardware_engineer, api):
    asset = AssetFactory(status=AssetStatus.IN_REPAIR)
    client = api(hardware_engineer)
    body = client.get(f"/api/assets/{asset.pk}/").json()
    body["name"] = "Renamed"
    response = client.put(f"/api/assets/{asset.pk}/", body, format="json")
    assert response.status_code == 200, response.json()
    asset.refresh_from_db()
    assert (asset.status, asset.name) == (AssetStatus.IN_REPAIR, "Renamed")


def test_an_asset_cannot_be_a_part_of_itself(hardware_engineer, api):
    box = AssetFactory()
    disk = AssetFactory(parent=box)
    response = api(hardware_engineer).patch(
        f"/api/assets/{box.pk}/", {"parent": disk.pk}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["error"]["fields"][0]["field"] == "parent"


def test_the_list_filters_with_the_shared_filterset_and_orders(hardware_engineer, api):
    server = AssetFactory(
        name="PACS server", model=AssetModelFactory(asset_type=asset_type("server"))
    )
    AssetFactory(name="Ward PC")
    AssetFactory(name="Another PC", status=AssetStatus.IN_USE)
    client = api(hardware_engineer)
    body = client.get("/api/assets/", {"category": "server"}).json()
    assert [row["id"] for row in body["results"]] == [server.pk]
    body = client.get(
        "/api/assets/", {"status": "in_stock", "ordering": "-name"}
    ).json()
    assert [row["name"] for row in body["results"]] == ["Ward PC", "PACS server"]


def test_an_unknown_filter_value_names_the_parameter(hardware_engineer, api):
    response = api(hardware_engineer).get("/api/assets/", {"status": "lost"})
    assert response.status_code == 400
    assert response.json()["error"]["fields"][0]["field"] == "status"


def test_pages_hold_the_asked_number_of_rows_up_to_the_maximum(hardware_engineer, api):
    AssetFactory.create_batch(3)
    body = api(hardware_engineer).get("/api/assets/", {"page_size": 2}).json()
    assert (body["count"], len(body["results"])) == (3, 2)
    assert "page=2" in body["next"]
