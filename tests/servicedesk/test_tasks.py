"""The worker runs the service desk's jobs, and running them again sends
nothing twice."""

import datetime as dt

import pytest
from django.utils import timezone

from tests.factories.servicedesk import SlaPolicyFactory
from wardkeeper.core import tasks
from wardkeeper.servicedesk.choices import Category, Priority
from wardkeeper.servicedesk.models import SlaEvent, Ticket
from wardkeeper.servicedesk.services import tickets

pytestmark = pytest.mark.django_db


def test_the_desk_jobs_are_registered():
    tasks.discover()
    assert {
        "servicedesk.sla_sweep",
        "servicedesk.figures",
        "servicedesk.work_orders",
        "servicedesk.overdue_work_orders",
    } <= set(tasks.REGISTRY)


def test_a_late_ticket_is_breached_once_by_the_jobs(nurse):
    tasks.discover()
    for priority in Priority:
        SlaPolicyFactory(priority=priority, response_minutes=30, restore_minutes=60)
    reported = timezone.now() - dt.timedelta(hours=3)
    ticket = tickets.open_ticket(
        tickets.Report(
            title="Printer offline", category=Category.HARDWARE, reporter=nurse
        ),
        now=reported,
    )
    for job in tasks.REGISTRY.values():
        job.next_run = None
    tasks.run_due(timezone.now())
    ticket.refresh_from_db()
    assert ticket.response_breached
    assert ticket.restore_breached
    events = SlaEvent.objects.filter(ticket=ticket).count()
    for job in tasks.REGISTRY.values():
        job.next_run = None
    tasks.run_due(timezone.now())
    assert SlaEvent.objects.filter(ticket=ticket).count() == events
    assert Ticket.objects.get().escalation_level >= 1
