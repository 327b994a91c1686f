"""Which SLA policy a ticket gets, and the due times it sets."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from tests.factories.inventory import DepartmentFactory
from tests.factories.servicedesk import SlaPolicyFactory, TicketFactory
from tests.factories.servicedesk_sla import office_calendar
from wardkeeper.servicedesk.choices import Category, Priority, Urgency
from wardkeeper.servicedesk.models import SlaPolicy
from wardkeeper.servicedesk.services import sla, tickets

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")


def best(priority, department=None, category=Category.HARDWARE):
    return SlaPolicy.objects.best_for(
        priority=priority,
        department_id=department.pk if department else None,
        category=category,
    )


def test_the_most_specific_active_policy_wins():
    icu, ward = DepartmentFactory(name="ICU"), DepartmentFactory(name="Ward 7")
    general = SlaPolicyFactory(name="P2", priority=Priority.P2)
    network = SlaPolicyFactory(name="P2 network", priority=2, category=Category.NETWORK)
    icu_any = SlaPolicyFactory(name="P2 ICU", priority=2, department=icu)
    icu_network = SlaPolicyFactory(
        name="P2 ICU network", priority=2, department=icu, category=Category.NETWORK
    )
    SlaPolicyFactory(
        name="P2 ICU retired",
        priority=2,
        department=icu,
        category=Category.NETWORK,
        is_active=False,
    )
    SlaPolicyFactory(name="P1", priority=Priority.P1)

    assert best(2, icu, Category.NETWORK) == icu_network
    assert best(2, icu, Category.HARDWARE) == icu_any
    assert best(2, ward, Category.NETWORK) == network
    assert best(2, ward, Category.HARDWARE) == general
    assert best(2, None, Category.DATA) == general
    assert best(3, icu, Category.NETWORK) is None


def test_a_new_ticket_gets_its_due_times_on_the_policys_calendar(nurse):
    SlaPolicyFactory(
        priority=Priority.P3,
        calendar=office_calendar(),
        response_minutes=60,
        restore_minutes=8 * 60,
    )
    friday_evening = dt.datetime(2025, 3, 7, 20, 0, tzinfo=SHANGHAI)
    ticket = tickets.open_ticket(
        tickets.Report(
            title="Printer jammed",
            category=Category.HARDWARE,
            reporter=nurse,
            urgency=Urgency.HIGH,
        ),
        now=friday_evening,
    )
    assert ticket.sla_policy is not None
    assert ticket.response_due_at == dt.datetime(2025, 3, 10, 9, 0, tzinfo=SHANGHAI)
    assert ticket.restore_due_at == dt.datetime(2025, 3, 10, 17, 30, tzinfo=SHANGHAI)


def test_without_a_policy_there_are_no_due_times():
    ticket = TicketFactory.build()
    sla.start_clock(ticket, ticket.created_at)
    assert ticket.sla_policy is None
    assert ticket.response_due_at is None
    assert ticket.restore_due_at is None


def test_a_raised_priority_counts_from_the_report_not_from_the_change(
    nurse, hardware_engineer
):
    SlaPolicyFactory(priority=Priority.P3, response_minutes=240, restore_minutes=2880)
    SlaPolicyFactory(priority=Priority.P1, response_minutes=15, restore_minutes=240)
    reported = dt.datetime(2025, 3, 3, 9, 0, tzinfo=SHANGHAI)
    ticket = tickets.open_ticket(
        tickets.Report(
            title="Monitor dark",
            category=Category.HARDWARE,
            reporter=nurse,
            urgency=Urgency.HIGH,
        ),
        now=reported,
    )
    later = reported + dt.timedelta(hours=1)
    ticket = tickets.set_priority(
        ticket, Priority.P1, reason="", actor=hardware_engineer, now=later
    )
    assert ticket.restore_due_at == reported + dt.timedelta(hours=4)
    assert ticket.response_due_at == reported + dt.timedelta(minutes=15)
