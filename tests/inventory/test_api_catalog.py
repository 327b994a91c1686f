"""Places, departments, the catalogue, vendors and contracts over the API."""

import datetime as dt

import pytest

from tests.factories.inventory import (
    AssetFactory,
    AssetModelFactory,
    BuildingFactory,
    CampusFactory,
    ContractFactory,
    FloorFactory,
    RoomFactory,
    VendorFactory,
    asset_type,
)
from wardkeeper.core.models import AuditEntry
from wardkeeper.inventory.models import Contract, Location

pytestmark = pytest.mark.django_db


def test_a_room_must_sit_on_a_floor(system_admin, api):
    building = BuildingFactory()
    response = api(system_admin).post(
        "/api/locations/",
        {"kind": "room", "name": "OR-3", "code": "OR3", "parent": building.pk},
        format="json",
    )
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["fields"] == [
        {
            "field": "parent",
            "code": "invalid",
            "message": "A room must be inside a floor.",
        }
    ]
    assert not Location.objects.filter(code="OR3").exists()


def test_a_room_reads_with_its_full_name_and_campus(system_admin, api):
    floor = FloorFactory()
    response = api(system_admin).post(
        "/api/locations/",
        {
            "kind": "room",
            "name": "OR-3",
            "code": "OR3",
            "parent": floor.pk,
            "criticality": 1,
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["full_name"].endswith(" / OR-3")
    assert body["campus"]["id"] == floor.campus_id
    assert body["criticality_display"] == "critical"


def test_locations_filter_by_what_lies_within_a_place(system_admin, api):
    room = RoomFactory()
    RoomFactory()
    campus = room.campus
    body = (
        api(system_admin)
        .get("/api/locations/", {"within": campus.pk, "kind": "room"})
        .json()
    )
    assert [row["id"] for row in body["results"]] == [room.pk]


def test_a_department_campus_must_be_a_campus(system_admin, api):
    response = api(system_admin).post(
        "/api/departments/",
        {"name": "Radiology", "code": "RAD", "campus": BuildingFactory().pk},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["error"]["fields"][0]["field"] == "campus"


def test_a_model_name_is_unique_per_manufacturer(hardware_engineer, api):
    existing = AssetModelFactory()
    response = api(hardware_engineer).post(
        "/api/models/",
        {
            "manufacturer": existing.manufacturer_id,
            "name": existing.name,
            "asset_type": asset_type("server").pk,
        },
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["error"]["fields"][0]["code"] == "unique"


def test_a_location_in_use_cannot_be_deleted(system_admin, api):
    asset = AssetFactory()
    response = api(system_admin).delete(f"/api/locations/{asset.location_id}/")
    assert response.status_code == 409
    error = response.json()["error"]
    assert error["code"] == "protected"
    assert "1 assets" in error["message"]
    assert Location.objects.filter(pk=asset.location_id).exists()


def test_contracts_expiring_within_n_days_are_listed(hardware_engineer, api):
    today = dt.date.today()
    soon = ContractFactory(ends_on=today + dt.timedelta(days=20))
    ContractFactory(ends_on=today + dt.timedelta(days=200))
    body = api(hardware_engineer).get("/api/contracts/", {"expiring_within": 30}).json()
    assert [row["id"] for row in body["results"]] == [soon.pk]
    assert body["results"][0]["days_left"] == 20


def test_a_contract_cannot_end_before_it_starts(hardware_engineer, api):
    response = api(hardware_engineer).post(
        "/api/contracts/",
        {
            "vendor": VendorFactory().pk,
            "kind": "maintenance",
            "number": "M-1",
            "title": "PC care",
            "starts_on": "2026-06-01",
            "ends_on": "2026-01-01",
        },
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["error"]["fields"][0]["field"] == "ends_on"


def test_changing_covered_assets_is_audited(hardware_engineer, api):
    contract = ContractFactory()
    first, second = AssetFactory(), AssetFactory()
    response = api(hardware_engineer).patch(
        f"/api/contracts/{contract.pk}/",
        {"assets": [first.pk, second.pk]},
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert sorted(response.json()["assets"]) == sorted([first.pk, second.pk])
    assert set(Contract.objects.get(pk=contract.pk).assets.all()) == {first, second}
    entry = AuditEntry.objects.for_object(contract).first()
    assert entry.actor == hardware_engineer
    assert entry.source == "api"
    assert "assets" in entry.changes


def test_campuses_list_and_vendors_search(hardware_engineer, api):
    CampusFactory(name="North Campus")
    VendorFactory(name="MedServ Ltd")
    VendorFactory(name="Other")
    client = api(hardware_engineer)
    assert client.get("/api/locations/", {"kind": "campus"}).json()["count"] == 1
    body = client.get("/api/vendors/", {"q": "medserv"}).json()
    assert [row["name"] for row in body["results"]] == ["MedServ Ltd"]
