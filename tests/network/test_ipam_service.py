"""Address management: utilisation, next free address and prefix, the
containment tree, overlaps and duplicates — on the keys, both databases."""

from __future__ import annotations

import ipaddress

import pytest

from tests.factories.network_logical import IPAddressFactory, PrefixFactory, addresses
from wardkeeper.core.errors import DomainError
from wardkeeper.core.models import AuditEntry
from wardkeeper.network.models import IPAddress, Prefix
from wardkeeper.network.services import ipam

pytestmark = pytest.mark.django_db


def annotated(prefix):
    return ipam.with_usage(Prefix.objects.filter(pk=prefix.pk)).get()


def test_a_slash_24_has_254_usable_addresses_and_counts_only_those():
    net = PrefixFactory(prefix="10.1.1.0/24")
    addresses("10.1.1.0/24", "10.1.1.1/24", "10.1.1.2/24", "10.1.1.255/24")

    usage = ipam.usage(net)

    assert (usage.used, usage.usable) == (2, 254)
    assert usage.percent == 0.8
    assert ipam.usage(annotated(net)) == usage  # the list's one-query figures agree


def test_a_slash_31_link_uses_both_addresses():
    link = PrefixFactory(prefix="10.9.0.0/31")
    addresses("10.9.0.0/31")

    usage = ipam.usage(annotated(link))

    assert (usage.used, usage.usable, usage.percent) == (1, 2, 50.0)
    assert str(ipam.next_free_address(link)) == "10.9.0.1"


def test_a_pool_uses_its_first_and_last_address():
    pool = PrefixFactory(prefix="192.0.2.0/29", is_pool=True)
    addresses("192.0.2.0/29", "192.0.2.7/29")

    assert (ipam.usage(pool).used, ipam.usage(pool).usable) == (2, 8)
    assert str(ipam.next_free_address(pool)) == "192.0.2.1"


def test_an_address_recorded_twice_counts_once():
    net = PrefixFactory(prefix="10.1.2.0/24")
    addresses("10.1.2.5/24", "10.1.2.5/24")

    assert ipam.usage(net).used == 1
    assert ipam.usage(annotated(net)).used == 1


def test_next_free_fills_the_first_gap():
    net = PrefixFactory(prefix="10.2.0.0/24")
    addresses("10.2.0.1/24", "10.2.0.2/24", "10.2.0.4/24", "10.2.0.9/24")

    assert str(ipam.next_free_address(net)) == "10.2.0.3"


def test_next_free_ignores_addresses_outside_the_prefix():
    net = PrefixFactory(prefix="10.3.0.0/30")
    addresses("10.3.0.0/24", "10.2.255.255/16", "10.3.0.4/24")

    assert str(ipam.next_free_address(net)) == "10.3.0.1"


def test_a_full_prefix_has_no_next_free_address():
    net = PrefixFactory(prefix="10.4.0.0/29")
    addresses(*(f"10.4.0.{n}/29" for n in range(1, 7)))

    assert ipam.next_free_address(net) is None
    assert ipam.usage(net).percent == 100.0


def test_ipv6_counts_addresses_not_percent_and_finds_the_next_free():
    net = PrefixFactory(prefix="2001:db8:1::/64")
    addresses("2001:db8:1::1/64", "2001:db8:1::2/64")

    usage = ipam.usage(annotated(net))

    assert usage.used == 2
    assert usage.usable == 2**64 - 1  # the subnet-router anycast is not usable
    assert usage.percent is None
    assert str(ipam.next_free_address(net)) == "2001:db8:1::3"


def test_a_small_ipv6_prefix_gets_a_percentage():
    net = PrefixFactory(prefix="2001:db8::/126")
    addresses("2001:db8::1/126")

    assert ipam.usage(net).percent == pytest.approx(33.3)


def test_next_free_prefix_skips_taken_blocks_and_aligns():
    site = PrefixFactory(prefix="10.20.0.0/16")
    PrefixFactory(prefix="10.20.0.0/24")
    PrefixFactory(prefix="10.20.1.0/25")
    PrefixFactory(prefix="10.20.1.0/26")  # nested inside the /25: no effect

    assert str(ipam.next_free_prefix(site, 24)) == "10.20.2.0/24"
    assert str(ipam.next_free_prefix(site, 25)) == "10.20.1.128/25"
    assert str(ipam.next_free_prefix(site, 22)) == "10.20.4.0/22"


def test_next_free_prefix_of_a_full_prefix_is_none_and_bad_lengths_are_refused():
    block = PrefixFactory(prefix="10.21.0.0/23")
    PrefixFactory(prefix="10.21.0.0/24")
    PrefixFactory(prefix="10.21.1.0/24")

    assert ipam.next_free_prefix(block, 24) is None
    with pytest.raises(DomainError):
        ipam.next_free_prefix(block, 23)
    with pytest.raises(DomainError):
        ipam.next_free_prefix(block, 33)


def test_next_free_prefix_in_ipv6():
    block = PrefixFactory(prefix="2001:db8::/48")
    PrefixFactory(prefix="2001:db8::/64")

    assert str(ipam.next_free_prefix(block, 64)) == "2001:db8:0:1::/64"


def test_the_tree_puts_each_prefix_under_the_smallest_that_contains_it():
    top = PrefixFactory(prefix="10.0.0.0/8")
    site = PrefixFactory(prefix="10.20.0.0/16")
    ward = PrefixFactory(prefix="10.20.3.0/24")
    other = PrefixFactory(prefix="10.30.0.0/16")
    v6 = PrefixFactory(prefix="2001:db8::/32")

    tree = [(p.prefix, p.depth) for p in ipam.with_depth(Prefix.objects.all())]

    # IPv4 keys (::ffff:a.b.c.d) sort before global IPv6 ones.
    assert tree == [
        ("10.0.0.0/8", 0),
        ("10.20.0.0/16", 1),
        ("10.20.3.0/24", 2),
        ("10.30.0.0/16", 1),
        ("2001:db8::/32", 0),
    ]
    assert ipam.parent_of(ward) == site
    assert ipam.parent_of(site) == top
    assert ipam.parent_of(v6) is None
    assert ipam.children_of(top) == [site, other]


def test_identical_prefixes_are_overlaps_nested_ones_are_not():
    first = PrefixFactory(prefix="10.40.0.0/24")
    second = PrefixFactory(prefix="10.40.0.0/24")
    PrefixFactory(prefix="10.40.0.0/16")
    PrefixFactory(prefix="10.40.0.128/25")

    flagged = set(ipam.overlapping(Prefix.objects.all()))

    assert flagged == {first, second}
    assert list(ipam.overlaps_of(first)) == [second]
    assert ipam.parent_of(second) == first  # the duplicate still sits in the tree


def test_a_partial_overlap_is_found():
    # CIDR prefixes nest or stay apart; keys written behind the model's back
    # (an old import) can still span part of another.
    left = PrefixFactory(prefix="10.50.0.0/24")
    odd = PrefixFactory(prefix="10.50.0.0/24")
    Prefix.objects.filter(pk=odd.pk).update(
        first=f"{int(left.first, 16) + 128:032x}",
        last=f"{int(left.last, 16) + 128:032x}",
    )

    assert set(ipam.overlapping(Prefix.objects.all())) == {left, odd}


def test_duplicates_are_flagged_on_both_records():
    one, two = addresses("10.60.0.5/24", "10.60.0.5/25")
    alone = IPAddressFactory(address="10.60.0.6/24")

    flags = {a.pk: a.is_duplicate for a in ipam.with_flags(IPAddress.objects.all())}

    assert flags == {one.pk: True, two.pk: True, alone.pk: False}
    assert list(ipam.duplicates()) == [one, two]


def test_an_address_outside_every_prefix_has_no_prefix():
    PrefixFactory(prefix="10.70.0.0/16")
    inner = PrefixFactory(prefix="10.70.1.0/24")
    inside, outside = addresses("10.70.1.9/24", "172.16.0.1/24")

    flagged = {a.pk: a.prefix_pk for a in ipam.with_flags(IPAddress.objects.all())}

    assert flagged == {inside.pk: inner.pk, outside.pk: None}


def test_assign_next_free_records_audited_addresses_all_or_none(network_engineer):
    net = PrefixFactory(prefix="10.80.0.0/29")
    addresses("10.80.0.2/29")

    made = ipam.assign_next_free(net, 3, actor=network_engineer, dns_name="pc")

    assert [a.address for a in made] == ["10.80.0.1/29", "10.80.0.3/29", "10.80.0.4/29"]
    entries = AuditEntry.objects.filter(content_type__model="ipaddress")
    assert entries.filter(actor=network_engineer).count() == 3
    with pytest.raises(ipam.NoFreeSpace):
        ipam.assign_next_free(net, 3, actor=network_engineer)
    assert IPAddress.objects.count() == 4  # nothing of the refused three


def test_next_free_walks_a_big_prefix_without_loading_it():
    big = PrefixFactory(prefix="10.90.0.0/16")
    base = int(ipaddress.ip_address("10.90.0.1"))
    IPAddress.objects.bulk_create(
        IPAddress(
            address=f"{ipaddress.ip_address(base + n)}/16",
            family=4,
            key=f"{(0xFFFF << 32) | (base + n):032x}",
        )
        for n in range(600)
    )

    assert str(ipam.next_free_address(big)) == "10.90.2.89"
