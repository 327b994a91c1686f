"""The demo hospital's service desk: teams, policies and a believable history.
(One build, several checks: a build takes seconds.)"""

import datetime as dt

import pytest
from django.utils import timezone

from wardkeeper.inventory.demo import build_demo
from wardkeeper.servicedesk.choices import OPEN_STATES, TicketState
from wardkeeper.servicedesk.models import Rota, SlaPolicy, Team, Ticket, WorkOrder
from wardkeeper.servicedesk.services import figures
from wardkeeper.servicedesk.services.rota import on_call

pytestmark = pytest.mark.django_db


def test_the_demo_desk_has_teams_policies_and_a_believable_history():
    build_demo(scale=0.05, accounts=False)

    assert set(Team.objects.values_list("code", flat=True)) >= {
        "hardware",
        "network",
        "database",
        "security",
        "applications",
        "web",
    }
    assert sorted(SlaPolicy.objects.values_list("priority", flat=True)) == [1, 2, 3, 4]
    assert Team.objects.get(code="hardware").members.count() >= 3
    assert Rota.objects.count() == 6
    assert on_call(Team.objects.get(code="network"), timezone.now()) is not None
    assert WorkOrder.objects.filter(plan__kind="round").exists()  # today's round

    tickets = Ticket.objects.all()
    assert tickets.count() > 300
    assert tickets.filter(state=TicketState.CLOSED).count() > tickets.count() * 0.8
    assert tickets.filter(state__in=OPEN_STATES).exists()
    assert not tickets.filter(state=TicketState.CLOSED, restore_seconds=None).exists()

    today = timezone.localdate()
    month = figures.compute(
        today - dt.timedelta(days=30), today + dt.timedelta(days=1), now=timezone.now()
    )
    assert month.total.reported > 40
    assert 50 < month.total.sla_percent < 100
    assert 60 < month.total.first_time_fix_percent <= 100
    assert month.top_models
