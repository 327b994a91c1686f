"""Places, spares and vendor contracts for the restore tests: a faulty PC in
a ward room and spare pools at several distances from it."""

from __future__ import annotations

from dataclasses import dataclass

import factory

from tests.factories.inventory import (
    AssetFactory,
    AssetModelFactory,
    BuildingFactory,
    CampusFactory,
    ContractFactory,
    DepartmentFactory,
    FloorFactory,
    RoomFactory,
    SparePoolFactory,
    VendorFactory,
)
from tests.factories.servicedesk import TicketFactory
from wardkeeper.inventory.choices import AssetStatus
from wardkeeper.inventory.models import Asset, AssetModel, Location, SparePool
from wardkeeper.servicedesk.models import Problem, Rma


class ProblemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Problem

    title = factory.Sequence(lambda n: f"Problem {n}")


class RmaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Rma

    asset = factory.SubFactory(AssetFactory, status=AssetStatus.IN_USE)
    vendor = factory.SubFactory(VendorFactory)


@dataclass
class Ward:
    """A campus with two buildings; the faulty PC sits in ``room`` of
    ``building``; ``near`` is a store on the same floor, ``far`` a store in
    the other building, ``other_campus`` a campus of its own."""

    campus: Location
    building: Location
    room: Location
    near: Location
    far: Location
    other_campus: Location
    model: AssetModel
    faulty: Asset
    ticket: object

    def spare(self, where: Location, **kw: object) -> Asset:
        kw.setdefault("model", self.model)
        return AssetFactory(status=AssetStatus.IN_STOCK, location=where, **kw)

    def pool(self, storage: Location | None, **kw: object) -> SparePool:
        kw.setdefault("asset_model", self.model)
        campus = storage.campus if storage is not None else self.campus
        return SparePoolFactory(campus=campus, storage=storage, **kw)


def ward() -> Ward:
    campus = CampusFactory(name="North")
    building = BuildingFactory(parent=campus, name="Surgery")
    floor = FloorFactory(parent=building, name="3F")
    room = RoomFactory(parent=floor, name="Ward 3A")
    near = RoomFactory(parent=floor, name="Store 3F")
    far = RoomFactory(
        parent=FloorFactory(parent=BuildingFactory(parent=campus, name="Admin")),
        name="Admin store",
    )
    other_campus = RoomFactory(
        parent=FloorFactory(parent=BuildingFactory(parent=CampusFactory(name="South"))),
        name="South store",
    )
    model = AssetModelFactory(name="OptiPlex 7090")
    faulty = AssetFactory(
        tag="PC-FAULTY",
        name="Nurse station PC",
        model=model,
        status=AssetStatus.IN_USE,
        location=room,
        department=DepartmentFactory(name="Surgery ward"),
        custodian="Head nurse Li",
    )
    ticket = TicketFactory(asset=faulty, location=room, title="PC won't boot")
    return Ward(campus, building, room, near, far, other_campus, model, faulty, ticket)


def covering_contract(asset: Asset, **kw: object):
    contract = ContractFactory(response_hours=4, restore_hours=72, **kw)
    contract.assets.add(asset)
    return contract
