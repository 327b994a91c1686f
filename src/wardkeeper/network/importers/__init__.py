"""CSV/XLSX import and export of the network's records, and imports of
NetBox's CSV exports, plugged into the inventory's import framework
(inventory/transfer): the same dry run, per-row errors, all-or-nothing
write, audit entries, page, API and ``import``/``export`` commands.

Registered in the order a file set is loaded: each kind refers only to kinds
before it.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from wardkeeper.inventory.transfer.kinds import register
from wardkeeper.network.importers.addresses import AddressImporter
from wardkeeper.network.importers.cable_tests import CableTestImporter
from wardkeeper.network.importers.cables import CableImporter
from wardkeeper.network.importers.flows import FlowRuleImporter
from wardkeeper.network.importers.interfaces import InterfaceImporter
from wardkeeper.network.importers.netbox import NETBOX_KINDS
from wardkeeper.network.importers.outlets import OutletImporter
from wardkeeper.network.importers.panels import PanelImporter
from wardkeeper.network.importers.placements import PlacementImporter
from wardkeeper.network.importers.prefixes import PrefixImporter
from wardkeeper.network.importers.racks import RackImporter
from wardkeeper.network.importers.vlans import VlanImporter
from wardkeeper.network.importers.zones import ZoneImporter

NETWORK_KINDS = (
    (ZoneImporter, _("Network zones")),
    (VlanImporter, _("VLANs")),
    (PrefixImporter, _("Prefixes")),
    (RackImporter, _("Racks")),
    (PlacementImporter, _("Rack placements")),
    (PanelImporter, _("Patch panels")),
    (OutletImporter, _("Outlets")),
    (InterfaceImporter, _("Interfaces")),
    (AddressImporter, _("IP addresses")),
    (CableImporter, _("Cables")),
    (CableTestImporter, _("Cable tests")),
    (FlowRuleImporter, _("Flow rules")),
    *NETBOX_KINDS,
)
for _importer, _label in NETWORK_KINDS:
    register(_importer, _label)
