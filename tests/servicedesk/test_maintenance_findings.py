"""Doing a work order: answers saved, completion recorded, and findings open
exactly one corrective ticket per work order."""

import datetime as dt
from decimal import Decimal

import pytest

from tests.factories.inventory import AssetFactory, RoomFactory
from tests.factories.servicedesk_maintenance import (
    ChecklistItemFactory,
    MaintenancePlanFactory,
    server_room_round,
)
from wardkeeper.core.errors import DomainError
from wardkeeper.servicedesk.choices import Category, MaintenanceKind, Source
from wardkeeper.servicedesk.models import ItemKind, Ticket, WorkOrderState
from wardkeeper.servicedesk.services import maintenance
from wardkeeper.servicedesk.services.maintenance import Reading

pytestmark = pytest.mark.django_db


def round_order(room=None):
    room = room or RoomFactory(name="Server room A")
    plan = server_room_round(room)
    maintenance.generate(dt.date(2026, 1, 1))
    order = plan.work_orders.get()
    items = {item.text: item.pk for item in plan.checklist.items.all()}
    return order, items


def all_good(items, **changes):
    readings = {
        items["Temperature"]: Reading(value=Decimal("22")),
        items["Humidity"]: Reading(value=Decimal("45")),
        items["UPS on mains, no alarm"]: Reading(passed=True),
        items["RAID and disk lights green"]: Reading(passed=True),
        items["Cooling units running"]: Reading(passed=True),
        items["Door access log reviewed"]: Reading(passed=True),
    }
    readings.update({items[name]: reading for name, reading in changes.items()})
    return readings


def test_a_clean_round_completes_with_who_and_when_and_no_ticket(
    hardware_engineer,
):
    order, items = round_order()
    now = dt.datetime(2026, 1, 1, 8, 30, tzinfo=dt.UTC)
    order = maintenance.record(
        order, all_good(items), actor=hardware_engineer, complete=True, now=now
    )
    assert order.state == WorkOrderState.DONE
    assert (order.completed_by, order.completed_at) == (hardware_engineer, now)
    assert order.ticket is None
    assert not Ticket.objects.exists()
    assert order.answers.count() == 6


def test_a_temperature_out_of_limits_opens_one_ticket_naming_it(hardware_engineer):
    room = RoomFactory(name="Server room A")
    order, items = round_order(room)
    readings = all_good(items, Temperature=Reading(value=Decimal("31.5")))
    order = maintenance.record(order, readings, actor=hardware_engineer, complete=True)

    ticket = Ticket.objects.get()
    assert order.ticket == ticket
    assert ticket.source == Source.MAINTENANCE
    assert ticket.category == Category.HARDWARE
    assert ticket.kind == MaintenanceKind.CORRECTIVE
    assert ticket.location == room
    assert ticket.asset is None
    assert ticket.origin == f"workorder:{order.pk}"
    assert "Temperature: 31.5 °C (acceptable 18\u201327 °C)" in ticket.description
    assert "Temperature" in ticket.title


def test_several_findings_make_one_ticket_and_later_ones_join_it(hardware_engineer):
    order, items = round_order()
    maintenance.record(
        order,
        all_good(
            items,
            Humidity=Reading(value=Decimal("75")),
            **{"UPS on mains, no alarm": Reading(passed=False)},
        ),
        actor=hardware_engineer,
    )
    ticket = Ticket.objects.get()
    assert "Humidity: 75 %" in ticket.description
    assert "UPS on mains, no alarm: fail" in ticket.description

    # Saved again unchanged: nothing new. A new failure: a note on the same ticket.
    maintenance.record(
        order,
        all_good(
            items,
            Humidity=Reading(value=Decimal("75")),
            **{"UPS on mains, no alarm": Reading(passed=False)},
        ),
        actor=hardware_engineer,
    )
    assert ticket.worklogs.count() == 0
    maintenance.record(
        order,
        {items["Cooling units running"]: Reading(passed=False)},
        actor=hardware_engineer,
    )
    assert Ticket.objects.count() == 1
    assert "Cooling units running: fail" in ticket.worklogs.get().note


def test_a_preventive_finding_names_the_asset(hardware_engineer):
    asset = AssetFactory()
    plan = MaintenancePlanFactory(asset_models=[asset.model])
    item = ChecklistItemFactory(
        checklist=plan.checklist,
        text="Battery voltage",
        kind=ItemKind.MEASUREMENT,
        unit="V",
        lower_limit=Decimal("12.0"),
        category=Category.HARDWARE,
    )
    maintenance.generate(dt.date(2026, 1, 1))
    order = plan.work_orders.get()
    maintenance.record(
        order, {item.pk: Reading(value=Decimal("11.2"))}, actor=hardware_engineer
    )
    ticket = Ticket.objects.get()
    assert (ticket.asset, ticket.location) == (asset, asset.location)
    assert "Battery voltage: 11.2 V (acceptable ≥ 12 V)" in ticket.description


def test_completing_needs_every_required_item_and_then_saves_nothing(
    hardware_engineer,
):
    order, items = round_order()
    readings = all_good(items)
    del readings[items["Humidity"]]
    with pytest.raises(DomainError, match="Humidity"):
        maintenance.record(order, readings, actor=hardware_engineer, complete=True)
    order.refresh_from_db()
    assert order.state == WorkOrderState.OPEN
    assert not order.answers.exists()


def test_skipping_needs_a_reason_and_closes_the_order(hardware_engineer):
    order, items = round_order()
    with pytest.raises(DomainError):
        maintenance.skip(order, reason=" ", actor=hardware_engineer)
    order = maintenance.skip(
        order, reason="Room closed for works", actor=hardware_engineer
    )
    assert order.state == WorkOrderState.SKIPPED
    assert order.skip_reason == "Room closed for works"
    with pytest.raises(DomainError):
        maintenance.record(order, all_good(items), actor=hardware_engineer)
