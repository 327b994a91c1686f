"""The maintenance pages: who may see and change what, plans and checklists
through their forms, a work order done through its page, the overdue list."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories.inventory import RoomFactory
from tests.factories.servicedesk_maintenance import (
    DO_PERMS,
    MANAGE_PERMS,
    ChecklistFactory,
    grant,
    server_room_round,
)
from wardkeeper.servicedesk.models import (
    ChecklistItem,
    MaintenancePlan,
    Ticket,
    WorkOrder,
    WorkOrderState,
    add_months,
)
from wardkeeper.servicedesk.services import maintenance

pytestmark = pytest.mark.django_db


@pytest.fixture
def todays_round():
    plan = server_room_round(RoomFactory(name="Server room A"))
    maintenance.generate(timezone.localdate())
    return plan.work_orders.get()


def answers(order, **override):
    data = {}
    for item in order.plan.checklist.items.all():
        key = f"item_{item.pk}"
        data[key] = {"measurement": "22", "check": "pass", "text": ""}[item.kind]
        if item.text in override:
            data[key] = override[item.text]
    return data


@pytest.mark.parametrize(
    "name",
    [
        "servicedesk:checklist-list",
        "servicedesk:maintenanceplan-list",
        "servicedesk:workorder-list",
        "servicedesk:workorder-overdue",
    ],
)
def test_lists_need_their_permission(name, client, login, nurse, hardware_engineer):
    assert client.get(reverse(name)).status_code == 302  # to sign in
    login(nurse)
    assert client.get(reverse(name)).status_code == 403
    login(grant(hardware_engineer, *DO_PERMS))
    assert client.get(reverse(name)).status_code == 200


def test_an_engineer_cannot_create_plans_without_the_manage_permission(
    client, login, network_engineer
):
    # Network engineers do work orders; planning is the hardware team's.
    login(grant(network_engineer, *DO_PERMS))
    assert client.get(reverse("servicedesk:maintenanceplan-add")).status_code == 403


def test_a_round_plan_is_created_through_its_form(client, login, hardware_engineer):
    login(grant(hardware_engineer, *MANAGE_PERMS))
    room = RoomFactory()
    checklist = ChecklistFactory()
    form = {
        "name": "Daily round",
        "kind": "round",
        "checklist": checklist.pk,
        "every": "1",
        "frequency": "months",
        "starts_on": f"{timezone.localdate().year + 1}-01-31",
        "lead_days": "0",
        "is_active": "on",
    }
    response = client.post(reverse("servicedesk:maintenanceplan-add"), form)
    assert response.status_code == 200
    assert "Name the places the round inspects." in response.content.decode()

    response = client.post(
        reverse("servicedesk:maintenanceplan-add"), {**form, "locations": [room.pk]}
    )
    plan = MaintenancePlan.objects.get()
    assert response.url == reverse("servicedesk:maintenanceplan-detail", args=[plan.pk])
    next_dues = client.get(response.url).context["next_dues"]
    assert next_dues[:3] == [
        plan.starts_on,
        *(add_months(plan.starts_on, n) for n in (1, 2)),
    ]
    assert next_dues[1].day in (28, 29)


def test_checklist_items_are_added_from_the_checklist_page(
    client, login, hardware_engineer
):
    login(grant(hardware_engineer, *MANAGE_PERMS))
    checklist = ChecklistFactory(name="UPS check")
    response = client.post(
        reverse("servicedesk:checklistitem-add", args=[checklist.pk]),
        {
            "text": "Battery temperature",
            "kind": "measurement",
            "position": "10",
            "required": "on",
            "unit": "°C",
            "lower_limit": "30",
            "upper_limit": "20",
            "category": "hardware",
        },
    )
    assert "The highest value is below the lowest." in response.content.decode()
    assert not ChecklistItem.objects.exists()


def test_my_work_orders_lists_what_i_may_do_within_a_query_budget(
    client, login, hardware_engineer, todays_round, django_assert_max_num_queries
):
    todays_round.assignee = hardware_engineer
    todays_round.save()
    login(grant(hardware_engineer, *DO_PERMS))
    with django_assert_max_num_queries(15):
        page = client.get(reverse("servicedesk:workorder-mine")).content.decode()
    assert todays_round.reference in page


def test_a_round_done_on_its_page_opens_one_ticket_for_its_findings(
    client, login, hardware_engineer, todays_round
):
    login(grant(hardware_engineer, *DO_PERMS))
    url = reverse("servicedesk:workorder-detail", args=[todays_round.pk])
    data = answers(todays_round, Temperature="31", **{"Cooling units running": "fail"})

    response = client.post(url, {**data, "save": "1"})
    assert response.status_code == 302
    response = client.post(url, {**data, "complete": "1"}, follow=True)

    ticket = Ticket.objects.get()
    assert "Temperature: 31 °C" in ticket.description
    assert "Cooling units running: fail" in ticket.description
    todays_round.refresh_from_db()
    assert todays_round.state == WorkOrderState.DONE
    assert todays_round.completed_by == hardware_engineer
    assert ticket.reference in response.content.decode()


def test_completing_with_a_required_item_unanswered_says_which(
    client, login, hardware_engineer, todays_round
):
    login(grant(hardware_engineer, *DO_PERMS))
    data = answers(todays_round, Humidity="")
    response = client.post(
        reverse("servicedesk:workorder-detail", args=[todays_round.pk]),
        {**data, "complete": "1"},
    )
    assert response.status_code == 400
    assert "Answer every required item first: Humidity." in response.content.decode()
    assert WorkOrder.objects.get().state == WorkOrderState.OPEN


def test_only_engineers_who_do_work_orders_may_answer_or_skip(
    client, login, system_admin, todays_round
):
    login(system_admin)  # reads work orders, does none
    url = reverse("servicedesk:workorder-detail", args=[todays_round.pk])
    assert client.post(url, answers(todays_round)).status_code == 403
    skip = reverse("servicedesk:workorder-skip", args=[todays_round.pk])
    assert client.post(skip, {"reason": "no"}).status_code == 403
    assert WorkOrder.objects.get().state == WorkOrderState.OPEN


def test_the_overdue_page_lists_only_open_orders_past_due(
    client, login, hardware_engineer
):
    plan = server_room_round(RoomFactory())
    today = timezone.localdate()
    maintenance.generate(today - dt.timedelta(days=2))
    maintenance.generate(today)
    late = plan.work_orders.get(due_on=today - dt.timedelta(days=2))
    current = plan.work_orders.get(due_on=today)
    login(grant(hardware_engineer, *DO_PERMS))
    page = client.get(reverse("servicedesk:workorder-overdue")).content.decode()
    assert late.reference in page
    assert current.reference not in page


def test_the_work_order_list_keeps_to_a_query_budget(
    client, login, hardware_engineer, django_assert_max_num_queries
):
    for n in range(5):
        server_room_round(RoomFactory(name=f"Server room {n}"))
    maintenance.generate(timezone.localdate())
    login(grant(hardware_engineer, *DO_PERMS))
    with django_assert_max_num_queries(15):
        response = client.get(reverse("servicedesk:workorder-list"))
    assert len(response.context["object_list"]) == 5


def test_an_answered_checklist_item_is_kept(
    client, login, hardware_engineer, todays_round
):
    item = todays_round.plan.checklist.items.get(text="Temperature")
    maintenance.record(
        todays_round,
        {item.pk: maintenance.Reading(value=Decimal(22))},
        actor=hardware_engineer,
    )
    login(grant(hardware_engineer, *MANAGE_PERMS))
    response = client.post(
        reverse("servicedesk:checklistitem-delete", args=[item.pk]), follow=True
    )
    assert "This item has answers on work orders" in response.content.decode()
    assert ChecklistItem.objects.filter(pk=item.pk).exists()
