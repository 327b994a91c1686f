"""Swap with a spare: one atomic action, the nearest compatible spare."""

from __future__ import annotations

import pytest

from tests.factories.inventory import AssetModelFactory, asset_type
from tests.factories.servicedesk import TicketFactory
from tests.factories.servicedesk_restore import ward
from wardkeeper.core.errors import DomainError
from wardkeeper.inventory.choices import AssetStatus
from wardkeeper.inventory.models import Asset, LifecycleEvent
from wardkeeper.servicedesk.models import SpareSwap, WorkLog
from wardkeeper.servicedesk.services import notify, swap

pytestmark = pytest.mark.django_db


@pytest.fixture
def events(monkeypatch):
    calls = []
    monkeypatch.setattr(
        notify, "ticket_event", lambda ticket, event, **kw: calls.append((event, kw))
    )
    return calls


def test_swap_puts_the_spare_in_the_room_and_the_faulty_asset_in_repair(
    hardware_engineer, events
):
    w = ward()
    pool = w.pool(w.near, minimum_level=1)
    spare = w.spare(w.near, tag="PC-SPARE")
    w.spare(w.near, tag="PC-SPARE2")

    record = swap.swap(w.ticket, actor=hardware_engineer)

    faulty, spare = Asset.objects.get(pk=w.faulty.pk), Asset.objects.get(pk=spare.pk)
    assert faulty.status == AssetStatus.IN_REPAIR
    assert spare.status == AssetStatus.IN_USE
    assert spare.location == w.room
    assert spare.department == faulty.department
    assert spare.custodian == "Head nurse Li"
    assert (record.ticket, record.faulty, record.spare, record.pool) == (
        w.ticket,
        faulty,
        spare,
        pool,
    )
    assert record.actor == hardware_engineer
    log = WorkLog.objects.get(ticket=w.ticket)
    assert log.public
    assert "PC-SPARE" in log.note
    assert "PC-FAULTY" in log.note
    assert events == []  # one spare left, minimum one: no restock alert
    # The ticket is not resolved by the swap itself.
    w.ticket.refresh_from_db()
    assert w.ticket.state == "new"


def test_the_nearest_pool_wins(hardware_engineer, events):
    w = ward()
    w.pool(w.other_campus, name="South pool")
    w.pool(w.far, name="Admin pool")
    w.pool(w.near, name="Floor pool")
    # The far store and the near store are on the same campus: the campus
    # pools each count every spare of the campus, so rank picks the spare
    # nearest to the room as well.
    w.spare(w.other_campus, tag="SOUTH")
    w.spare(w.far, tag="ADMIN")
    w.spare(w.near, tag="FLOOR")

    choice = swap.find_spare(w.faulty)
    assert choice.pool.name == "Floor pool"
    assert choice.spare.tag == "FLOOR"
    assert [p.name for p in choice.looked_at] == [
        "Floor pool",
        "Admin pool",
        "South pool",
    ]


def test_another_campus_is_the_last_resort(hardware_engineer, events):
    w = ward()
    w.pool(w.other_campus, name="South pool")
    w.spare(w.other_campus, tag="SOUTH")
    record = swap.swap(w.ticket, actor=hardware_engineer)
    assert record.spare.tag == "SOUTH"
    assert Asset.objects.get(tag="SOUTH").location == w.room


def test_a_type_pool_gives_any_model_of_the_type(hardware_engineer, events):
    w = ward()
    other_model = AssetModelFactory(asset_type=w.model.asset_type)
    w.pool(w.near, asset_model=None, asset_type=w.model.asset_type)
    w.spare(w.near, tag="OTHER-MODEL", model=other_model)
    # A spare of another type never fits.
    w.spare(
        w.near, tag="PRINTER", model=AssetModelFactory(asset_type=asset_type("printer"))
    )
    assert swap.swap(w.ticket, actor=hardware_engineer).spare.tag == "OTHER-MODEL"


def test_a_model_pool_gives_only_that_model(hardware_engineer, events):
    w = ward()
    w.pool(w.near)
    w.spare(w.near, tag="WRONG", model=AssetModelFactory(asset_type=w.model.asset_type))
    with pytest.raises(DomainError) as refused:
        swap.swap(w.ticket, actor=hardware_engineer)
    assert refused.value.code == "no_spare"
    assert "Pool" in refused.value.message  # names the pools looked at


def test_the_pool_below_its_minimum_raises_a_restock_alert(hardware_engineer, events):
    w = ward()
    pool = w.pool(w.near, minimum_level=2)
    w.spare(w.near)
    w.spare(w.near)
    swap.swap(w.ticket, actor=hardware_engineer)
    assert events == [("restock", {"pool": pool})]


def test_a_failure_half_way_leaves_both_assets_as_they_were(
    hardware_engineer, events, monkeypatch
):
    w = ward()
    w.pool(w.near)
    spare = w.spare(w.near, tag="PC-SPARE")
    real_move = Asset.move_to

    def second_move_fails(self, to, **kw):
        if self.pk == spare.pk:
            raise RuntimeError("the spare's label printer jammed")
        return real_move(self, to, **kw)

    monkeypatch.setattr(Asset, "move_to", second_move_fails)
    with pytest.raises(RuntimeError):
        swap.swap(w.ticket, actor=hardware_engineer)

    faulty, spare = Asset.objects.get(pk=w.faulty.pk), Asset.objects.get(pk=spare.pk)
    assert faulty.status == AssetStatus.IN_USE
    assert spare.status == AssetStatus.IN_STOCK
    assert spare.location == w.near
    assert not LifecycleEvent.objects.exists()
    assert not SpareSwap.objects.exists()
    assert not WorkLog.objects.exists()


def test_a_failure_after_both_moves_undoes_them_too(hardware_engineer, monkeypatch):
    w = ward()
    w.pool(w.near, minimum_level=5)
    w.spare(w.near)

    def broken(ticket, event, **kw):
        raise RuntimeError("boom")

    monkeypatch.setattr(notify, "ticket_event", broken)
    with pytest.raises(RuntimeError):
        swap.swap(w.ticket, actor=hardware_engineer)
    assert Asset.objects.get(pk=w.faulty.pk).status == AssetStatus.IN_USE
    assert Asset.objects.filter(status=AssetStatus.IN_STOCK).count() == 1


def test_refusals_say_why(hardware_engineer, events):
    with pytest.raises(DomainError) as refused:
        swap.swap(TicketFactory(asset=None), actor=hardware_engineer)
    assert refused.value.code == "no_asset"

    w = ward()
    w.pool(w.near)
    w.spare(w.near)
    Asset.objects.filter(pk=w.faulty.pk).update(status=AssetStatus.IN_REPAIR)
    with pytest.raises(DomainError) as refused:
        swap.swap(w.ticket, actor=hardware_engineer)
    assert refused.value.code == "not_in_use"
    assert "in repair" in refused.value.message


def test_no_compatible_pool_says_none_were_looked_at(hardware_engineer, events):
    w = ward()
    with pytest.raises(DomainError) as refused:
        swap.swap(w.ticket, actor=hardware_engineer)
    assert "none" in refused.value.message


def test_a_chosen_spare_must_be_in_stock_in_a_compatible_pool(
    hardware_engineer, events
):
    w = ward()
    w.pool(w.near)
    busy = w.spare(w.near)
    Asset.objects.filter(pk=busy.pk).update(status=AssetStatus.IN_USE)
    busy.refresh_from_db()
    with pytest.raises(DomainError, match="not in stock"):
        swap.swap(w.ticket, actor=hardware_engineer, spare=busy)
    stray = w.spare(w.near, model=AssetModelFactory(asset_type=w.model.asset_type))
    with pytest.raises(DomainError, match="not a spare of a pool"):
        swap.swap(w.ticket, actor=hardware_engineer, spare=stray)
    chosen = w.spare(w.near, tag="CHOSEN")
    w.spare(w.near, tag="A-FIRST")
    assert (
        swap.swap(w.ticket, actor=hardware_engineer, spare=chosen).spare.tag == "CHOSEN"
    )
