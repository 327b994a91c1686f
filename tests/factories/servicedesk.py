"""Service-desk records for tests. Tickets made here skip the ticket service
(no routing, no SLA); use ``services.tickets.open_ticket`` to test the flow."""

import factory
from django.utils import timezone

from wardkeeper.servicedesk.choices import Category, Priority, TicketState
from wardkeeper.servicedesk.models import SlaPolicy, Team, Ticket, WorkingCalendar


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"team-{n}")
    name = factory.Sequence(lambda n: f"Team {n}")
    categories = factory.LazyFunction(lambda: [Category.HARDWARE])


class TicketFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Ticket

    title = factory.Sequence(lambda n: f"Fault {n}")
    category = Category.HARDWARE
    priority = Priority.P3
    computed_priority = Priority.P3
    state = TicketState.NEW
    created_at = factory.LazyFunction(timezone.now)


class CalendarFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WorkingCalendar
        django_get_or_create = ("name",)

    name = "24/7"
    around_the_clock = True
    time_zone = "Asia/Shanghai"


class SlaPolicyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SlaPolicy

    name = factory.Sequence(lambda n: f"Policy {n}")
    priority = Priority.P3
    calendar = factory.SubFactory(CalendarFactory)
    response_minutes = 60
    restore_minutes = 480
