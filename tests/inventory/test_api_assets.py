"""The asset endpoints: what a client reads, registers and changes."""

import datetime as dt
from decimal import Decimal

import pytest

from tests.factories.inventory import (
    AssetFactory,
    AssetModelFactory,
    CampusFactory,
    DepartmentFactory,
    FloorFactory,
    RoomFactory,
    VendorFactory,
    asset_type,
)
from wardkeeper.core.api_pagination import CappedPaginator
from wardkeeper.inventory.choices import AssetStatus, Condition, Criticality
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


def test_a_list_row_reads_as_the_asset_does_on_its_own(hardware_engineer, api):
    room = RoomFactory(criticality=Criticality.HIGH)
    server = AssetFactory(location=room, vendor=VendorFactory())
    disk = AssetFactory(
        location=room,
        department=DepartmentFactory(),
        vendor=server.vendor,
        parent=server,
        status=AssetStatus.IN_REPAIR,
        condition=Condition.DEGRADED,
        criticality_override=Criticality.CRITICAL,
        ip_address="10.3.0.7",
        mac_address="00-1a-2b-3c-4d-5e",
        purchase_cost=Decimal("1234.50"),
        purchase_date=dt.date.today() - dt.timedelta(days=400),
        warranty_end=dt.date.today(),
        extra={"capacity_tb": 4},
    )
    AssetFactory(location=None, department=None)  # no room, no department
    client = api(hardware_engineer)
    rows = client.get("/api/assets/", {"ordering": "tag"}).json()["results"]
    for asset, row in zip(Asset.objects.order_by("tag"), rows, strict=True):
        assert row == client.get(f"/api/assets/{asset.pk}/").json()
    disk_row = next(row for row in rows if row["id"] == disk.pk)
    assert disk_row["parent"] == {"id": server.pk, "name": str(server)}
    assert disk_row["condition_display"] == "degraded"
    assert disk_row["criticality_display"] == "critical"
    assert disk_row["book_value"] is not None


def test_the_list_of_one_campus_holds_what_is_on_it(hardware_engineer, api):
    campus = CampusFactory()
    here = AssetFactory(
        location=RoomFactory(parent=FloorFactory(parent__parent=campus))
    )
    on_campus = AssetFactory(location=campus)
    AssetFactory()  # on another campus
    body = api(hardware_engineer).get("/api/assets/", {"campus": campus.pk}).json()
    assert {row["id"] for row in body["results"]} == {here.pk, on_campus.pk}


def test_a_long_list_says_its_count_is_only_a_lower_bound(
    hardware_engineer, api, monkeypatch
):
    monkeypatch.setattr(CappedPaginator, "cap", 3)
    tags = [a.tag for a in AssetFactory.create_batch(7)]
    client = api(hardware_engineer)

    def page(number):
        return client.get("/api/assets/", {"page_size": 2, "page": number})

    first = page(1).json()
    assert (first["count"], first["count_exact"]) == (3, False)
    assert [row["tag"] for row in first["results"]] == tags[:2]
    assert "page=2" in first["next"]
    third = page(3).json()  # past the cap: still pages on
    assert (third["count"], third["count_exact"]) == (7, False)
    assert "page=4" in third["next"]
    last = page(4).json()  # the last page knows the whole count
    assert (last["count"], last["count_exact"], last["next"]) == (7, True, None)
    assert [row["tag"] for row in last["results"]] == tags[6:]
    assert page(5).status_code == 404
    assert page("x").status_code == 404


def test_a_short_list_counts_exactly(hardware_engineer, api):
    AssetFactory.create_batch(3)
    body = api(hardware_engineer).get("/api/assets/", {"page_size": 2}).json()
    assert (body["count"], body["count_exact"]) == (3, True)
