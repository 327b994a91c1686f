"""A network engineer reads a segmentation violation's evidence: on the
alert list, on the check, on the ticket; and the pollers list shows who is
online. At 360 px nothing scrolls sideways."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import shot, sign_in
from tests.factories.core import UserFactory
from tests.factories.servicedesk import TeamFactory
from wardkeeper.monitoring.engine.spec import Outcome, Result, Status
from wardkeeper.monitoring.models import Alert, Check, Poller
from wardkeeper.monitoring.services import pollers, state
from wardkeeper.network.choices import FlowAction, FlowProtocol, ZoneKind
from wardkeeper.network.models import FlowRule, Zone
from wardkeeper.network.services import segmentation
from wardkeeper.servicedesk.choices import Category

pytestmark = pytest.mark.django_db(transaction=True)

EVIDENCE = (
    "violation: tcp 10.20.3.2:5432 answered at 2026-03-02T02:00:00+00:00 from "
    "zone guest (poller guest-1) into zone servers; the policy says it must be refused"
)


def violation() -> Alert:
    TeamFactory(code="net", name="Network", categories=[Category.NETWORK])
    TeamFactory(
        code="sec",
        name="Security",
        categories=[Category.SECURITY],
        lead=UserFactory(username="sally"),
    )
    guest = Zone.objects.create(name="guest", kind=ZoneKind.GUEST)
    servers = Zone.objects.create(name="servers", kind=ZoneKind.SERVERS)
    poller = Poller(name="guest-1", zone=guest)
    poller.new_token()
    poller.save()
    pollers.touch(poller, address="10.20.1.2", version="0.1.0")
    FlowRule.objects.create(
        source=guest,
        destination=servers,
        action=FlowAction.REFUSE,
        protocol=FlowProtocol.TCP,
        ports="5432",
        targets="10.20.3.2",
        service="HIS database",
    )
    segmentation.sync()
    check = Check.objects.get(params__has_key="flow_key")
    outcome = Outcome(Status.DOWN, 0.8, EVIDENCE, "violation")
    state.record([Result(check.pk, 1772416800.0, 0.0, outcome)])
    segmentation.escalate()
    return Alert.objects.select_related("ticket").get(source=check)


def test_the_evidence_of_a_violation_on_alert_check_and_ticket(page, network_engineer):
    alert = violation()
    sign_in(page, network_engineer)
    page.goto("/monitoring/alerts/")
    expect(page.get_by_text("from zone guest (poller guest-1)").first).to_be_visible()
    shot(page, "network-violation-alerts")
    page.goto(alert.source.get_absolute_url())
    expect(page.get_by_text("10.20.3.2:5432").first).to_be_visible()
    expect(page.get_by_text("violation").first).to_be_visible()
    shot(page, "network-violation-check")
    assert alert.ticket is not None
    page.goto(alert.ticket.get_absolute_url())
    expect(page.get_by_text("From zone: guest").first).to_be_visible()
    shot(page, "network-violation-ticket")
    page.goto("/monitoring/pollers/")
    row = page.get_by_role("row").filter(has_text="guest-1")
    expect(row.get_by_text("online")).to_be_visible()
    shot(page, "network-pollers")
