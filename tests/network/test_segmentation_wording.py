"""A must-be-refused path that answers reads as a segmentation violation
wherever people see it (the alert, the ticket, the notification), and its
recovery as refused again; other checks' alerts keep their words."""

from __future__ import annotations

import pytest

from tests.factories.core import UserFactory
from tests.factories.monitoring import T0, AlertRuleFactory, CheckFactory, run
from tests.factories.servicedesk import TeamFactory
from tests.network.test_segmentation_sync import derived, rule, zones  # noqa: F401
from wardkeeper.core.models.notifications import Channel, Delivery
from wardkeeper.monitoring.engine.spec import Outcome, Result, Status
from wardkeeper.monitoring.models import Alert, Poller
from wardkeeper.monitoring.services import alerts, state
from wardkeeper.network.choices import FlowAction
from wardkeeper.network.services import segmentation
from wardkeeper.servicedesk.choices import Category

pytestmark = pytest.mark.django_db(transaction=True)

AT = T0.timestamp()


@pytest.fixture
def watched(zones):  # noqa: F811
    """A poller in guest, the network team (lead nina) and an alert rule
    that tells people (the segmentation escalation opens the ticket)."""
    poller = Poller(name="guest-1", zone=zones["guest"])
    poller.new_token()
    poller.save()
    lead = UserFactory(username="nina", email="nina@example.org")
    TeamFactory(code="net", categories=[Category.NETWORK], lead=lead)
    TeamFactory(code="sec", categories=[Category.SECURITY], lead=UserFactory())
    channel = Channel.objects.create(
        name="NOC robot", kind="webhook", url="http://127.0.0.1:9/"
    )
    AlertRuleFactory(order=1, open_ticket=False).channels.add(channel)
    return lead


def probe(check, outcome: Outcome, at: float = AT) -> None:
    state.record([Result(check.pk, at, 0.0, outcome)])


def test_a_violation_reads_as_one_on_the_alert_ticket_and_notification(
    zones,  # noqa: F811
    watched,
):
    rule(zones, ports="5432", targets="10.0.3.2")
    segmentation.sync()
    check = derived().get()
    probe(
        check,
        Outcome(
            Status.DOWN,
            1.0,
            "violation: tcp 10.0.3.2:5432 answered at 2026-03-02T02:00:00+00:00 "
            "from zone guest (poller guest-1)",
            "violation",
        ),
    )
    alert = Alert.objects.get(source=check)
    headline = (
        "Segmentation violation: guest → servers: HIS database tcp/5432 "
        "on 10.0.3.2 reachable"
    )
    assert alert.message.startswith(headline + ": tcp 10.0.3.2:5432 answered")
    assert " is down" not in alert.message
    assert "violation: violation" not in alert.message
    segmentation.escalate()
    alert.refresh_from_db()
    assert alert.ticket.title.startswith("Segmentation violation: guest → servers")
    told = Delivery.objects.filter(event=alerts.EVENT_DOWN).get()
    assert told.subject.startswith(headline)
    security = Delivery.objects.filter(event=segmentation.EVENT_VIOLATION).first()
    assert security.subject.startswith("Security: " + headline)

    probe(check, Outcome(Status.UP, None, "refused as the policy says", ""), AT + 60)
    probe(check, Outcome(Status.UP, None, "refused as the policy says", ""), AT + 120)
    alert.refresh_from_db()
    assert alert.resolved_at is not None
    assert alerts.wording_of(check).up == (
        "Segmentation: guest → servers: HIS database tcp/5432 on 10.0.3.2 refused again"
    )


def test_a_ticket_the_alert_rule_opens_is_titled_as_a_violation(
    zones,  # noqa: F811
    watched,
):
    """Needs monitoring/services/incidents.py to title its ticket with
    alerts.wording_of(check).down (asked of the lead)."""
    AlertRuleFactory(order=0, open_ticket=True)
    rule(zones, ports="5432", targets="10.0.3.2")
    segmentation.sync()
    check = derived().get()
    probe(check, Outcome(Status.DOWN, 1.0, "violation: tcp answered", "violation"))
    ticket = Alert.objects.get(source=check).ticket
    assert ticket is not None
    assert ticket.title.startswith("Segmentation violation: guest → servers")


def test_a_blocked_required_path_reads_as_blocked(zones, watched):  # noqa: F811
    rule(zones, ports="5432", targets="10.0.3.2", action=FlowAction.PASS)
    segmentation.sync()
    check = derived().get()
    blocked = Outcome(
        Status.DOWN, None, "blocked: tcp 10.0.3.2:5432 did not answer", "blocked"
    )
    probe(check, blocked)
    probe(check, blocked, AT + 60)
    message = Alert.objects.get(source=check).message
    assert message.startswith(
        "Segmentation: required path blocked: guest → servers: HIS database "
        "tcp/5432 on 10.0.3.2: tcp 10.0.3.2:5432 did not answer"
    )


def test_other_checks_keep_is_down(watched):
    plain = CheckFactory(name="PACS web")
    run(state.record, [plain], Status.DOWN, 3, T0)
    assert Alert.objects.get(source=plain).message.startswith("PACS web is down")
    assert alerts.wording_of(plain).up == "PACS web is up again"
