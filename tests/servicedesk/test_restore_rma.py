"""Send to vendor: RMAs with the contract's terms, statuses and a loaner."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from tests.factories.inventory import AssetFactory, VendorFactory
from tests.factories.servicedesk_restore import covering_contract, ward
from wardkeeper.core.errors import DomainError
from wardkeeper.inventory.choices import AssetStatus
from wardkeeper.inventory.models import Asset
from wardkeeper.servicedesk.choices import TicketState, WaitingFor
from wardkeeper.servicedesk.models import RmaState
from wardkeeper.servicedesk.services import notify, rma, swap

pytestmark = pytest.mark.django_db
T0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _quiet(monkeypatch):
    monkeypatch.setattr(notify, "ticket_event", lambda *a, **k: None)


def test_the_covering_contract_is_suggested_and_its_terms_copied(hardware_engineer):
    w = ward()
    contract = covering_contract(w.faulty)
    covering_contract(AssetFactory())  # another asset's contract
    suggestion = rma.suggest(w.faulty)
    assert suggestion["contract"] == contract
    assert suggestion["vendor"] == contract.vendor

    made = rma.request(
        asset=w.faulty,
        vendor=contract.vendor,
        contract=contract,
        ticket=w.ticket,
        actor=hardware_engineer,
        now=T0,
    )
    assert made.covered is True
    assert (made.response_hours, made.restore_hours) == (4, 72)
    assert made.response_due_at == T0 + dt.timedelta(hours=4)
    assert made.restore_due_at is None  # the repair clock starts at shipping


def test_an_expired_contract_does_not_cover(hardware_engineer):
    w = ward()
    old = covering_contract(
        w.faulty,
        starts_on=dt.date(2020, 1, 1),
        ends_on=dt.date(2021, 1, 1),
    )
    assert rma.suggest(w.faulty)["contract"] is None
    made = rma.request(
        asset=w.faulty, vendor=old.vendor, contract=old, actor=hardware_engineer
    )
    assert made.covered is False


def test_a_contract_of_another_vendor_is_refused(hardware_engineer):
    w = ward()
    contract = covering_contract(w.faulty)
    with pytest.raises(DomainError, match="not with this vendor"):
        rma.request(
            asset=w.faulty,
            vendor=VendorFactory(),
            contract=contract,
            actor=hardware_engineer,
        )


def test_the_round_trip_moves_the_asset_and_the_ticket(hardware_engineer):
    w = ward()
    w.ticket.state = TicketState.IN_PROGRESS
    w.ticket.save()
    contract = covering_contract(w.faulty)
    made = rma.request(
        asset=w.faulty,
        vendor=contract.vendor,
        contract=contract,
        ticket=w.ticket,
        actor=hardware_engineer,
        now=T0,
    )
    made.number = "RMA-778"
    made.vendor_responded_at = T0 + dt.timedelta(hours=2)
    made.save()

    rma.move(
        made, RmaState.SHIPPED, actor=hardware_engineer, at=T0 + dt.timedelta(hours=3)
    )
    assert Asset.objects.get(pk=w.faulty.pk).status == AssetStatus.AT_VENDOR
    w.ticket.refresh_from_db()
    assert (w.ticket.state, w.ticket.waiting_for) == (
        TicketState.WAITING,
        WaitingFor.VENDOR,
    )

    rma.move(
        made,
        RmaState.AT_VENDOR,
        actor=hardware_engineer,
        at=T0 + dt.timedelta(hours=20),
    )
    made = rma.move(
        made,
        RmaState.RETURNED,
        actor=hardware_engineer,
        at=T0 + dt.timedelta(hours=100),
    )
    # It was in use when shipped: it goes back in use.
    assert Asset.objects.get(pk=w.faulty.pk).status == AssetStatus.IN_USE
    w.ticket.refresh_from_db()
    assert w.ticket.state == TicketState.IN_PROGRESS
    assert made.response_met() is True
    assert made.restore_met() is False  # 97 h against 72 h
    made = rma.move(
        made, RmaState.CLOSED, actor=hardware_engineer, at=T0 + dt.timedelta(hours=101)
    )
    assert made.closed_at == T0 + dt.timedelta(hours=101)


def test_a_swapped_out_asset_returns_to_stock(hardware_engineer):
    w = ward()
    w.pool(w.near)
    w.spare(w.near)
    swap.swap(w.ticket, actor=hardware_engineer)
    faulty = Asset.objects.get(pk=w.faulty.pk)
    made = rma.request(asset=faulty, vendor=VendorFactory(), actor=hardware_engineer)
    rma.move(made, RmaState.SHIPPED, actor=hardware_engineer)
    rma.move(made, RmaState.RETURNED, actor=hardware_engineer)
    assert Asset.objects.get(pk=w.faulty.pk).status == AssetStatus.IN_STOCK


def test_a_loaner_stands_in_and_goes_back_on_return(hardware_engineer):
    w = ward()
    w.pool(w.near)
    loaner = w.spare(w.near, tag="LOANER")
    made = rma.request(asset=w.faulty, vendor=VendorFactory(), actor=hardware_engineer)
    rma.move(made, RmaState.SHIPPED, actor=hardware_engineer)
    made = rma.issue_loaner(made, actor=hardware_engineer)
    loaner.refresh_from_db()
    assert made.loaner == loaner
    assert (loaner.status, loaner.location) == (AssetStatus.IN_USE, w.room)
    assert loaner.custodian == "Head nurse Li"
    with pytest.raises(DomainError, match="already"):
        rma.issue_loaner(made, actor=hardware_engineer)

    made = rma.move(made, RmaState.RETURNED, actor=hardware_engineer)
    loaner.refresh_from_db()
    assert (loaner.status, loaner.location) == (AssetStatus.IN_STOCK, w.near)
    assert made.loaner_returned_at is not None
    assert Asset.objects.get(pk=w.faulty.pk).status == AssetStatus.IN_USE


def test_no_loaner_says_which_pools_were_looked_at(hardware_engineer):
    w = ward()
    w.pool(w.near, name="Floor pool")
    made = rma.request(asset=w.faulty, vendor=VendorFactory(), actor=hardware_engineer)
    with pytest.raises(DomainError, match="Floor pool"):
        rma.issue_loaner(made, actor=hardware_engineer)


def test_only_sensible_moves(hardware_engineer):
    w = ward()
    made = rma.request(asset=w.faulty, vendor=VendorFactory(), actor=hardware_engineer)
    with pytest.raises(DomainError, match="cannot move"):
        rma.move(made, RmaState.RETURNED, actor=hardware_engineer)
    with pytest.raises(DomainError, match="already has an open RMA"):
        rma.request(asset=w.faulty, vendor=VendorFactory(), actor=hardware_engineer)
    made = rma.move(made, RmaState.CANCELLED, actor=hardware_engineer)
    assert Asset.objects.get(pk=w.faulty.pk).status == AssetStatus.IN_USE
    with pytest.raises(DomainError):
        rma.move(made, RmaState.SHIPPED, actor=hardware_engineer)


def test_the_rma_number_counts_as_the_vendors_response(hardware_engineer):
    w = ward()
    made = rma.request(asset=w.faulty, vendor=VendorFactory(), actor=hardware_engineer)
    assert made.vendor_responded_at is None
    made.number = "X-1"
    made.save()
    assert made.vendor_responded_at is not None
    assert made.response_met() is None  # no term in the contract: nothing to meet


def test_an_open_response_term_is_missed_once_due(hardware_engineer):
    w = ward()
    contract = covering_contract(w.faulty)
    made = rma.request(
        asset=w.faulty,
        vendor=contract.vendor,
        contract=contract,
        actor=hardware_engineer,
        now=T0,
    )
    assert made.response_met(T0 + dt.timedelta(hours=3)) is None
    assert made.response_met(T0 + dt.timedelta(hours=5)) is False
    assert timezone.is_aware(made.response_due_at)
