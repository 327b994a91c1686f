"""The kinds of file that can be imported and exported, by the name used in
URLs and on the command line."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from wardkeeper.inventory.transfer.base import Importer
from wardkeeper.inventory.transfer.kinds.assets import AssetImporter
from wardkeeper.inventory.transfer.kinds.departments import DepartmentImporter
from wardkeeper.inventory.transfer.kinds.locations import LocationImporter
from wardkeeper.inventory.transfer.kinds.models import AssetModelImporter
from wardkeeper.inventory.transfer.kinds.vendors import VendorImporter

# In the order a new hospital fills them: each kind refers only to those before.
IMPORTERS: dict[str, type[Importer[Any]]] = {
    importer.kind: importer
    for importer in (
        LocationImporter,
        DepartmentImporter,
        VendorImporter,
        AssetModelImporter,
        AssetImporter,
    )
}
KINDS = tuple(IMPORTERS)
KIND_LABELS = {
    "locations": _("Locations"),
    "departments": _("Departments"),
    "vendors": _("Vendors"),
    "models": _("Models"),
    "assets": _("Assets"),
}
