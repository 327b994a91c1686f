"""Create, edit and delete through the catalogue forms: each write lands in
the audit trail with who made it; a record in use is kept."""

import pytest
from django.urls import reverse

from tests.factories.inventory import (
    AssetFactory,
    AssetModelFactory,
    CampusFactory,
    FloorFactory,
    RoomFactory,
)
from wardkeeper.core.models import AuditEntry
from wardkeeper.core.models.audit import AuditAction
from wardkeeper.inventory.models import AssetType, Location, Vendor

pytestmark = pytest.mark.django_db


def actions(obj):
    return [(e.action, e.actor_name) for e in AuditEntry.objects.for_object(obj)]


def test_a_vendor_is_created_edited_and_deleted_with_an_audit_entry_each(
    hardware_engineer, system_admin, login
):
    client = login(hardware_engineer)
    client.post(reverse("inventory:vendor-add"), {"name": "MedTech Service"})
    vendor = Vendor.objects.get()
    edit = reverse("inventory:vendor-edit", args=[vendor.pk])
    client.post(edit, {"name": "MedTech Service", "phone": "021-5555"})
    login(system_admin).post(reverse("inventory:vendor-delete", args=[vendor.pk]))
    assert not Vendor.objects.exists()
    assert sorted(actions(vendor)) == sorted(
        [
            (AuditAction.CREATE, "hana"),
            (AuditAction.UPDATE, "hana"),
            (AuditAction.DELETE, "sam"),
        ]
    )


def test_a_room_must_be_placed_on_a_floor(system_admin, login):
    campus, floor = CampusFactory(code="N"), FloorFactory(code="N-S-3F")
    client = login(system_admin)
    data = {"kind": "room", "name": "OR 3", "code": "OR-3", "criticality": "1"}
    wrong = client.post(reverse("inventory:location-add"), {**data, "parent": "N"})
    assert wrong.context["form"].errors["parent"] == ["A room must be inside a floor."]
    assert campus.children.count() == 0
    right = client.post(reverse("inventory:location-add"), {**data, "parent": "n-s-3f"})
    assert right.status_code == 302
    room = Location.objects.get(code="OR-3")
    assert room.parent == floor
    assert actions(room) == [(AuditAction.CREATE, "sam")]


def test_a_place_holding_others_keeps_its_kind(system_admin, login):
    floor = RoomFactory().parent
    response = login(system_admin).post(
        reverse("inventory:location-edit", args=[floor.pk]),
        {
            "kind": "room",
            "name": floor.name,
            "code": floor.code,
            "parent": floor.parent.code,
            "criticality": "3",
        },
    )
    assert "move them before" in response.context["form"].errors["kind"][0]


def test_a_record_still_in_use_is_kept_and_the_page_says_by_what(system_admin, login):
    model = AssetModelFactory()
    asset = AssetFactory(model=model)
    response = login(system_admin).post(
        reverse("inventory:assetmodel-delete", args=[model.pk]), follow=True
    )
    assert "is still used by" in response.content.decode()
    assert asset.tag in response.content.decode()
    model.refresh_from_db()


def test_a_user_defined_type_carries_its_own_fields_and_can_be_deleted(
    system_admin, login
):
    client = login(system_admin)
    fields = '[{"key": "slices", "label": "Slices", "type": "number"}]'
    client.post(
        reverse("inventory:assettype-add"),
        {
            "name": "CT 64",
            "code": "ct-64",
            "category": "medical",
            "depreciation_years": "10",
            "extra_fields": fields,
        },
    )
    kind = AssetType.objects.get(code="ct-64")
    assert kind.extra_fields[0]["key"] == "slices"
    client.post(reverse("inventory:assettype-delete", args=[kind.pk]))
    assert not AssetType.objects.filter(code="ct-64").exists()


def test_a_bad_field_definition_is_explained(system_admin, login):
    response = login(system_admin).post(
        reverse("inventory:assettype-add"),
        {
            "name": "Pump",
            "code": "pump",
            "category": "medical",
            "depreciation_years": "8",
            "extra_fields": '[{"key": "mode", "type": "choice"}]',
        },
    )
    assert response.context["form"].errors["extra_fields"] == [
        "Field 1 is a choice: list its choices."
    ]


def test_a_built_in_type_cannot_be_deleted(system_admin, login):
    workstation = AssetType.objects.get(code="workstation")
    client = login(system_admin)
    page = client.get(reverse("inventory:assettype-delete", args=[workstation.pk]))
    assert "built in and cannot be deleted" in page.content.decode()
    client.post(reverse("inventory:assettype-delete", args=[workstation.pk]))
    assert AssetType.objects.filter(pk=workstation.pk).exists()


def test_a_built_in_type_keeps_its_name_when_edited(system_admin, login):
    workstation = AssetType.objects.get(code="workstation")
    login(system_admin).post(
        reverse("inventory:assettype-edit", args=[workstation.pk]),
        {
            "name": "Renamed",
            "code": "renamed",
            "category": "end_user",
            "depreciation_years": "6",
            "stores_data": "on",
            "extra_fields": "[]",
        },
    )
    workstation.refresh_from_db()
    assert (workstation.name, workstation.depreciation_years) == ("Workstation", 6)


def test_a_vendor_name_is_required(hardware_engineer, login):
    response = login(hardware_engineer).post(reverse("inventory:vendor-add"), {})
    assert response.context["form"].errors["name"] == ["This field is required."]
    assert not Vendor.objects.exists()
