"""Forms of the inventory pages (a package: assets, catalogue, shared fields)."""

from wardkeeper.inventory.forms.assets import (
    AssetForm,
    AttachmentForm,
    MoveForm,
)
from wardkeeper.inventory.forms.catalog import (
    AssetModelForm,
    AssetTypeForm,
    ContractForm,
    DepartmentForm,
    LocationForm,
    ManufacturerForm,
    SparePoolForm,
    VendorForm,
)
from wardkeeper.inventory.forms.fields import (
    CodeChoiceField,
    ExtraFieldsForm,
    extra_form_fields,
)

__all__ = [
    "AssetForm",
    "AssetModelForm",
    "AssetTypeForm",
    "AttachmentForm",
    "CodeChoiceField",
    "ContractForm",
    "DepartmentForm",
    "ExtraFieldsForm",
    "LocationForm",
    "ManufacturerForm",
    "MoveForm",
    "SparePoolForm",
    "VendorForm",
    "extra_form_fields",
]
