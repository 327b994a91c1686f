"""The logical network's pages: zones, VLANs, the prefix tree with
utilisation and next free, addresses with their flags — and who may do what."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.conftest import make_persona
from tests.factories.inventory import CampusFactory
from tests.factories.network_logical import (
    PrefixFactory,
    VLANFactory,
    ZoneFactory,
    addresses,
)
from tests.factories.network_topology import InterfaceFactory
from wardkeeper.monitoring.models import Poller
from wardkeeper.network.models import VLAN, IPAddress, Prefix, Zone

pytestmark = pytest.mark.django_db


def test_a_zone_page_shows_its_vlans_prefixes_and_pollers(login, network_engineer):
    zone = ZoneFactory(name="Guest Wi-Fi", kind="guest")
    VLANFactory(vid=300, name="GUEST", zone=zone)
    PrefixFactory(prefix="172.20.0.0/22", zone=zone)
    Poller.objects.create(name="poller-guest", zone=zone)

    body = login(network_engineer).get(reverse("network:zone-detail", args=[zone.pk]))

    text = body.content.decode()
    assert "300 GUEST" in text
    assert "172.20.0.0/22" in text
    assert "poller-guest" in text


def test_zones_are_kept_by_policy_holders_not_by_hana(login, hardware_engineer):
    form = {"name": "Medical", "kind": "medical", "criticality": 1, "colour": "#AA0000"}

    refused = login(hardware_engineer).post(reverse("network:zone-add"), form)
    sally = make_persona("sally", "security_engineer")
    made = login(sally).post(reverse("network:zone-add"), form)

    assert refused.status_code == 403
    assert made.status_code == 302
    assert Zone.objects.get().colour == "#aa0000"


def test_nick_adds_a_vlan_on_a_site_and_a_global_twin_is_refused(
    login, network_engineer
):
    campus = CampusFactory(code="MAIN")
    VLANFactory(vid=20, name="CLINICAL")
    client = login(network_engineer)

    on_site = client.post(
        reverse("network:vlan-add"), {"vid": 20, "name": "CLIN-MAIN", "site": "MAIN"}
    )
    twin = client.post(reverse("network:vlan-add"), {"vid": 20, "name": "again"})

    assert on_site.status_code == 302
    assert VLAN.objects.get(name="CLIN-MAIN").site == campus
    assert "A global VLAN 20 exists" in str(twin.context["form"].errors["vid"])


def test_a_vlan_page_counts_its_interfaces(login, network_engineer):
    vlan = VLANFactory()
    InterfaceFactory(untagged_vlan=vlan)
    InterfaceFactory().tagged_vlans.add(vlan)
    InterfaceFactory().tagged_vlans.add(vlan)

    response = login(network_engineer).get(
        reverse("network:vlan-detail", args=[vlan.pk])
    )

    assert "1 untagged, 2 tagged" in response.content.decode()


def test_the_prefix_list_is_a_tree_with_utilisation(
    login, network_engineer, django_assert_max_num_queries
):
    PrefixFactory(prefix="10.20.0.0/16")
    PrefixFactory(prefix="10.20.3.0/24")
    addresses("10.20.3.1/24", "10.20.3.2/24")
    client = login(network_engineer)

    with django_assert_max_num_queries(16):
        response = client.get(reverse("network:prefix-list"))

    rows = list(response.context["object_list"])
    assert [(r.prefix, r.depth) for r in rows] == [
        ("10.20.0.0/16", 0),
        ("10.20.3.0/24", 1),
    ]
    assert rows[1].usage.percent == 0.8
    assert "--depth: 1" in response.content.decode()


def test_the_prefix_list_filters_by_family(login, network_engineer):
    PrefixFactory(prefix="10.1.0.0/24")
    PrefixFactory(prefix="2001:db8::/64")

    response = login(network_engineer).get(reverse("network:prefix-list") + "?family=6")

    assert [r.prefix for r in response.context["object_list"]] == ["2001:db8::/64"]


def test_a_prefix_page_shows_next_free_and_a_free_prefix(login, network_engineer):
    net = PrefixFactory(prefix="10.5.0.0/16")
    PrefixFactory(prefix="10.5.0.0/24")
    addresses("10.5.0.1/16")
    url = reverse("network:prefix-detail", args=[net.pk])

    response = login(network_engineer).get(url + "?length=24")

    text = response.content.decode()
    assert str(response.context["next_free"]) == "10.5.0.2"
    assert "10.5.1.0/24" in text
    assert "10.5.0.0/24" in text  # the child prefix


def test_a_prefix_with_host_bits_is_refused_with_the_network_named(
    login, network_engineer
):
    response = login(network_engineer).post(
        reverse("network:prefix-add"), {"prefix": "10.1.2.3/24"}
    )

    errors = str(response.context["form"].errors["prefix"])
    assert "host bits set" in errors
    assert "10.1.2.0/24" in errors
    assert not Prefix.objects.exists()


def test_nick_assigns_the_next_free_addresses(login, network_engineer):
    net = PrefixFactory(prefix="10.6.0.0/29")
    addresses("10.6.0.1/29")

    response = login(network_engineer).post(
        reverse("network:prefix-assign-next-free", args=[net.pk]),
        {"count": 2, "status": "reserved", "dns_name": "printer"},
    )

    assert response.status_code == 302
    made = IPAddress.objects.filter(status="reserved").order_by("key")
    assert [a.address for a in made] == ["10.6.0.2/29", "10.6.0.3/29"]


def test_hana_cannot_assign(login, hardware_engineer):
    net = PrefixFactory(prefix="10.6.0.0/29")

    response = login(hardware_engineer).post(
        reverse("network:prefix-assign-next-free", args=[net.pk]), {"count": 1}
    )

    assert response.status_code == 403
    assert not IPAddress.objects.exists()


def test_the_address_list_flags_duplicates_and_no_prefix(
    login, network_engineer, django_assert_max_num_queries
):
    PrefixFactory(prefix="10.7.0.0/24")
    addresses("10.7.0.5/24", "10.7.0.5/24", "192.168.9.9/24")
    client = login(network_engineer)

    with django_assert_max_num_queries(16):
        response = client.get(reverse("network:address-list"))

    text = response.content.decode()
    assert text.count(">duplicate<") == 2
    assert "no prefix" in text
    report = client.get(reverse("network:address-duplicates"))
    assert [a.address for a in report.context["object_list"]] == ["10.7.0.5/24"] * 2


def test_an_address_is_given_an_interface_by_device_tag_and_name(
    login, network_engineer
):
    port = InterfaceFactory(name="Gi1/0/7")
    client = login(network_engineer)
    tag = port.device.tag

    made = client.post(
        reverse("network:ipaddress-add"),
        {"address": "10.8.0.7/24", "status": "active", "interface": f"{tag} gi1/0/7"},
    )
    bad = client.post(
        reverse("network:ipaddress-add"),
        {"address": "10.8.0.300/24", "status": "active", "interface": "nope x"},
    )
    lookup = client.get(
        reverse("network:cable-point-lookup") + f"?kind=interface&q={tag} Gi"
    )

    assert made.status_code == 302
    assert IPAddress.objects.get().interface == port
    errors = bad.context["form"].errors
    assert "is not an IP address" in str(errors["address"])
    assert "No interface" in str(errors["interface"])
    assert lookup.json()["results"][0]["value"] == f"{tag} Gi1/0/7"


def test_the_overlaps_report_lists_identical_prefixes(login, network_engineer):
    PrefixFactory(prefix="10.9.0.0/24")
    PrefixFactory(prefix="10.9.0.0/24")
    PrefixFactory(prefix="10.9.0.0/16")

    response = login(network_engineer).get(reverse("network:prefix-overlaps"))

    assert [p.prefix for p in response.context["object_list"]] == ["10.9.0.0/24"] * 2


@pytest.mark.parametrize(
    "name",
    ["zone-list", "vlan-list", "prefix-list", "address-list", "policy"],
)
def test_readers_see_the_lists_outsiders_do_not(
    login, hardware_engineer, outsider, name
):
    url = reverse(f"network:{name}")
    assert login(hardware_engineer).get(url).status_code == 200
    assert login(outsider).get(url).status_code == 403
