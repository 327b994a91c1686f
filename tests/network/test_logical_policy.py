"""The flow policy: ports and targets checked as typed, the zone-by-zone
matrix, and who may change it (NET_POLICY: network and security engineers)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests.conftest import make_persona
from tests.factories.network_logical import FlowRuleFactory, ZoneFactory
from wardkeeper.monitoring.models import Poller
from wardkeeper.network.models import FlowRule
from wardkeeper.network.services import zones

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("typed", "written"),
    [
        ("104, 11112, 8000-8010", "104, 11112, 8000-8010"),
        ("104;11112 , 8000 - 8010", "104, 11112, 8000-8010"),
        ("", ""),
        ("65535", "65535"),
    ],
)
def test_good_ports_are_written_one_way(typed, written):
    assert zones.clean_ports(typed, "tcp") == written


@pytest.mark.parametrize(
    ("typed", "says"),
    [
        ("0", "1 to 65535"),
        ("70000", "1 to 65535"),
        ("8010-8000", "lower port"),
        ("http", "not a port"),
        ("80,,x-9", "not a port"),
    ],
)
def test_bad_ports_say_which_entry_and_why(typed, says):
    with pytest.raises(ValidationError) as caught:
        zones.clean_ports(typed, "udp")
    assert says in caught.value.messages[0]


def test_icmp_takes_no_ports():
    assert zones.clean_ports("", "icmp") == ""
    with pytest.raises(ValidationError, match="ICMP has no ports"):
        zones.clean_ports("7", "icmp")


def test_targets_are_one_per_line_and_must_be_hosts():
    assert zones.clean_targets("10.0.0.1, pacs.hosp.local\n10.0.0.1") == (
        "10.0.0.1\npacs.hosp.local"
    )
    with pytest.raises(ValidationError, match=r"999\.1\.1\.1"):
        zones.clean_targets("999.1.1.1")
    with pytest.raises(ValidationError, match="bad_host"):
        zones.clean_targets("bad_host!")


def test_the_matrix_has_a_cell_per_pair_coloured_by_its_rules(login, network_engineer):
    guest = ZoneFactory(name="Guest")
    servers = ZoneFactory(name="Servers")
    FlowRuleFactory(source=guest, destination=servers, service="HIS database")
    FlowRuleFactory(source=servers, destination=guest, action="pass", service="Portal")

    response = login(network_engineer).get(reverse("network:policy"))

    rows = response.context["rows"]
    assert [[c.tone for c in row.cells] for row in rows] == [
        ["none", "refuse"],
        ["pass", "none"],
    ]
    body = response.content.decode()
    assert "HIS database" in body
    assert 'id="policy-list"' in body  # the phone's list beside the matrix


def test_each_rule_says_what_is_probed_and_which_are_not_verified(
    login, network_engineer
):
    guest, servers = ZoneFactory(name="Guest"), ZoneFactory(name="Servers")
    poller = Poller(name="guest-1", zone=guest)
    poller.new_token()
    poller.save()
    probed = FlowRuleFactory(source=guest, destination=servers, service="HIS db",
                             ports="5432, 8000-8001", targets="10.0.3.2\n10.0.3.3")  # fmt: skip
    lonely = FlowRuleFactory(source=servers, destination=guest, service="Portal")

    body = login(network_engineer).get(reverse("network:policy")).content.decode()

    probes = body.split('id="policy-probes"')[1]
    assert "1 rule is not verified by any probe" in probes
    row = probes.split(f'id="probe-{probed.pk}"')[1].split("</tr>")[0]
    assert "6 probes from 1 poller(s)" in row  # 2 targets x 3 ports
    row = probes.split(f'id="probe-{lonely.pk}"')[1].split("</tr>")[0]
    assert "not verified" in row
    assert "No poller runs in zone Servers: nothing verifies this rule." in row


def rule_form(source, destination, **changes):
    data = {
        "source": source.pk,
        "destination": destination.pk,
        "action": "refuse",
        "service": "PACS DICOM",
        "protocol": "tcp",
        "ports": "104, 11112",
        "targets": "10.30.0.20\npacs.hosp.local",
        "enabled": "on",
    }
    data.update(changes)
    return data


def test_a_security_engineer_adds_a_rule(login):
    engineer = make_persona("sally", "security_engineer")
    guest, servers = ZoneFactory(name="Guest"), ZoneFactory(name="Servers")

    response = login(engineer).post(
        reverse("network:flowrule-add"), rule_form(guest, servers)
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("network:policy")
    rule = FlowRule.objects.get()
    assert (rule.ports, rule.targets) == ("104, 11112", "10.30.0.20\npacs.hosp.local")


def test_bad_ports_are_refused_beside_the_field(login, network_engineer):
    guest, servers = ZoneFactory(), ZoneFactory()

    response = login(network_engineer).post(
        reverse("network:flowrule-add"),
        rule_form(guest, servers, protocol="icmp", ports="7"),
    )

    assert response.status_code == 200
    assert "ICMP has no ports" in str(response.context["form"].errors["ports"])
    assert not FlowRule.objects.exists()


def test_hana_reads_the_policy_but_cannot_change_it(login, hardware_engineer):
    rule = FlowRuleFactory()
    client = login(hardware_engineer)

    page = client.get(reverse("network:policy"))
    edit = client.post(reverse("network:flowrule-delete", args=[rule.pk]))

    assert page.status_code == 200
    assert "New rule" not in page.content.decode()
    assert edit.status_code == 403
    assert FlowRule.objects.filter(pk=rule.pk).exists()


def test_the_security_admin_holds_no_network_role(login, security_admin):
    assert login(security_admin).get(reverse("network:policy")).status_code == 403


def test_nick_deletes_a_rule(login, network_engineer):
    rule = FlowRuleFactory()

    response = login(network_engineer).post(
        reverse("network:flowrule-delete", args=[rule.pk])
    )

    assert response.status_code == 302
    assert not FlowRule.objects.exists()
