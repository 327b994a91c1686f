"""A root cause alerts once, routed by the rules; a ticket opens with the
priority rules' answer, and monitoring resolves it after the service has
stayed up, unless an engineer took it."""

import datetime as dt

import pytest

from tests.factories.core import UserFactory
from tests.factories.inventory import AssetFactory, RoomFactory
from tests.factories.monitoring import T0, AlertRuleFactory, CheckFactory, run
from tests.factories.servicedesk import TeamFactory
from wardkeeper.core.errors import DomainError
from wardkeeper.core.models.notifications import Delivery
from wardkeeper.inventory.choices import Criticality
from wardkeeper.monitoring.choices import AlertState, Severity
from wardkeeper.monitoring.engine.spec import Status
from wardkeeper.monitoring.models import Alert
from wardkeeper.monitoring.services import alerts, incidents
from wardkeeper.monitoring.services.state import record
from wardkeeper.servicedesk.choices import Category, Priority, Source, TicketState
from wardkeeper.servicedesk.models import Ticket
from wardkeeper.servicedesk.services import tickets

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def icu_check():
    lead = UserFactory(email="lead@example.org")
    TeamFactory(code="hw", categories=[Category.HARDWARE], lead=lead)
    room = RoomFactory(criticality=Criticality.CRITICAL)
    AlertRuleFactory(open_ticket=True, escalate_after=15)
    return CheckFactory(
        name="ICU monitor gateway",
        asset=AssetFactory(location=room),
        severity=Severity.MINOR,
    )


def down(check, at=T0):
    return run(record, [check], Status.DOWN, 2, at)


def test_a_down_check_on_a_critical_asset_opens_a_p1_ticket_once(icu_check):
    at = down(icu_check)
    run(record, [icu_check], Status.DOWN, 3, at)
    ticket = Ticket.objects.get()
    assert ticket.priority == Priority.P1
    assert ticket.source == Source.MONITORING
    assert ticket.origin == f"check:{icu_check.pk}"
    assert ticket.team.code == "hw"
    assert Alert.objects.get().ticket == ticket


def test_going_down_again_notes_the_open_ticket_instead_of_a_second(icu_check):
    at = down(icu_check)
    at = run(record, [icu_check], Status.UP, 2, at)
    down(icu_check, at)
    assert Ticket.objects.count() == 1
    assert Alert.objects.count() == 2
    assert Ticket.objects.get().worklogs.count() == 2  # recovery, down again


def test_recovery_notes_then_resolves_after_the_confirmation_period(
    icu_check, settings
):
    settings.MONITOR_RECOVERY_MINUTES = 10
    at = down(icu_check)
    at = run(record, [icu_check], Status.UP, 2, at)
    ticket = Ticket.objects.get()
    assert "up again" in ticket.worklogs.get().note
    assert incidents.settle(at + dt.timedelta(minutes=5)) == {"resolved": 0, "kept": 0}
    assert incidents.settle(at + dt.timedelta(minutes=11))["resolved"] == 1
    ticket.refresh_from_db()
    assert ticket.state == TicketState.RESOLVED
    assert ticket.resolution == "monitoring: service recovered"


def test_a_ticket_an_engineer_has_taken_stays_open(icu_check):
    at = down(icu_check)
    ticket = Ticket.objects.get()
    tickets.log_work(ticket, author=UserFactory(), note="On my way")
    at = run(record, [icu_check], Status.UP, 2, at)
    assert incidents.settle(at + dt.timedelta(hours=1)) == {"resolved": 0, "kept": 1}
    ticket.refresh_from_db()
    assert ticket.state in (TicketState.NEW, TicketState.ASSIGNED)


def test_no_matching_rule_means_no_ticket():
    AlertRuleFactory(max_severity=Severity.CRITICAL)
    down(CheckFactory(severity=Severity.MINOR))
    assert Alert.objects.get().rule is None
    assert not Ticket.objects.exists()


def test_acknowledge_stops_escalation_and_silence_quiets(icu_check):
    down(icu_check)
    alert = Alert.objects.get()
    user = UserFactory()
    alerts.silence(alert, user, T0 + dt.timedelta(hours=1), now=T0)
    assert Alert.objects.get().state == AlertState.SILENCED
    assert alerts.escalate_due(T0 + dt.timedelta(minutes=30)) == 0
    assert alerts.expire_silences(T0 + dt.timedelta(hours=2)) == 1
    alert = alerts.acknowledge(Alert.objects.get(), user)
    assert alert.state == AlertState.ACKNOWLEDGED
    assert alert.acknowledged_by == user
    assert alerts.escalate_due(T0 + dt.timedelta(hours=3)) == 0
    with pytest.raises(DomainError):
        alerts.silence(alert, user, T0 - dt.timedelta(minutes=1), now=T0)


def test_an_unacknowledged_alert_escalates_to_the_team_lead_once(icu_check):
    down(icu_check)
    opened = Alert.objects.get().opened_at
    assert alerts.escalate_due(opened + dt.timedelta(minutes=10)) == 0
    assert alerts.escalate_due(opened + dt.timedelta(minutes=16)) == 1
    assert alerts.escalate_due(opened + dt.timedelta(minutes=30)) == 0
    assert (
        Delivery.objects.filter(
            event=alerts.EVENT_ESCALATED, user__email="lead@example.org"
        ).count()
        == 1
    )


def test_the_rules_channels_get_the_alert(icu_check):
    from wardkeeper.core.models.notifications import Channel

    channel = Channel.objects.create(
        name="ICU robot", kind="webhook", url="http://127.0.0.1:9/"
    )
    AlertRuleFactory(order=1, open_ticket=False).channels.add(channel)
    down(icu_check)
    assert (
        Delivery.objects.filter(channel=channel, event=alerts.EVENT_DOWN).count() == 1
    )
