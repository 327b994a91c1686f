"""The logical network's API: paginated, filterable lists, next-free, the
same checks as the pages, and the same permissions."""

from __future__ import annotations

import pytest

from tests.conftest import make_persona
from tests.factories.network_logical import (
    FlowRuleFactory,
    PrefixFactory,
    ZoneFactory,
    addresses,
)
from wardkeeper.core.models import AuditEntry
from wardkeeper.network.models import FlowRule, Prefix

pytestmark = pytest.mark.django_db


def test_prefixes_list_with_utilisation_and_filters(
    api, network_engineer, django_assert_max_num_queries
):
    PrefixFactory(prefix="10.1.0.0/24")
    PrefixFactory(prefix="2001:db8::/64")
    addresses("10.1.0.1/24")
    client = api(network_engineer)

    with django_assert_max_num_queries(8):
        body = client.get("/api/network/prefixes/?family=4").json()

    assert body["count"] == 1
    row = body["results"][0]
    assert (row["prefix"], row["used"], row["usable"], row["utilisation"]) == (
        "10.1.0.0/24",
        1,
        254,
        0.4,
    )


def test_next_free_address_and_prefix(api, network_engineer):
    net = PrefixFactory(prefix="10.2.0.0/16")
    PrefixFactory(prefix="10.2.0.0/24")
    addresses("10.2.0.1/16")
    client = api(network_engineer)
    url = f"/api/network/prefixes/{net.pk}/next-free/"

    assert client.get(url).json() == {"address": "10.2.0.2/16"}
    assert client.get(url + "?length=24").json() == {"prefix": "10.2.1.0/24"}
    refused = client.get(url + "?length=8")
    assert refused.status_code == 400
    assert refused.json()["error"]["fields"][0]["field"] == "length"


def test_a_full_prefix_has_no_next_free(api, network_engineer):
    full = PrefixFactory(prefix="10.3.0.0/30")
    addresses("10.3.0.1/30", "10.3.0.2/30")

    body = api(network_engineer).get(f"/api/network/prefixes/{full.pk}/next-free/")

    assert body.json() == {"address": None}


def test_nick_creates_a_prefix_and_bad_text_is_refused(api, network_engineer):
    client = api(network_engineer)

    made = client.post("/api/network/prefixes/", {"prefix": "10.4.0.0/22"})
    bad = client.post("/api/network/prefixes/", {"prefix": "10.4.0.1/22"})

    assert made.status_code == 201
    assert made.json()["length"] == 22
    assert AuditEntry.objects.filter(content_type__model="prefix").count() == 1
    assert bad.status_code == 400
    assert "host bits set" in str(bad.json())
    assert Prefix.objects.count() == 1


def test_addresses_carry_their_prefix_and_duplicate_flag(api, network_engineer):
    net = PrefixFactory(prefix="10.5.0.0/24")
    addresses("10.5.0.9/24", "10.5.0.9/24", "172.16.0.1/24")

    rows = api(network_engineer).get("/api/network/addresses/").json()["results"]

    assert [(r["address"], r["prefix"], r["is_duplicate"]) for r in rows] == [
        ("10.5.0.9/24", net.pk, True),
        ("10.5.0.9/24", net.pk, True),
        ("172.16.0.1/24", None, False),
    ]


def test_flow_rules_are_kept_by_security_engineers_with_checked_ports(api):
    sally = make_persona("sally", "security_engineer")
    hana = make_persona("hana", "hardware_engineer")
    guest, servers = ZoneFactory(), ZoneFactory()
    rule = {
        "source": guest.pk,
        "destination": servers.pk,
        "action": "refuse",
        "protocol": "tcp",
        "ports": "104,11112",
    }

    made = api(sally).post("/api/network/flow-rules/", rule, format="json")
    bad = api(sally).post(
        "/api/network/flow-rules/", {**rule, "ports": "99999"}, format="json"
    )
    refused = api(hana).post("/api/network/flow-rules/", rule, format="json")

    assert made.status_code == 201
    assert made.json()["ports"] == "104, 11112"
    assert bad.status_code == 400
    assert refused.status_code == 403
    assert FlowRule.objects.count() == 1


def test_readers_list_zones_and_rules_outsiders_do_not(
    api, hardware_engineer, outsider
):
    FlowRuleFactory()
    for path in ("zones", "vlans", "prefixes", "addresses", "flow-rules"):
        assert api(hardware_engineer).get(f"/api/network/{path}/").status_code == 200
        assert api(outsider).get(f"/api/network/{path}/").status_code == 403
