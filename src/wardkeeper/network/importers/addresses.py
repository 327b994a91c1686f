"""IP addresses, keyed by the address with its length (10.20.3.7/24); the
interface is named by device asset tag and interface name."""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from wardkeeper.inventory.transfer import cells
from wardkeeper.inventory.transfer.base import Planned
from wardkeeper.inventory.transfer.columns import Column
from wardkeeper.inventory.transfer.report import RowError
from wardkeeper.network import addressing
from wardkeeper.network.choices import AddressStatus
from wardkeeper.network.importers import cells as net
from wardkeeper.network.importers.base import (
    Lookups,
    NetworkImporter,
    filterset_for,
    missing,
)
from wardkeeper.network.models import IPAddress


def set_address(obj: IPAddress, text: str) -> None:
    """The address and the key ``IPAddress.save`` would keep."""
    interface = addressing.parse_interface(text)
    obj.address = str(interface)
    obj.family, obj.key = interface.version, addressing.key(interface.ip)


class AddressImporter(NetworkImporter[IPAddress]):
    """A row per address."""

    kind = "ip-addresses"
    model = IPAddress
    key_column = "address"
    filterset = filterset_for(IPAddress, ["status", "family", "interface"])
    fields = (
        "address",
        "family",
        "key",
        "status",
        "interface",
        "dns_name",
        "description",
    )

    @classmethod
    def columns(cls) -> Sequence[Column]:
        return (
            Column("address", _("address"), net.address, required=True),
            Column("status", _("status"), cells.choice(AddressStatus)),
            Column("device", _("device"), cells.text(64)),
            Column("interface", _("interface"), cells.text(64)),
            Column("dns_name", _("DNS name"), cells.text(253)),
            Column("description", _("description"), cells.text(200)),
        )

    @classmethod
    def export_queryset(cls) -> QuerySet[IPAddress]:
        return IPAddress.objects.select_related("interface__device")

    @classmethod
    def export_row(cls, obj: IPAddress) -> list[Any]:
        on = obj.interface
        return [
            obj.address,
            obj.status,
            on.device.tag if on else "",
            on.name if on else "",
            obj.dns_name,
            obj.description,
        ]

    def preload(self, rows: Sequence[dict[str, Any]]) -> None:
        self.lookups = Lookups()
        self.by_address = {a.address: a for a in IPAddress.objects.all()}

    def existing(self, key: Hashable) -> IPAddress | None:
        return self.by_address.get(str(key))

    def apply(self, planned: Planned[IPAddress]) -> list[RowError]:
        values, obj = planned.values, planned.obj
        set_address(obj, values["address"])
        self.set_unless_empty(obj, values, ("status",))
        self.set_values(obj, values, ("dns_name", "description"))
        if not self.header.present("interface"):
            return []
        device, name = values.get("device"), values["interface"]
        obj.interface = None
        if name:
            obj.interface = self.lookups.interfaces.get((device, name))
            if obj.interface is None:
                return [
                    missing(
                        planned.row, "interface", _("interface"), f"{device} {name}"
                    )
                ]
        return []
