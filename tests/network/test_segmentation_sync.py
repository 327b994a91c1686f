"""The flow policy turned into checks run by the source zone's pollers:
idempotent, following rule edits and deletes; UDP is not probed; the
violation alert gets its ticket and the security team."""

from __future__ import annotations

import pytest

from tests.factories.core import UserFactory
from tests.factories.servicedesk import TeamFactory
from wardkeeper.monitoring.choices import AlertState, CheckKind, Severity
from wardkeeper.monitoring.engine.spec import Outcome, Result, Status
from wardkeeper.monitoring.models import Alert, Check, Poller
from wardkeeper.monitoring.services import specs, state
from wardkeeper.network.choices import FlowAction, FlowProtocol, ZoneKind
from wardkeeper.network.models import FlowRule, Zone
from wardkeeper.network.services import segmentation
from wardkeeper.servicedesk.choices import Category

pytestmark = pytest.mark.django_db


@pytest.fixture
def zones():
    return {
        name: Zone.objects.create(name=name, kind=kind)
        for name, kind in (
            ("guest", ZoneKind.GUEST),
            ("servers", ZoneKind.SERVERS),
            ("clinical", ZoneKind.CLINICAL),
        )
    }


@pytest.fixture
def guest_poller(zones):
    poller = Poller(name="guest-1", zone=zones["guest"])
    poller.new_token()
    poller.save()
    return poller


def rule(zones, **kw):
    fields = {
        "source": zones["guest"],
        "destination": zones["servers"],
        "action": FlowAction.REFUSE,
        "protocol": FlowProtocol.TCP,
        "ports": "5432, 8000-8001",
        "targets": "10.0.3.2\n10.0.3.3",
        "service": "HIS database",
    }
    fields.update(kw)
    return FlowRule.objects.create(**fields)


def derived():
    return Check.objects.filter(params__has_key="flow_key").order_by("host", "pk")


def test_one_check_per_target_and_port_run_by_the_zone_poller(zones, guest_poller):
    rule(zones)
    summary = segmentation.sync()
    assert summary.created == 6  # 2 targets x 3 ports
    checks = list(derived())
    assert {c.poller for c in checks} == {guest_poller}
    assert {(c.host, c.params["port"]) for c in checks} == {
        (host, port) for host in ("10.0.3.2", "10.0.3.3") for port in (5432, 8000, 8001)
    }
    first = checks[0]
    assert first.kind == CheckKind.TCP
    assert first.params["expect"] == "refused"
    assert first.params["evidence"]["zone"] == "guest"
    assert first.params["evidence"]["poller"] == "guest-1"
    assert first.severity == Severity.CRITICAL
    assert first.confirm_down == 1
    assert "guest" in first.name
    assert "servers" in first.name
    # The server's own monitor leaves them to the poller.
    local = {s.id for s in specs.load_specs()}
    assert not local & {c.pk for c in checks}
    assert {s.id for s in specs.load_for_poller(guest_poller.pk)} == {
        c.pk for c in checks
    }


def test_sync_is_idempotent_and_follows_edits_and_deletes(zones, guest_poller):
    flow = rule(zones)
    segmentation.sync()
    ids = set(derived().values_list("pk", flat=True))
    again = segmentation.sync()
    assert (again.created, again.updated, again.deleted) == (0, 0, 0)
    assert set(derived().values_list("pk", flat=True)) == ids

    flow.ports = "5432"
    flow.action = FlowAction.PASS
    flow.save()
    summary = segmentation.sync()
    assert summary.deleted == 4
    remaining = list(derived())
    assert len(remaining) == 2
    assert {c.pk for c in remaining} <= ids  # the same checks, edited
    assert all(c.params["expect"] == "pass" for c in remaining)
    assert all(c.confirm_down == 2 for c in remaining)

    flow.enabled = False
    flow.save()
    segmentation.sync()
    assert not derived().filter(enabled=True).exists()

    flow.delete()
    segmentation.sync()
    assert not derived().exists()


def test_udp_and_zones_without_a_poller_are_not_probed_and_say_so(zones, guest_poller):
    udp = rule(zones, protocol=FlowProtocol.UDP, ports="161")
    lonely = rule(zones, source=zones["clinical"])
    icmp = rule(zones, protocol=FlowProtocol.ICMP, ports="", targets="10.0.3.9")
    summary = segmentation.sync()
    assert len(summary.skipped) == 2
    assert [c.kind for c in derived()] == [CheckKind.ICMP]
    assert derived().get().host == "10.0.3.9"
    assert any("UDP" in note for note in segmentation.probe_notes(udp))
    assert any("No poller" in note for note in segmentation.probe_notes(lonely))
    assert segmentation.probe_notes(icmp) == []


def test_a_violation_gets_a_network_ticket_and_the_security_team(zones, guest_poller):
    network = TeamFactory(code="net", categories=[Category.NETWORK])
    lead = UserFactory(username="sally")
    TeamFactory(code="sec", categories=[Category.SECURITY], lead=lead)
    rule(zones, ports="5432", targets="10.0.3.2")
    segmentation.sync()
    check = derived().get()
    outcome = Outcome(
        Status.DOWN,
        1.0,
        "violation: tcp 10.0.3.2:5432 answered at 2026-03-02T02:00:00+00:00 "
        "from zone guest (poller guest-1)",
        "violation",
    )
    state.record([Result(check.pk, 1772416800.0, 0.0, outcome)])
    alert = Alert.objects.get(source=check)
    assert alert.severity == Severity.CRITICAL
    assert segmentation.escalate() == {"tickets": 1, "told": 1}
    assert segmentation.escalate() == {"tickets": 0, "told": 0}  # once
    alert.refresh_from_db()
    ticket = alert.ticket
    assert ticket.team == network
    assert ticket.title.startswith("Segmentation violation")
    assert "From zone: guest" in ticket.description
    assert "Destination: 10.0.3.2:5432" in ticket.description
    assert list(ticket.watchers.all()) == [lead]
    assert alert.state == AlertState.OPEN
