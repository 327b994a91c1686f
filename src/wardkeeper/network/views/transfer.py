"""The network's import and export page: the inventory's import views
(upload, dry run, confirm, downloads) over the network's kinds, Wardkeeper's
own files in the order they refer to each other, then NetBox's exports."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.translation import gettext_lazy as _

from wardkeeper.inventory.views.transfer import Label, TransferPage
from wardkeeper.network.importers import NETWORK_KINDS
from wardkeeper.network.importers.netbox import NETBOX_KINDS

# NetBox files in the order they load best: interfaces name the VLANs.
NETBOX_ORDER = (
    "netbox-devices",
    "netbox-vlans",
    "netbox-interfaces",
    "netbox-cables",
    "netbox-prefixes",
)


def _netbox_rank(kind: str) -> int:
    return NETBOX_ORDER.index(kind) if kind in NETBOX_ORDER else len(NETBOX_ORDER)


def network_groups() -> Sequence[tuple[Label, Sequence[str]]]:
    """The network's kinds as registered (network/importers), in two groups."""
    netbox = {importer.kind for importer, _label in NETBOX_KINDS}
    own = [importer.kind for importer, _label in NETWORK_KINDS]
    return [
        (_("Wardkeeper CSV"), [kind for kind in own if kind not in netbox]),
        (_("From NetBox"), sorted(netbox, key=_netbox_rank)),
    ]


NETWORK = TransferPage(
    namespace="network",
    title=_("Network import and export"),
    groups=network_groups,
    order_hint=_(
        "Import Wardkeeper files in the order listed, so every file finds what it "
        "names. NetBox exports load in the order listed too; the dry run notes "
        "every value it maps to a near equivalent or leaves out."
    ),
)
