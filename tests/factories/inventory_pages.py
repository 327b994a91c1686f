"""One saved row of each inventory model, by URL model name, for page tests."""

from tests.factories.inventory import (
    AssetFactory,
    AssetModelFactory,
    ContractFactory,
    DepartmentFactory,
    ManufacturerFactory,
    RoomFactory,
    SparePoolFactory,
    VendorFactory,
)
from wardkeeper.inventory.models import AssetType

MAKERS = {
    "location": RoomFactory,
    "department": DepartmentFactory,
    "manufacturer": ManufacturerFactory,
    "assettype": lambda: AssetType.objects.create(
        code="infusion-pump", name="Infusion pump", category="medical"
    ),
    "assetmodel": AssetModelFactory,
    "vendor": VendorFactory,
    "contract": ContractFactory,
    "sparepool": SparePoolFactory,
    "asset": AssetFactory,
}


def make(model_name: str):
    """A saved row of the model named as in its URLs (``assetmodel``)."""
    return MAKERS[model_name]()
