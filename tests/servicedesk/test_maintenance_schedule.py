"""Plan schedules and work-order generation: calendar-correct months, lead
time, idempotence, and the scope of a plan."""

import datetime as dt

import pytest

from tests.factories.inventory import (
    AssetFactory,
    AssetModelFactory,
    BuildingFactory,
    FloorFactory,
    RoomFactory,
    asset_type,
)
from tests.factories.servicedesk_maintenance import (
    MaintenancePlanFactory,
    server_room_round,
)
from wardkeeper.inventory.choices import AssetStatus
from wardkeeper.servicedesk.models import (
    Frequency,
    MaintenancePlan,
    WorkOrder,
    add_months,
)
from wardkeeper.servicedesk.services.maintenance import generate

D = dt.date


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (D(2026, 1, 31), 1, D(2026, 2, 28)),
        (D(2028, 1, 31), 1, D(2028, 2, 29)),
        (D(2026, 1, 31), 2, D(2026, 3, 31)),
        (D(2026, 11, 30), 3, D(2027, 2, 28)),
        (D(2026, 12, 15), 1, D(2027, 1, 15)),
    ],
)
def test_months_step_to_the_same_day_or_the_months_last(start, months, expected):
    assert add_months(start, months) == expected


def test_a_monthly_plan_from_the_31st_keeps_coming_back_to_the_31st():
    plan = MaintenancePlan(
        starts_on=D(2026, 1, 31), every=1, frequency=Frequency.MONTHS
    )
    assert plan.next_due_dates(D(2026, 1, 1), 4) == [
        D(2026, 1, 31),
        D(2026, 2, 28),
        D(2026, 3, 31),
        D(2026, 4, 30),
    ]
    assert plan.due_dates(D(2026, 5, 1), D(2026, 7, 31)) == [
        D(2026, 5, 31),
        D(2026, 6, 30),
        D(2026, 7, 31),
    ]


def test_every_two_weeks_counts_from_the_start_date():
    plan = MaintenancePlan(starts_on=D(2026, 3, 2), every=2, frequency=Frequency.WEEKS)
    assert plan.next_due_dates(D(2026, 3, 10), 3) == [
        D(2026, 3, 16),
        D(2026, 3, 30),
        D(2026, 4, 13),
    ]


@pytest.mark.django_db
def test_generation_is_idempotent_and_picks_up_new_assets_next_run():
    room = RoomFactory()
    ups = asset_type("ups")
    AssetFactory(location=room, asset_type=ups)
    plan = MaintenancePlanFactory(asset_types=[ups], locations=[room])

    assert generate(D(2026, 1, 1)) == 1
    assert generate(D(2026, 1, 1)) == 0
    newcomer = AssetFactory(location=room, asset_type=ups)
    assert generate(D(2026, 1, 1)) == 1
    assert WorkOrder.objects.filter(plan=plan, due_on=D(2026, 1, 1)).count() == 2
    assert WorkOrder.objects.filter(asset=newcomer).exists()


@pytest.mark.django_db
def test_lead_time_brings_work_orders_that_many_days_early():
    room = RoomFactory()
    plan = server_room_round(room, starts_on=D(2026, 2, 1), lead_days=3)
    plan.frequency, plan.every = Frequency.MONTHS, 1
    plan.save()

    assert generate(D(2026, 1, 28)) == 0
    assert generate(D(2026, 1, 29)) == 1
    order = WorkOrder.objects.get()
    assert (order.due_on, order.location, order.asset) == (D(2026, 2, 1), room, None)


@pytest.mark.django_db
def test_a_round_is_one_work_order_per_place_not_per_asset():
    room = RoomFactory()
    AssetFactory.create_batch(3, location=room)
    server_room_round(room)
    assert generate(D(2026, 1, 5)) == 1


@pytest.mark.django_db
def test_scope_takes_types_or_models_inside_the_places_subtree():
    building = BuildingFactory()
    inside = RoomFactory(parent=FloorFactory(parent=building))
    elsewhere = RoomFactory()
    workstation = asset_type()
    special = AssetModelFactory(asset_type=asset_type("server"))
    by_type = AssetFactory(location=inside)  # a workstation
    by_model = AssetFactory(location=inside, model=special)
    AssetFactory(location=elsewhere)  # outside the place
    AssetFactory(location=inside, status=AssetStatus.RETIRED)
    AssetFactory(
        location=inside, model=AssetModelFactory(asset_type=asset_type("server"))
    )
    plan = MaintenancePlanFactory(
        asset_types=[workstation], asset_models=[special], locations=[building]
    )

    generate(D(2026, 1, 1))

    assert {o.asset for o in WorkOrder.objects.filter(plan=plan)} == {
        by_type,
        by_model,
    }


@pytest.mark.django_db
def test_inactive_plans_and_plans_naming_no_scope_generate_nothing():
    AssetFactory()
    MaintenancePlanFactory()  # no types, models or places
    server_room_round(RoomFactory(), is_active=False)
    assert generate(D(2026, 1, 1)) == 0
