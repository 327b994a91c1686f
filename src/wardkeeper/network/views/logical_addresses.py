"""IP addresses: the list (each with its prefix, or "no prefix", and a flag
when recorded twice), the form with its interface lookup, the duplicates
report and the prefix overlaps report."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from wardkeeper.core.views.generic import (
    Column,
    ObjectCreate,
    ObjectDelete,
    ObjectDetail,
    ObjectList,
    ObjectUpdate,
)
from wardkeeper.network.forms_logical import AddressFilter, IPAddressForm, PrefixFilter
from wardkeeper.network.models import IPAddress, Prefix
from wardkeeper.network.services import ipam

CELLS = "network/logical/cells"


class AddressList(ObjectList):
    model = IPAddress
    filterset_class = AddressFilter
    template_name = "network/logical/address_list.html"
    filter_fields = ("q", "status", "device")
    filter_more = ("prefix", "family", "duplicate")
    columns = [
        Column(_("Address"), "address", template=f"{CELLS}/address.html"),
        Column(_("Status"), "status"),
        Column(
            pgettext_lazy("network", "Prefix"),
            "prefix_text",
            template=f"{CELLS}/address_prefix.html",
        ),
        Column(_("Interface"), "interface"),
        Column(_("DNS name"), "dns_name"),
        Column(_("Description"), "description"),
    ]

    def get_queryset(self) -> QuerySet[IPAddress]:
        rows = IPAddress.objects.select_related("interface__device")
        return ipam.with_flags(rows).order_by("key", "pk")


class DuplicateList(AddressList):
    """Every address recorded more than once, the records side by side."""

    template_name = "network/logical/duplicates.html"

    def get_queryset(self) -> QuerySet[IPAddress]:
        rows = ipam.duplicates().select_related("interface__device")
        return ipam.with_flags(rows).order_by("key", "pk")


class OverlapList(ObjectList):
    """Prefixes recorded twice, or overlapping without one containing the other."""

    model = Prefix
    filterset_class = PrefixFilter
    template_name = "network/logical/overlaps.html"
    filter_fields = ("q", "site", "family")
    columns = [
        Column(pgettext_lazy("network", "Prefix"), "prefix", link=True),
        Column(_("Overlaps"), "pk", template=f"{CELLS}/overlaps.html"),
        Column(_("Site"), "site", template=f"{CELLS}/site.html"),
        Column(_("VLAN"), "vlan"),
        Column(_("Description"), "description"),
    ]

    def get_queryset(self) -> QuerySet[Prefix]:
        rows = Prefix.objects.select_related("site", "vlan")
        return ipam.overlapping(rows).order_by("first", "length", "pk")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        for row in context.get("object_list", []):
            row.overlaps = list(ipam.overlaps_of(row)[:10])
        return context


class AddressDetail(ObjectDetail):
    model = IPAddress
    queryset = IPAddress.objects.select_related("interface__device")

    def get_template_names(self) -> list[str]:
        return ["network/logical/ipaddress_detail.html"]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(
            prefix=ipam.smallest_prefix(self.object),
            twins=ipam.duplicates_of(self.object).select_related("interface__device"),
        )
        return context


class AddressCreate(ObjectCreate):
    model = IPAddress
    form_class = IPAddressForm

    initial_from_query = ("address",)


class AddressUpdate(ObjectUpdate):
    model = IPAddress
    form_class = IPAddressForm


class AddressDelete(ObjectDelete):
    model = IPAddress
