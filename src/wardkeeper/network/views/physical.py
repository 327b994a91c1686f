"""Racks and frames: the list, a rack's elevation (front and rear), and the
devices placed in it."""

from __future__ import annotations

from typing import Any

from django.db.models import Count
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from wardkeeper.core.views.generic import (
    Column,
    ObjectCreate,
    ObjectDelete,
    ObjectDetail,
    ObjectList,
    ObjectUpdate,
)
from wardkeeper.network.forms_physical import PlacementForm, RackFilter, RackForm
from wardkeeper.network.models import Placement, Rack
from wardkeeper.network.services import physical

CELLS = "network/physical/cells"


class RackList(ObjectList):
    model = Rack
    queryset = (
        Rack.objects.select_related("location")
        .annotate(devices=Count("placements", distinct=True))
        .order_by("location__full_name", "name", "pk")
    )
    filterset_class = RackFilter
    filter_fields = ("q", "site", "room", "kind")
    columns = [
        Column(_("Name"), "name", link=True),
        Column(_("Kind"), "get_kind_display"),
        Column(_("Room"), "location"),
        Column(_("Height (U)"), "height_u", css="text-end"),
        Column(_("Devices"), "devices", css="text-end"),
    ]


class RackDetail(ObjectDetail):
    model = Rack
    queryset = Rack.objects.select_related("location", "asset")

    def get_template_names(self) -> list[str]:
        return ["network/physical/rack_detail.html"]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context.update(
            faces=physical.elevation(self.object),
            can_place=user.has_perm("network.add_placement"),
            can_move=user.has_perm("network.change_placement"),
        )
        return context


class RackCreate(ObjectCreate):
    model = Rack
    form_class = RackForm


class RackUpdate(ObjectUpdate):
    model = Rack
    form_class = RackForm


class RackDelete(ObjectDelete):
    model = Rack


PLACEMENT_FORM = "network/physical/placement_form.html"


class PlacementCreate(ObjectCreate):
    """Place a device in the rack named by the URL, at ?position=&face=."""

    model = Placement
    form_class = PlacementForm
    template_name = PLACEMENT_FORM

    def get_success_url(self) -> str:
        return reverse("network:rack-detail", args=[self.kwargs["rack"]])

    def rack(self) -> Rack:
        return get_object_or_404(Rack, pk=self.kwargs["rack"])

    initial_from_query = ("position", "face")

    def get_form(self, form_class: Any = None) -> Any:
        form = super().get_form(form_class)
        form.instance.rack = self.rack()
        return form

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["rack"] = self.rack()
        return context


class PlacementUpdate(ObjectUpdate):
    model = Placement
    form_class = PlacementForm
    template_name = PLACEMENT_FORM
    queryset = Placement.objects.select_related("rack", "asset")

    def get_success_url(self) -> str:
        return reverse("network:rack-detail", args=[self.get_object().rack_id])

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["rack"] = self.object.rack
        return context


class PlacementDelete(ObjectDelete):
    model = Placement

    def get_success_url(self) -> str:
        return reverse("network:rack-detail", args=[self.object.rack_id])
