"""Factories for the logical network: zones, VLANs, prefixes, addresses and
flow rules, with the smallest valid defaults."""

from __future__ import annotations

import factory

from wardkeeper.network.models import VLAN, FlowRule, IPAddress, Prefix, Zone


class ZoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Zone

    name = factory.Sequence(lambda n: f"zone-{n}")
    kind = "clinical"
    colour = "#198754"


class VLANFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = VLAN

    vid = factory.Sequence(lambda n: 100 + n)
    name = factory.Sequence(lambda n: f"vlan-{n}")


class PrefixFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Prefix

    prefix = factory.Sequence(lambda n: f"10.{n // 256}.{n % 256}.0/24")


class IPAddressFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IPAddress

    address = factory.Sequence(lambda n: f"10.99.{n // 250}.{n % 250 + 1}/24")


class FlowRuleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FlowRule

    source = factory.SubFactory(ZoneFactory)
    destination = factory.SubFactory(ZoneFactory)
    action = "refuse"
    service = "HIS database"
    protocol = "tcp"
    ports = "1521"
    targets = "10.30.0.10"


def addresses(*texts: str) -> list[IPAddress]:
    return [IPAddress.objects.create(address=text) for text in texts]
