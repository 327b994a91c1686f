"""Factories for the physical network's tests: racks, placements, cable
tests; devices, panels, outlets and cables come from network_topology."""

from __future__ import annotations

import datetime as dt

import factory

from tests.factories.inventory import RoomFactory
from tests.factories.network_topology import (
    InterfaceFactory,
    OutletFactory,
    PatchPanelFactory,
    connect,
    device,
    port,
)
from wardkeeper.network.models import CableTest, Placement, Rack

__all__ = [
    "CableTestFactory",
    "InterfaceFactory",
    "OutletFactory",
    "PatchPanelFactory",
    "PlacementFactory",
    "RackFactory",
    "connect",
    "device",
    "port",
]


class RackFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Rack

    name = factory.Sequence(lambda n: f"RK-{n:02d}")
    location = factory.SubFactory(RoomFactory)
    height_u = 42


class PlacementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Placement

    rack = factory.SubFactory(RackFactory)
    asset = factory.LazyFunction(device)
    position = 1
    height_u = 1


class CableTestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CableTest

    tested_on = factory.LazyFunction(lambda: dt.date(2025, 3, 1))
    tester = "Li Wei"
    standard = "TIA-568.2-D Cat 6"
    link_type = "permanent link"
    passed = True
