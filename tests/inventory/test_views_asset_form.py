"""Registering and editing an asset through its form."""

import pytest
from django.urls import reverse

from tests.factories.inventory import (
    AssetFactory,
    AssetModelFactory,
    DepartmentFactory,
    RoomFactory,
)
from wardkeeper.core.models import AuditEntry
from wardkeeper.core.models.audit import AuditAction
from wardkeeper.inventory.choices import AssetStatus
from wardkeeper.inventory.models import Asset, AssetType

pytestmark = pytest.mark.django_db


def form_data(**changes):
    data = {"tag": "NUR-0301", "name": "Nurse station PC", "condition": "working"}
    data.update(changes)
    return data


def test_an_asset_is_registered_with_its_place_typed_by_code(hardware_engineer, login):
    room = RoomFactory(code="ICU-04")
    model = AssetModelFactory()
    response = login(hardware_engineer).post(
        reverse("inventory:asset-add"),
        form_data(
            model=model.pk,
            status="in_use",
            location="icu-04",
            mac_address="00-1A-2B-3C-4D-5E",
        ),
    )
    assert response.status_code == 302, response.context["form"].errors
    asset = Asset.objects.get(tag="NUR-0301")
    assert (asset.location, asset.status) == (room, AssetStatus.IN_USE)
    assert asset.mac_address == "00:1a:2b:3c:4d:5e"
    created = AuditEntry.objects.for_object(asset).get()
    assert (created.action, created.actor) == (AuditAction.CREATE, hardware_engineer)


def test_a_bad_mac_address_or_unknown_room_is_named_and_nothing_is_saved(
    hardware_engineer, login
):
    response = login(hardware_engineer).post(
        reverse("inventory:asset-add"),
        form_data(
            model=AssetModelFactory().pk,
            status="in_stock",
            location="NOWHERE",
            mac_address="00:1a",
        ),
    )
    errors = response.context["form"].errors
    assert errors["mac_address"] == ["A MAC address has 12 hexadecimal digits."]
    assert errors["location"] == ["No place has the code NOWHERE."]
    assert not Asset.objects.exists()


def test_a_new_asset_cannot_start_retired(hardware_engineer, login):
    response = login(hardware_engineer).post(
        reverse("inventory:asset-add"),
        form_data(model=AssetModelFactory().pk, status="retired"),
    )
    assert "status" in response.context["form"].errors


def test_editing_leaves_the_status_to_the_lifecycle_and_records_the_change(
    hardware_engineer, login
):
    asset = AssetFactory(status=AssetStatus.IN_USE, name="Old name")
    client = login(hardware_engineer)
    form = client.get(reverse("inventory:asset-edit", args=[asset.pk])).context["form"]
    assert "status" not in form.fields
    assert form["location"].value() == asset.location.code  # shown as its code
    response = client.post(
        reverse("inventory:asset-edit", args=[asset.pk]),
        form_data(
            tag=asset.tag,
            name="Ward 4 PC",
            model=asset.model_id,
            location=asset.location.code,
            department=DepartmentFactory().pk,
            status="disposed",
        ),
    )
    assert response.status_code == 302
    asset.refresh_from_db()
    assert (asset.name, asset.status) == ("Ward 4 PC", AssetStatus.IN_USE)
    change = AuditEntry.objects.for_object(asset).filter(action=AuditAction.UPDATE)
    assert change.get().changes["name"] == ["Old name", "Ward 4 PC"]


def ct_scanner_type():
    return AssetType.objects.create(
        code="ct-64",
        name="64-slice CT",
        category="medical",
        extra_fields=[
            {"key": "slices", "label": "Slices", "type": "number", "required": True},
            {"key": "dicom_ae", "label": "DICOM AE title", "type": "text"},
            {"key": "modality", "type": "choice", "choices": ["CT", "PET-CT"]},
            {"key": "dose_report", "label": "Dose report", "type": "boolean"},
            {"key": "installed", "label": "Installed", "type": "date"},
        ],
    )


def test_a_type_s_own_fields_are_asked_checked_and_stored(hardware_engineer, login):
    model = AssetModelFactory(asset_type=ct_scanner_type())
    client = login(hardware_engineer)
    data = form_data(model=model.pk, status="in_use", tag="CT-1", name="CT room 2")
    missing = client.post(reverse("inventory:asset-add"), data)
    assert missing.context["form"].errors["extra_slices"] == ["This field is required."]
    response = client.post(
        reverse("inventory:asset-add"),
        {
            **data,
            "extra_slices": "64",
            "extra_dicom_ae": "CT2_NORTH",
            "extra_modality": "CT",
            "extra_dose_report": "on",
            "extra_installed": "2024-03-01",
        },
    )
    assert response.status_code == 302
    assert Asset.objects.get(tag="CT-1").extra == {
        "slices": 64,
        "dicom_ae": "CT2_NORTH",
        "modality": "CT",
        "dose_report": True,
        "installed": "2024-03-01",
    }


def test_picking_a_model_loads_the_fields_of_its_type(hardware_engineer, login):
    model = AssetModelFactory(asset_type=ct_scanner_type())
    response = login(hardware_engineer).get(
        reverse("inventory:asset-extra-fields"), {"model": model.pk}
    )
    assert b'name="extra_slices"' in response.content
    assert b'name="extra_modality"' in response.content


def test_lookups_suggest_rooms_and_tags_as_one_types(hardware_engineer, login):
    RoomFactory(code="ICU-04", name="ICU bed 4")
    AssetFactory(tag="NUR-0999", name="Ward PC")
    client = login(hardware_engineer)
    rooms = client.get(reverse("inventory:location-lookup"), {"q": "icu"}).json()
    tags = client.get(reverse("inventory:asset-lookup"), {"q": "NUR-0"}).json()
    assert rooms["results"][0]["value"] == "ICU-04"
    assert tags["results"] == [{"value": "NUR-0999", "label": "Ward PC"}]
