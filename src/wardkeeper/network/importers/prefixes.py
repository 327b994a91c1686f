"""Prefixes, keyed by the prefix itself (10.20.0.0/16)."""

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
from wardkeeper.network.importers import cells as net
from wardkeeper.network.importers.base import (
    Lookups,
    NetworkImporter,
    Resolver,
    filterset_for,
)
from wardkeeper.network.importers.interfaces import vlan_text
from wardkeeper.network.models import Prefix


def set_prefix(obj: Prefix, text: str) -> None:
    """The prefix and the keys ``Prefix.save`` would keep (bulk writes skip it)."""
    network = addressing.parse_network(text)
    obj.prefix = str(network)
    obj.family, obj.length = network.version, network.prefixlen
    obj.first, obj.last = addressing.span(network)


class PrefixImporter(NetworkImporter[Prefix]):
    """A row per prefix; its VLAN is ``20`` or ``20@SITE``."""

    kind = "prefixes"
    model = Prefix
    key_column = "prefix"
    filterset = filterset_for(Prefix, ["site", "vlan", "zone", "family"])
    fields = (
        "prefix",
        "family",
        "length",
        "first",
        "last",
        "site",
        "vlan",
        "zone",
        "is_pool",
        "description",
    )

    @classmethod
    def columns(cls) -> Sequence[Column]:
        return (
            Column("prefix", _("prefix"), net.prefix, required=True),
            Column("site", _("site"), cells.text(40)),
            Column("vlan", _("VLAN"), net.vlan),
            Column("zone", _("zone"), cells.text(80)),
            Column("is_pool", _("pool"), cells.boolean()),
            Column("description", _("description"), cells.text(200)),
        )

    @classmethod
    def export_queryset(cls) -> QuerySet[Prefix]:
        return Prefix.objects.select_related("site", "vlan__site", "zone")

    @classmethod
    def export_row(cls, obj: Prefix) -> list[Any]:
        return [
            obj.prefix,
            obj.site.code if obj.site else "",
            vlan_text(obj.vlan),
            obj.zone.name if obj.zone else "",
            obj.is_pool,
            obj.description,
        ]

    def preload(self, rows: Sequence[dict[str, Any]]) -> None:
        self.lookups = Lookups()
        self.by_prefix = {p.prefix: p for p in Prefix.objects.all()}

    def existing(self, key: Hashable) -> Prefix | None:
        return self.by_prefix.get(str(key))

    def apply(self, planned: Planned[Prefix]) -> list[RowError]:
        values, obj = planned.values, planned.obj
        find = Resolver(self.lookups, planned.row)
        set_prefix(obj, values["prefix"])
        if self.header.present("site"):
            obj.site = find.location("site", values["site"])
        if self.header.present("vlan"):
            obj.vlan = find.vlan("vlan", values["vlan"])
        if self.header.present("zone"):
            obj.zone = find.zone("zone", values["zone"])
        self.set_unless_empty(obj, values, ("is_pool",))
        self.set_values(obj, values, ("description",))
        return find.errors
