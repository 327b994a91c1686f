"""The kinds of file that can be imported and exported, by the name used in
URLs and on the command line.

``KINDS`` are the inventory's own (its page and URLs list them). Other areas
plug their kinds into the same engine: each module named in ``EXTENSIONS``
calls ``register`` when it is first imported. They are loaded on first use,
not here, because they import this framework themselves.
"""

from __future__ import annotations

import importlib
from typing import Any

from django.utils.functional import Promise
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
# Modules of other areas that register kinds (network racks, cables, NetBox…).
EXTENSIONS = ("wardkeeper.network.importers",)
# Labels of the kinds registered by other areas, in registration order.
EXTRA_LABELS: dict[str, str | Promise] = {}
_extensions_loaded = False


def register(importer: type[Importer[Any]], label: str | Promise) -> None:
    """Add another area's kind to the engine, the commands and the API."""
    IMPORTERS[importer.kind] = importer
    if importer.kind not in KIND_LABELS:
        EXTRA_LABELS[importer.kind] = label


def load_extensions() -> None:
    global _extensions_loaded
    if not _extensions_loaded:
        _extensions_loaded = True
        for name in EXTENSIONS:
            importlib.import_module(name)


def all_kinds() -> tuple[str, ...]:
    """Every kind, the inventory's first."""
    load_extensions()
    return tuple(IMPORTERS)


def importer_for(kind: str) -> type[Importer[Any]]:
    """The importer of ``kind``; ``KeyError`` for an unknown kind."""
    load_extensions()
    return IMPORTERS[kind]


def kind_label(kind: str) -> str | Promise:
    load_extensions()
    return KIND_LABELS.get(kind) or EXTRA_LABELS.get(kind, kind)
