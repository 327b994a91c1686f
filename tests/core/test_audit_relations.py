"""Many-to-many changes and user accounts are recorded like any other change."""

import json

import pytest
from django.contrib.auth.models import Group, update_last_login

from tests.factories.core import UserFactory
from tests.factories.inventory import (
    AssetFactory,
    ContractFactory,
    RoomFactory,
    StocktakeFactory,
)
from wardkeeper.core import audit
from wardkeeper.core.models import AuditEntry
from wardkeeper.core.models.audit import AuditAction

pytestmark = pytest.mark.django_db


def latest(obj) -> AuditEntry:
    return AuditEntry.objects.for_object(obj).order_by("-id").first()


def test_adding_assets_to_a_contract_records_the_ids_before_and_after():
    contract = ContractFactory()
    first, second = AssetFactory.create_batch(2)
    contract.assets.add(first)
    contract.assets.add(second)
    entry = latest(contract)
    assert entry.action == AuditAction.UPDATE
    assert entry.changes == {"assets": [[first.pk], sorted([first.pk, second.pk])]}


def test_a_change_made_from_the_other_side_is_recorded_on_the_contract():
    contract = ContractFactory()
    asset = AssetFactory()
    asset.contracts.add(contract)
    assert latest(contract).changes == {"assets": [[], [asset.pk]]}
    asset.contracts.clear()
    assert latest(contract).changes == {"assets": [[asset.pk], []]}


def test_setting_the_places_of_a_stocktake_records_what_was_removed_and_added():
    stocktake = StocktakeFactory()
    old, new = RoomFactory(), RoomFactory()
    stocktake.locations.set([old])
    stocktake.locations.set([new])
    changes = [
        e.changes["locations"]
        for e in AuditEntry.objects.for_object(stocktake).order_by("id")
        if "locations" in e.changes
    ]
    assert changes == [[[], [old.pk]], [[old.pk], []], [[], [new.pk]]]


def test_granting_a_role_is_recorded_on_the_account(security_admin):
    user = UserFactory()
    role = Group.objects.get(name="system_admin")
    with audit.audit_context(actor=security_admin, source="ui"):
        user.groups.add(role)
    entry = latest(user)
    assert entry.changes == {"groups": [[], [role.pk]]}
    assert entry.actor == security_admin


def test_revoking_a_role_from_the_role_side_is_recorded_too():
    user = UserFactory(roles=["audit_admin"])
    role = Group.objects.get(name="audit_admin")
    role.user_set.remove(user)
    assert latest(user).changes == {"groups": [[role.pk], []]}


def test_a_plain_save_of_a_user_records_the_changed_fields():
    user = UserFactory(email="old@hospital.example")
    user.email = "new@hospital.example"
    user.is_active = False
    user.save()
    assert latest(user).changes == {
        "email": ["old@hospital.example", "new@hospital.example"],
        "is_active": [True, False],
    }


def test_a_password_change_is_recorded_without_the_hash():
    user = UserFactory()
    user.set_password("Another-long-Secret-42")
    user.save()
    entry = latest(user)
    assert entry.changes["password"] == ["••••••", "••••••"]
    assert user.password not in json.dumps(
        list(AuditEntry.objects.values_list("changes", flat=True))
    )


def test_creating_and_deleting_an_account_are_recorded():
    user = UserFactory(username="temp.clerk")
    created = AuditEntry.objects.for_object(user).order_by("id").first()
    assert created.action == AuditAction.CREATE
    assert created.changes["username"] == [None, "temp.clerk"]
    pk = user.pk
    user.delete()
    deleted = AuditEntry.objects.filter(object_id=str(pk)).order_by("-id").first()
    assert deleted.action == AuditAction.DELETE
    assert deleted.changes["password"] == ["••••••", None]


def test_the_sign_in_time_alone_is_not_recorded_as_a_change():
    user = UserFactory()
    before = AuditEntry.objects.count()
    update_last_login(None, user)
    assert AuditEntry.objects.count() == before
