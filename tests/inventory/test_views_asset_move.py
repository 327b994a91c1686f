"""Moving an asset from its page: the panel offers the allowed moves, a
refusal is shown with its reason and changes nothing."""

import pytest
from django.urls import reverse

from tests.factories.inventory import AssetFactory
from wardkeeper.core.models import AuditEntry
from wardkeeper.core.models.audit import AuditAction
from wardkeeper.inventory.choices import AssetStatus
from wardkeeper.inventory.models import DataWipeRecord, LifecycleEvent

pytestmark = pytest.mark.django_db


def move(client, asset, **data):
    return client.post(reverse("inventory:asset-move", args=[asset.pk]), data)


def test_the_panel_offers_only_the_moves_the_lifecycle_allows(hardware_engineer, login):
    asset = AssetFactory(status=AssetStatus.RETIRED)
    page = login(hardware_engineer).get(
        reverse("inventory:asset-detail", args=[asset.pk])
    )
    offered = page.context["allowed_moves"]
    assert set(offered) == {AssetStatus.DISPOSED, AssetStatus.IN_STOCK}
    assert b'value="in_use"' not in page.content


def test_a_move_from_the_page_is_recorded_with_who_and_why(hardware_engineer, login):
    asset = AssetFactory(status=AssetStatus.IN_STOCK)
    response = move(login(hardware_engineer), asset, to="in_use", reason="Ward 5 desk")
    assert response.status_code == 302
    asset.refresh_from_db()
    assert asset.status == AssetStatus.IN_USE
    event = LifecycleEvent.objects.get(asset=asset)
    assert (event.actor, event.reason) == (hardware_engineer, "Ward 5 desk")
    entry = AuditEntry.objects.for_object(asset).filter(action=AuditAction.LIFECYCLE)
    assert entry.get().message == "Ward 5 desk"


def test_a_forbidden_move_shows_the_reason_and_changes_nothing(
    hardware_engineer, login
):
    asset = AssetFactory(status=AssetStatus.RETIRED)
    response = move(login(hardware_engineer), asset, to="in_use", reason="Back please")
    assert response.status_code == 400
    assert "cannot move to in use" in response.content.decode()
    asset.refresh_from_db()
    assert asset.status == AssetStatus.RETIRED
    assert not LifecycleEvent.objects.filter(asset=asset).exists()


def test_a_move_without_a_reason_asks_for_one(hardware_engineer, login):
    asset = AssetFactory(status=AssetStatus.IN_STOCK)
    response = move(login(hardware_engineer), asset, to="in_use", reason="")
    assert response.status_code == 400
    assert "Say why the asset moves." in response.content.decode()
    asset.refresh_from_db()
    assert asset.status == AssetStatus.IN_STOCK


def test_disposing_of_a_pc_needs_the_wipe_and_records_it(hardware_engineer, login):
    pc = AssetFactory(status=AssetStatus.RETIRED)
    client = login(hardware_engineer)
    page = client.get(reverse("inventory:asset-detail", args=[pc.pk]))
    assert "Data wipe (needed to dispose)" in page.content.decode()
    refused = move(client, pc, to="disposed", reason="End of life")
    assert "record the data wipe" in refused.content.decode()
    done = move(
        client,
        pc,
        to="disposed",
        reason="End of life",
        wipe_method="destroy",
        wipe_performed_by="ShredCo",
        wipe_certificate="SC-1",
    )
    assert done.status_code == 302
    assert DataWipeRecord.objects.get(asset=pc).certificate == "SC-1"


def test_a_wipe_needs_who_performed_it(hardware_engineer, login):
    pc = AssetFactory(status=AssetStatus.RETIRED)
    response = move(
        login(hardware_engineer), pc, to="disposed", reason="EOL", wipe_method="purge"
    )
    assert response.status_code == 400
    assert "who performed it" in response.content.decode()
    assert not DataWipeRecord.objects.exists()


def test_someone_who_may_only_read_cannot_move(nurse, login):
    asset = AssetFactory(status=AssetStatus.IN_STOCK)
    assert move(login(nurse), asset, to="in_use", reason="x").status_code == 403
    asset.refresh_from_db()
    assert asset.status == AssetStatus.IN_STOCK
