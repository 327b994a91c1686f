"""The asset lifecycle: allowed moves work, every other move is refused with
its reason and changes nothing; data-bearing devices need a wipe to go."""

import itertools

import pytest

from tests.factories.inventory import AssetFactory, AssetModelFactory, asset_type
from wardkeeper.core.models import AuditEntry
from wardkeeper.inventory.choices import LIFECYCLE_MOVES, AssetStatus, WipeMethod
from wardkeeper.inventory.models import DataWipeRecord, LifecycleEvent
from wardkeeper.inventory.models.assets import LifecycleRefused
from wardkeeper.inventory.services.lifecycle import WipeDetails, move_asset

pytestmark = pytest.mark.django_db

PAIRS = list(itertools.product(AssetStatus.values, AssetStatus.values))
ALLOWED = [(a, b) for a, b in PAIRS if b in LIFECYCLE_MOVES[a]]
REFUSED = [(a, b) for a, b in PAIRS if b not in LIFECYCLE_MOVES[a]]
WIPE = WipeDetails(method=WipeMethod.PURGE, performed_by="Li Wei", certificate="W-77")


def printer(status):
    """An asset of a type that stores no data, so disposal needs no wipe."""
    return AssetFactory(
        status=status, model=AssetModelFactory(asset_type=asset_type("printer"))
    )


@pytest.mark.parametrize(("start", "to"), ALLOWED)
def test_every_allowed_move_changes_the_status_and_records_who_and_why(
    start, to, hardware_engineer
):
    asset = printer(start)
    event = move_asset(asset, to, reason="Ward 3 round", actor=hardware_engineer)
    asset.refresh_from_db()
    assert asset.status == to
    assert (event.from_status, event.to_status) == (start, to)
    assert (event.reason, event.actor) == ("Ward 3 round", hardware_engineer)


@pytest.mark.parametrize(("start", "to"), REFUSED)
def test_every_other_move_is_refused_with_the_reason_and_changes_nothing(
    start, to, hardware_engineer
):
    asset = printer(start)
    entries = AuditEntry.objects.count()
    with pytest.raises(LifecycleRefused) as refused:
        move_asset(asset, to, reason="Try it", actor=hardware_engineer)
    assert str(AssetStatus(to).label) in refused.value.message
    asset.refresh_from_db()
    assert asset.status == start
    assert not LifecycleEvent.objects.filter(asset=asset).exists()
    assert AuditEntry.objects.count() == entries


def test_a_move_without_a_reason_is_refused(hardware_engineer):
    asset = printer(AssetStatus.IN_STOCK)
    with pytest.raises(LifecycleRefused) as refused:
        move_asset(asset, AssetStatus.IN_USE, reason="  ", actor=hardware_engineer)
    assert refused.value.field == "reason"
    asset.refresh_from_db()
    assert asset.status == AssetStatus.IN_STOCK


def test_a_device_that_stores_data_cannot_be_disposed_without_a_wipe(
    hardware_engineer,
):
    pc = AssetFactory(status=AssetStatus.RETIRED)  # a workstation stores data
    with pytest.raises(LifecycleRefused) as refused:
        move_asset(
            pc, AssetStatus.DISPOSED, reason="End of life", actor=hardware_engineer
        )
    assert "wipe" in refused.value.message
    pc.refresh_from_db()
    assert pc.status == AssetStatus.RETIRED


def test_a_disposal_with_a_wipe_records_the_wipe_and_the_move_together(
    hardware_engineer,
):
    pc = AssetFactory(status=AssetStatus.RETIRED)
    move_asset(
        pc,
        AssetStatus.DISPOSED,
        reason="End of life",
        actor=hardware_engineer,
        wipe=WIPE,
    )
    pc.refresh_from_db()
    wipe = DataWipeRecord.objects.get(asset=pc)
    assert pc.status == AssetStatus.DISPOSED
    assert (wipe.performed_by, wipe.certificate, wipe.verified_by) == (
        "Li Wei",
        "W-77",
        hardware_engineer,
    )


def test_a_refused_disposal_keeps_no_wipe_record(hardware_engineer):
    pc = AssetFactory(status=AssetStatus.IN_USE)  # in use cannot go to disposed
    with pytest.raises(LifecycleRefused):
        move_asset(
            pc,
            AssetStatus.DISPOSED,
            reason="Broken",
            actor=hardware_engineer,
            wipe=WIPE,
        )
    assert not DataWipeRecord.objects.filter(asset=pc).exists()


def test_a_wipe_without_who_did_it_is_refused(hardware_engineer):
    pc = AssetFactory(status=AssetStatus.RETIRED)
    anonymous = WipeDetails(method=WipeMethod.DESTROY, performed_by=" ")
    with pytest.raises(LifecycleRefused) as refused:
        move_asset(
            pc,
            AssetStatus.DISPOSED,
            reason="Shredded",
            actor=hardware_engineer,
            wipe=anonymous,
        )
    assert refused.value.field == "wipe_performed_by"
    assert not DataWipeRecord.objects.exists()
