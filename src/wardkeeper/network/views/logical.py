"""VLANs and prefixes: the prefix tree with utilisation, a prefix's page
(children, addresses, next free address and prefix, assign next free) and
the overlaps report."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.db.models import Count, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django.views.decorators.http import require_POST

from wardkeeper.core.errors import DomainError
from wardkeeper.core.views.generic import (
    Column,
    ObjectCreate,
    ObjectDelete,
    ObjectDetail,
    ObjectList,
    ObjectUpdate,
)
from wardkeeper.network.forms_logical import (
    AssignForm,
    PrefixFilter,
    PrefixForm,
    VLANFilter,
    VLANForm,
)
from wardkeeper.network.models import VLAN, Prefix
from wardkeeper.network.services import ipam

CELLS = "network/logical/cells"


class VLANList(ObjectList):
    model = VLAN
    template_name = "network/logical/list.html"
    queryset = (
        VLAN.objects.select_related("site", "zone")
        .annotate(prefix_count=Count("prefixes", distinct=True))
        .order_by("vid", "name", "pk")
    )
    filterset_class = VLANFilter
    filter_fields = ("q", "site", "zone")
    filter_more = ("is_global",)
    columns = [
        Column(_("VLAN ID"), "vid", link=True, css="wk-code"),
        Column(_("Name"), "name", link=True),
        Column(_("Site"), "site", template=f"{CELLS}/site.html"),
        Column(_("Zone"), "zone", template=f"{CELLS}/zone.html"),
        Column(_("Prefixes"), "prefix_count", css="text-end"),
        Column(_("Description"), "description"),
    ]


class VLANDetail(ObjectDetail):
    model = VLAN
    queryset = VLAN.objects.select_related("site", "zone")

    def get_template_names(self) -> list[str]:
        return ["network/logical/vlan_detail.html"]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        vlan = self.object
        context.update(
            prefixes=ipam.measured(vlan.prefixes.select_related("zone", "site")),
            untagged=vlan.untagged_interfaces.count(),
            tagged=vlan.tagged_interfaces.count(),
        )
        return context


class VLANCreate(ObjectCreate):
    model = VLAN
    form_class = VLANForm


class VLANUpdate(ObjectUpdate):
    model = VLAN
    form_class = VLANForm


class VLANDelete(ObjectDelete):
    model = VLAN


class PrefixList(ObjectList):
    """The prefix tree: address order puts each prefix under its parent, and
    the depth indents it."""

    model = Prefix
    filterset_class = PrefixFilter
    template_name = "network/logical/prefix_list.html"
    filter_fields = ("q", "site", "vlan", "zone", "family")
    filter_more = ("is_pool", "overlapping")
    columns = [
        Column(
            pgettext_lazy("network", "Prefix"),
            "prefix",
            template=f"{CELLS}/prefix_tree.html",
        ),
        Column(_("Utilisation"), "pk", template=f"{CELLS}/usage.html"),
        Column(_("Site"), "site", template=f"{CELLS}/site.html"),
        Column(_("VLAN"), "vlan"),
        Column(_("Zone"), "zone", template=f"{CELLS}/zone.html"),
        Column(_("Description"), "description"),
    ]

    def get_queryset(self) -> QuerySet[Prefix]:
        rows = Prefix.objects.select_related("site", "vlan", "zone")
        return ipam.with_depth(ipam.with_usage(rows))

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        for row in context.get("object_list", []):
            row.usage = ipam.usage(row)
        return context


class PrefixDetail(ObjectDetail):
    model = Prefix
    queryset = Prefix.objects.select_related("site", "vlan", "zone")

    def get_template_names(self) -> list[str]:
        return ["network/logical/prefix_detail.html"]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        prefix = self.object
        children = ipam.children_of(prefix, limit=200)
        for child in children:
            child.usage = ipam.usage(child)  # type: ignore[attr-defined]
        addresses = ipam.addresses_in(prefix).select_related("interface__device")
        context.update(
            usage=ipam.usage(prefix),
            parent=ipam.parent_of(prefix),
            children=children,
            addresses=addresses[:100],
            address_count=addresses.count(),
            next_free=ipam.next_free_address(prefix),
            overlaps=ipam.overlaps_of(prefix)[:20],
            assign_form=AssignForm(),
            can_assign=self.request.user.has_perm("network.add_ipaddress"),
            can_add_prefix=self.request.user.has_perm("network.add_prefix"),
            **self.free_prefix(prefix),
        )
        return context

    def free_prefix(self, prefix: Prefix) -> dict[str, Any]:
        """The "next free prefix of length N" answer, when N was asked for."""
        asked = self.request.GET.get("length", "").strip().lstrip("/")
        if not asked:
            return {"length": ""}
        if not asked.isdigit():
            return {"length": asked, "length_error": _t("Write a length: 24.")}
        try:
            found = ipam.next_free_prefix(prefix, int(asked))
        except DomainError as error:
            return {"length": asked, "length_error": error.message}
        return {"length": asked, "free_prefix": found, "free_prefix_asked": True}


class PrefixCreate(ObjectCreate):
    model = Prefix
    form_class = PrefixForm

    initial_from_query = ("prefix",)


class PrefixUpdate(ObjectUpdate):
    model = Prefix
    form_class = PrefixForm


class PrefixDelete(ObjectDelete):
    model = Prefix


@login_required
@permission_required("network.add_ipaddress", raise_exception=True)
@require_POST
def assign_next_free(request: HttpRequest, pk: int) -> HttpResponse:
    """Record the next N free addresses of a prefix."""
    prefix = get_object_or_404(Prefix, pk=pk)
    form = AssignForm(request.POST)
    back = reverse("network:prefix-detail", args=[prefix.pk])
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(str(e) for e in errors))
        return redirect(back)
    data = form.cleaned_data
    try:
        made = ipam.assign_next_free(
            prefix,
            data["count"],
            actor=request.user,
            status=data["status"],
            dns_name=data["dns_name"],
            description=data["description"],
        )
    except DomainError as error:
        messages.error(request, error.message)
        return redirect(back)
    messages.success(
        request,
        _t("Recorded %(addresses)s.")
        % {"addresses": ", ".join(a.address for a in made[:10])}
        + (" …" if len(made) > 10 else ""),
    )
    return redirect(back)
