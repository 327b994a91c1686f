from wardkeeper.inventory.models.assets import Asset, DataWipeRecord, LifecycleEvent
from wardkeeper.inventory.models.catalog import AssetModel, AssetType, Manufacturer
from wardkeeper.inventory.models.locations import Department, Location
from wardkeeper.inventory.models.spares import SparePool
from wardkeeper.inventory.models.stocktakes import (
    Stocktake,
    StocktakeLine,
    StocktakeScan,
)
from wardkeeper.inventory.models.vendors import Contract, Vendor

__all__ = [
    "Asset",
    "AssetModel",
    "AssetType",
    "Contract",
    "DataWipeRecord",
    "Department",
    "LifecycleEvent",
    "Location",
    "Manufacturer",
    "SparePool",
    "Stocktake",
    "StocktakeLine",
    "StocktakeScan",
    "Vendor",
]
