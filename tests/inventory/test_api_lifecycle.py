"""Moving an asset through its lifecycle over the API, and reading its past."""

import pytest

from tests.factories.inventory import AssetFactory, AssetModelFactory, asset_type
from wardkeeper.core.models import AuditEntry
from wardkeeper.inventory.choices import AssetStatus
from wardkeeper.inventory.models import DataWipeRecord, LifecycleEvent

pytestmark = pytest.mark.django_db


def move(client, asset, **body):
    return client.post(f"/api/assets/{asset.pk}/move/", body, format="json")


def test_a_move_changes_the_status_and_records_who_and_why(hardware_engineer, api):
    asset = AssetFactory()
    response = move(api(hardware_engineer), asset, to="in_use", reason="Issued to ICU")
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "in_use"
    event = LifecycleEvent.objects.get(asset=asset)
    assert (event.from_status, event.to_status) == ("in_stock", "in_use")
    assert (event.reason, event.actor) == ("Issued to ICU", hardware_engineer)


def test_a_move_the_lifecycle_forbids_is_refused_naming_status(hardware_engineer, api):
    asset = AssetFactory(status=AssetStatus.ORDERED)
    response = move(api(hardware_engineer), asset, to="at_vendor", reason="RMA")
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["fields"][0]["field"] == "status"
    assert error["fields"][0]["code"] == "lifecycle_refused"
    assert "cannot move to at vendor" in error["message"]
    asset.refresh_from_db()
    assert asset.status == AssetStatus.ORDERED
    assert not LifecycleEvent.objects.exists()


def test_a_move_without_a_reason_is_refused(hardware_engineer, api):
    asset = AssetFactory()
    response = move(api(hardware_engineer), asset, to="in_use", reason=" ")
    assert response.status_code == 400
    assert response.json()["error"]["fields"][0]["field"] == "reason"


def storage_asset(status=AssetStatus.RETIRED):
    model = AssetModelFactory(asset_type=asset_type("storage"))
    assert model.asset_type.stores_data
    return AssetFactory(model=model, status=status)


def test_disposing_of_a_data_bearing_device_needs_a_wipe(hardware_engineer, api):
    asset = storage_asset()
    response = move(api(hardware_engineer), asset, to="disposed", reason="End of life")
    assert response.status_code == 400
    assert response.json()["error"]["fields"][0]["field"] == "wipe"
    asset.refresh_from_db()
    assert asset.status == AssetStatus.RETIRED


def test_a_disposal_records_its_wipe_in_the_same_request(hardware_engineer, api):
    asset = storage_asset()
    wipe = {"method": "destroy", "performed_by": "ShredCo", "certificate": "SC-1"}
    response = move(
        api(hardware_engineer), asset, to="disposed", reason="End of life", wipe=wipe
    )
    assert response.status_code == 200, response.json()
    record = DataWipeRecord.objects.get(asset=asset)
    assert (record.method, record.certificate) == ("destroy", "SC-1")
    assert record.verified_by == hardware_engineer


def test_a_bad_wipe_names_its_field_and_changes_nothing(hardware_engineer, api):
    asset = storage_asset()
    wipe = {"method": "burn", "performed_by": "ShredCo"}
    response = move(
        api(hardware_engineer), asset, to="disposed", reason="End of life", wipe=wipe
    )
    assert response.status_code == 400
    assert response.json()["error"]["fields"][0]["field"] == "wipe.method"
    assert not DataWipeRecord.objects.exists()


def test_recording_a_wipe_needs_its_own_permission(network_engineer, api):
    asset = storage_asset()
    wipe = {"method": "destroy", "performed_by": "ShredCo"}
    response = move(
        api(network_engineer), asset, to="disposed", reason="End of life", wipe=wipe
    )
    assert response.status_code == 403
    asset.refresh_from_db()
    assert asset.status == AssetStatus.RETIRED


def test_history_and_moves_are_paged_newest_first(hardware_engineer, api):
    asset = AssetFactory()
    client = api(hardware_engineer)
    move(client, asset, to="in_use", reason="Issued")
    move(client, asset, to="in_repair", reason="Screen broken")
    moves = client.get(f"/api/assets/{asset.pk}/moves/").json()
    assert [row["to_status"] for row in moves["results"]] == ["in_repair", "in_use"]
    assert moves["results"][0]["actor"]["id"] == hardware_engineer.pk
    history = client.get(f"/api/assets/{asset.pk}/history/", {"page_size": 2}).json()
    assert history["count"] == AuditEntry.objects.for_object(asset).count() == 3
    assert [row["action"] for row in history["results"]] == ["lifecycle", "lifecycle"]
    assert history["results"][0]["message"] == "Screen broken"
    assert history["results"][0]["changes"]["status"] == ["in_use", "in_repair"]
