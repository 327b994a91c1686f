"""Forms and list filters of the physical network's pages (racks, panels,
outlets, interfaces, cables, cable tests); the API uses the same filters.

Big tables (rooms, devices, points a cable plugs into) are picked by typing
their code with suggestions (``data-lookup``), never by a select of them all.
"""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from wardkeeper.inventory.choices import LocationKind
from wardkeeper.inventory.forms.fields import (
    ASSET_LOOKUP,
    CodeChoiceField,
    location_field,
)
from wardkeeper.inventory.models import Asset, Location
from wardkeeper.inventory.models.locations import subtree_q
from wardkeeper.network.choices import Face, InterfaceKind
from wardkeeper.network.models import (
    VLAN,
    Cable,
    CableEnd,
    CableTest,
    Interface,
    Outlet,
    PatchPanel,
    Placement,
    Rack,
)
from wardkeeper.network.services import physical, physical_cables
from wardkeeper.network.services.physical_points import (
    POINT_KINDS,
    find_point,
    point_text,
)

TESTED = [
    ("never", _("never tested")),
    ("failed", _("latest test failed")),
    ("passed", _("latest test passed")),
    ("due", _("never tested or failed")),
]


def _places() -> QuerySet[Location]:
    return Location.objects.exclude(kind=LocationKind.ROOM).order_by("full_name")


def _device_field(label: Any, **kwargs: Any) -> CodeChoiceField:
    return CodeChoiceField(
        Asset.objects.all(),
        to_field_name="tag",
        lookup=ASSET_LOOKUP,
        label=label,
        error_messages={"invalid_choice": _("No asset has the tag %(value)s.")},
        **kwargs,
    )


class PlaceFilterSet(django_filters.FilterSet):
    """Filters by site (a campus, building or floor: everything inside) and
    by room (its code); ``location_path`` names the row's room field."""

    location_path = "location"
    site = django_filters.ModelChoiceFilter(
        queryset=_places(), method="in_site", label=_("Site or floor")
    )
    room = django_filters.CharFilter(method="in_room", label=_("Room code"))

    def in_site(self, rows: QuerySet[Any], name: str, value: Location) -> Any:
        return rows.filter(subtree_q(value.pk, self.location_path))

    def in_room(self, rows: QuerySet[Any], name: str, value: str) -> Any:
        return rows.filter(**{f"{self.location_path}__code__iexact": value.strip()})


class RackFilter(PlaceFilterSet):
    q = django_filters.CharFilter(
        field_name="name", lookup_expr="icontains", label=_("Name")
    )

    class Meta:
        model = Rack
        fields = ["q", "site", "room", "kind"]


class PatchPanelFilter(PlaceFilterSet):
    q = django_filters.CharFilter(
        field_name="name", lookup_expr="icontains", label=_("Name")
    )

    class Meta:
        model = PatchPanel
        fields = ["q", "site", "room", "medium", "rack"]


class OutletFilter(PlaceFilterSet):
    q = django_filters.CharFilter(
        method="search", label=pgettext_lazy("network", "Label")
    )
    cabled = django_filters.BooleanFilter(method="with_cable", label=_("Cabled"))

    class Meta:
        model = Outlet
        fields = ["q", "site", "room", "kind", "cabled"]

    def search(self, rows: QuerySet[Outlet], name: str, value: str) -> Any:
        return rows.filter(Q(label__icontains=value) | Q(description__icontains=value))

    def with_cable(self, rows: QuerySet[Outlet], name: str, value: bool) -> Any:
        cabled = Exists(CableEnd.objects.filter(outlet=OuterRef("pk")))
        return rows.filter(cabled if value else ~cabled)


class InterfaceFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Name or MAC"))
    tag = django_filters.CharFilter(
        field_name="device__tag", lookup_expr="iexact", label=_("Device tag")
    )
    untagged_vlan = django_filters.ModelChoiceFilter(
        queryset=VLAN.objects.select_related("site"), label=_("Untagged VLAN")
    )

    class Meta:
        model = Interface
        fields = ["q", "tag", "device", "kind", "enabled", "mode", "untagged_vlan"]

    def search(self, rows: QuerySet[Interface], name: str, value: str) -> Any:
        text = value.strip()
        return rows.filter(Q(name__istartswith=text) | Q(mac_address__iexact=text))


class CableFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        field_name="label",
        lookup_expr="icontains",
        label=pgettext_lazy("network", "Label"),
    )
    site = django_filters.ModelChoiceFilter(
        queryset=_places(), method="in_site", label=_("Site or floor")
    )
    tested = django_filters.ChoiceFilter(
        choices=TESTED, method="by_test", label=_("Tested")
    )

    class Meta:
        model = Cable
        fields = ["q", "kind", "status", "site", "tested"]

    def in_site(self, rows: QuerySet[Cable], name: str, value: Location) -> Any:
        inside = (
            subtree_q(value.pk, "outlet__location")
            | subtree_q(value.pk, "port__panel__location")
            | subtree_q(value.pk, "interface__device__location")
        )
        ends = CableEnd.objects.filter(inside, cable=OuterRef("pk"))
        return rows.filter(Exists(ends))

    def by_test(self, rows: QuerySet[Cable], name: str, value: str) -> Any:
        if value == "due":
            return physical_cables.needing_test(rows)
        rows = physical_cables.latest_test_passed(rows)
        if value == "never":
            return rows.filter(Q(last_passed__isnull=True))
        return rows.filter(Q(last_passed=(value == "passed")))


class CableTestFilter(django_filters.FilterSet):
    class Meta:
        model = CableTest
        fields = ["cable", "passed"]


class PlacementFilter(django_filters.FilterSet):
    class Meta:
        model = Placement
        fields = ["rack", "face"]


class RackForm(forms.ModelForm):
    location = location_field(_("room"), help_text=_("Type the room's code."))
    asset = _device_field(
        _("asset"), required=False, help_text=_("The rack's own asset tag, if any.")
    )

    class Meta:
        model = Rack
        fields = Rack.editable_fields
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["location"].required = True


class PlacementForm(forms.ModelForm):
    """A device mounted in a rack; saving checks it fits (services)."""

    asset = _device_field(_("device"), help_text=_("Type the device's asset tag."))

    class Meta:
        model = Placement
        fields = ["asset", "position", "height_u", "face", "full_depth"]
        help_texts = {
            "position": _("The device's lowest unit; U1 is at the bottom."),
            "full_depth": _("A full-depth device takes the front and the rear."),
        }

    def save(self, commit: bool = True) -> Placement:
        return physical.place_device(self.instance)


class PatchPanelForm(forms.ModelForm):
    """A patch panel; saving makes or drops its ports (services)."""

    location = location_field(_("room"), help_text=_("Type the room's code."))

    class Meta:
        model = PatchPanel
        fields = PatchPanel.editable_fields
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["location"].required = True
        rack = self.fields["rack"]
        rack.queryset = Rack.objects.select_related("location")  # type: ignore[attr-defined]
        rack.label_from_instance = lambda r: f"{r.location.code} / {r.name}"  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        rack, room = data.get("rack"), data.get("location")
        if rack and room and rack.location_id != room.pk:
            self.add_error("rack", _("This rack is in another room."))
        if rack and not data.get("position"):
            self.add_error("position", _("Give the panel's lowest unit in the rack."))
        return data

    def save(self, commit: bool = True) -> PatchPanel:
        return physical.save_panel(self.instance)


class OutletForm(forms.ModelForm):
    location = location_field(_("room"), help_text=_("Type the room's code."))

    class Meta:
        model = Outlet
        fields = Outlet.editable_fields

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["location"].required = True


class InterfaceForm(forms.ModelForm):
    device = _device_field(_("device"), help_text=_("Type the device's asset tag."))

    class Meta:
        model = Interface
        fields = Interface.editable_fields
        widgets = {"tagged_vlans": forms.SelectMultiple(attrs={"size": 8})}
        help_texts = {
            "lag": _(
                "The link aggregation (LAG, port channel) this port belongs to: "
                "a LAG interface of the same device."
            )
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        vlans = VLAN.objects.select_related("site").order_by("vid", "name")
        for name in ("untagged_vlan", "tagged_vlans"):
            self.fields[name].queryset = vlans  # type: ignore[attr-defined]
        lag = self.fields["lag"]
        lag.queryset = self._lags()  # type: ignore[attr-defined]
        lag.label_from_instance = lambda i: i.name  # type: ignore[attr-defined]

    def _lags(self) -> QuerySet[Interface]:
        """The LAG interfaces of the device named (typed, linked or saved):
        the only interfaces a port may join. Validation (the model's
        clean) says so when the device is changed to another."""
        typed = self.data.get("device")
        if typed:
            device = Q(device__tag=typed)
        elif self.instance.device_id:
            device = Q(device_id=self.instance.device_id)
        elif self.initial.get("device"):
            device = Q(device__tag=self.initial["device"])
        else:
            return Interface.objects.none()
        lags = Interface.objects.filter(device, kind=InterfaceKind.LAG)
        return lags.exclude(pk=self.instance.pk).order_by("name")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        mode = data.get("mode") or ""
        if data.get("tagged_vlans") and mode != "trunk":
            self.add_error(
                "tagged_vlans", _("Tagged VLANs are for a trunk (tagged) port.")
            )
        if data.get("untagged_vlan") and not mode:
            self.add_error("mode", _("Choose the VLAN mode of this interface."))
        return data


def _end_fields(side: str) -> dict[str, forms.Field]:
    """One cable end: what kind of point, the point as typed (with
    suggestions for that kind), and the face when it is a panel port."""
    text = forms.CharField(
        label=_("point"),
        required=False,
        help_text=_("Interface: SW-0001 Gi1/0/4 · port: PP-A:4 · outlet: its label."),
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "spellcheck": "false",
                "data-lookup": reverse_lazy("network:cable-point-lookup")
                + f"?kind={POINT_KINDS[0][0]}",
                "data-point-text": side,
            }
        ),
    )
    return {
        f"{side}_kind": forms.ChoiceField(
            label=_("plugged into"),
            choices=POINT_KINDS,
            widget=forms.Select(attrs={"data-point-kind": side}),
        ),
        side: text,
        f"{side}_face": forms.ChoiceField(
            label=_("panel face"),
            choices=[("", "—"), *Face.choices],
            required=False,
            widget=forms.Select(attrs={"data-point-face": side}),
        ),
    }


class CableForm(forms.ModelForm):
    """A cable and what its two ends plug into; saving goes through
    services.physical_cables.connect (which names a point already taken)."""

    class Meta:
        model = Cable
        fields = ["label", "kind", "status", "length_m", "colour", "description"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for side in ("a", "b"):
            self.fields.update(_end_fields(side))
        if self.instance.pk:
            for side, point in physical_cables.current_ends(self.instance).items():
                kind, text, face = point_text(point)
                self.initial.update(
                    {f"{side}_kind": kind, side: text, f"{side}_face": face}
                )
        for side in ("a", "b"):
            chosen = self.data.get(f"{side}_kind") or self.initial.get(f"{side}_kind")
            if chosen:
                widget = self.fields[side].widget
                widget.attrs["data-lookup"] = (
                    str(reverse_lazy("network:cable-point-lookup")) + f"?kind={chosen}"
                )

    def ends(self) -> list[tuple[str, list[forms.BoundField]]]:
        """Each end's fields, for the page: kind, point, face."""
        return [
            (side, [self[f"{side}_kind"], self[side], self[f"{side}_face"]])
            for side in ("a", "b")
        ]

    def cable_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.Meta.fields]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        self.points: dict[str, Any] = {}
        for side in ("a", "b"):
            text = (data.get(side) or "").strip()
            if not text:
                self.add_error(side, _("Say what this end is plugged into."))
                continue
            found, error = find_point(
                data.get(f"{side}_kind", ""), text, data.get(f"{side}_face", "")
            )
            if error:
                self.add_error(
                    f"{side}_face" if error.field == "face" else side, error.message
                )
            self.points[side] = found
        return data

    def save(self, commit: bool = True) -> Cable:
        return physical_cables.connect(
            self.instance, self.points.get("a"), self.points.get("b")
        )


class CableTestForm(forms.ModelForm):
    class Meta:
        model = CableTest
        fields = CableTest.editable_fields
        widgets = {
            "tested_on": forms.DateInput(),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def save(self, commit: bool = True) -> CableTest:
        return physical_cables.record_test(self.instance)
