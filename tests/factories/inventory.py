import datetime as dt
from decimal import Decimal

import factory

from wardkeeper.inventory.choices import ContractKind, Criticality, LocationKind
from wardkeeper.inventory.models import (
    Asset,
    AssetModel,
    AssetType,
    Contract,
    Department,
    Location,
    Manufacturer,
    SparePool,
    Stocktake,
    Vendor,
)


class CampusFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Location

    kind = LocationKind.CAMPUS
    name = factory.Sequence(lambda n: f"Campus {n}")
    code = factory.Sequence(lambda n: f"C{n}")


class BuildingFactory(CampusFactory):
    kind = LocationKind.BUILDING
    name = factory.Sequence(lambda n: f"Building {n}")
    code = factory.Sequence(lambda n: f"B{n}")
    parent = factory.SubFactory(CampusFactory)


class FloorFactory(CampusFactory):
    kind = LocationKind.FLOOR
    name = factory.Sequence(lambda n: f"{n}F")
    code = factory.Sequence(lambda n: f"F{n}")
    parent = factory.SubFactory(BuildingFactory)


class RoomFactory(CampusFactory):
    kind = LocationKind.ROOM
    name = factory.Sequence(lambda n: f"Room {n}")
    code = factory.Sequence(lambda n: f"R{n}")
    parent = factory.SubFactory(FloorFactory)
    criticality = Criticality.NORMAL


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department

    name = factory.Sequence(lambda n: f"Department {n}")
    code = factory.Sequence(lambda n: f"D{n}")
    cost_centre = factory.Sequence(lambda n: f"CC{n:04d}")


class ManufacturerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Manufacturer
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Maker {n}")


def asset_type(code: str = "workstation") -> AssetType:
    """A built-in type (created by the migrations)."""
    return AssetType.objects.get(code=code)


class AssetModelFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AssetModel

    manufacturer = factory.SubFactory(ManufacturerFactory)
    name = factory.Sequence(lambda n: f"Model {n}")
    asset_type = factory.LazyFunction(asset_type)


class VendorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Vendor

    name = factory.Sequence(lambda n: f"Vendor {n}")


class AssetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Asset

    tag = factory.Sequence(lambda n: f"WK-{n:06d}")
    name = factory.Sequence(lambda n: f"Asset {n}")
    model = factory.SubFactory(AssetModelFactory)
    location = factory.SubFactory(RoomFactory)


class ContractFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contract

    vendor = factory.SubFactory(VendorFactory)
    kind = ContractKind.MAINTENANCE
    number = factory.Sequence(lambda n: f"CT-{n:05d}")
    title = "Maintenance"
    starts_on = factory.LazyFunction(lambda: dt.date.today() - dt.timedelta(days=300))
    ends_on = factory.LazyFunction(lambda: dt.date.today() + dt.timedelta(days=65))
    cost = Decimal("1000.00")


class SparePoolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SparePool

    name = factory.Sequence(lambda n: f"Pool {n}")
    campus = factory.SubFactory(CampusFactory)
    asset_model = factory.SubFactory(AssetModelFactory)
    minimum_level = 2


class StocktakeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Stocktake

    name = factory.Sequence(lambda n: f"Stocktake {n}")
