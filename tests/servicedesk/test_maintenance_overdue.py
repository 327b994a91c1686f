"""Overdue work orders: listed, and escalated to the team lead once each."""

import datetime as dt

import pytest

from tests.factories.core import UserFactory
from tests.factories.inventory import RoomFactory
from tests.factories.servicedesk import TeamFactory
from tests.factories.servicedesk_maintenance import server_room_round
from wardkeeper.servicedesk.models import WorkOrder
from wardkeeper.servicedesk.services import maintenance

pytestmark = pytest.mark.django_db

JAN_3_NOON = dt.datetime(2026, 1, 3, 4, 0, tzinfo=dt.UTC)  # 12:00 in Shanghai


@pytest.fixture
def sent(monkeypatch):
    """What ``core.notifications.notify`` was asked to send."""
    calls = []
    monkeypatch.setattr(
        maintenance,
        "notify",
        lambda event, recipients, **kw: calls.append((event, list(recipients), kw)),
    )
    return calls


def test_an_order_is_overdue_only_after_its_due_day_and_while_open():
    server_room_round(RoomFactory())
    maintenance.generate(dt.date(2026, 1, 1))
    order = WorkOrder.objects.get()
    assert not order.is_overdue(dt.date(2026, 1, 1))
    assert order.is_overdue(dt.date(2026, 1, 2))
    assert list(WorkOrder.objects.overdue(dt.date(2026, 1, 2))) == [order]


def test_the_team_lead_is_told_once_per_overdue_order(sent):
    lead = UserFactory(username="lena")
    team = TeamFactory(lead=lead)
    server_room_round(RoomFactory(), team=team)
    maintenance.generate(dt.date(2026, 1, 1))
    maintenance.generate(dt.date(2026, 1, 2))

    assert maintenance.escalate_overdue(JAN_3_NOON) == 2
    assert maintenance.escalate_overdue(JAN_3_NOON + dt.timedelta(hours=1)) == 0

    assert [(event, people) for event, people, _ in sent] == [
        ("workorder_overdue", [lead]),
        ("workorder_overdue", [lead]),
    ]
    assert "2026-01-01" in sent[0][2]["body"]
    assert WorkOrder.objects.filter(escalated_at=JAN_3_NOON).count() == 2


def test_done_orders_and_orders_due_today_are_not_escalated(sent, hardware_engineer):
    team = TeamFactory(lead=UserFactory())
    server_room_round(RoomFactory(), team=team)
    maintenance.generate(dt.date(2026, 1, 2))
    maintenance.generate(dt.date(2026, 1, 3))
    maintenance.skip(
        WorkOrder.objects.get(due_on=dt.date(2026, 1, 2)),
        reason="Done by the vendor",
        actor=hardware_engineer,
    )
    assert maintenance.escalate_overdue(JAN_3_NOON) == 0
    assert sent == []
