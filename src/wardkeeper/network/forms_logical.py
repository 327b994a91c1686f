"""Forms and list filters of the logical network's pages (zones, VLANs,
prefixes, addresses, the flow policy); the API uses the same filters."""

from __future__ import annotations

import ipaddress
import re
from typing import Any

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.urls import reverse_lazy
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from wardkeeper.inventory.choices import LocationKind
from wardkeeper.inventory.forms.fields import location_field
from wardkeeper.inventory.models import Location
from wardkeeper.network import addressing
from wardkeeper.network.choices import AddressStatus, FlowProtocol
from wardkeeper.network.models import VLAN, FlowRule, Interface, IPAddress, Prefix, Zone
from wardkeeper.network.services import ipam, zones

FAMILIES = [(4, "IPv4"), (6, "IPv6")]
_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")


def _sites() -> QuerySet[Location]:
    return Location.objects.exclude(kind=LocationKind.ROOM).order_by("full_name")


class ZoneFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        field_name="name", lookup_expr="icontains", label=_("Name")
    )

    class Meta:
        model = Zone
        fields = ["q", "kind", "criticality"]


class VLANFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("VLAN ID or name"))
    site = django_filters.ModelChoiceFilter(queryset=_sites(), label=_("Site"))
    is_global = django_filters.BooleanFilter(
        field_name="site", lookup_expr="isnull", label=_("Global")
    )

    class Meta:
        model = VLAN
        fields = ["q", "site", "zone", "is_global"]

    def search(self, rows: QuerySet[VLAN], name: str, value: str) -> QuerySet[VLAN]:
        text = value.strip()
        if text.isdigit():
            return rows.filter(Q(vid=int(text)) | Q(name__icontains=text))
        return rows.filter(name__icontains=text)


class PrefixFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Prefix or description"))
    site = django_filters.ModelChoiceFilter(queryset=_sites(), label=_("Site"))
    vlan = django_filters.ModelChoiceFilter(
        queryset=VLAN.objects.select_related("site"), label=_("VLAN")
    )
    family = django_filters.ChoiceFilter(
        choices=FAMILIES, label=_("Family"), empty_label=_("any")
    )
    overlapping = django_filters.BooleanFilter(
        method="only_overlapping", label=_("Overlapping")
    )

    class Meta:
        model = Prefix
        fields = ["q", "site", "vlan", "zone", "family", "is_pool", "overlapping"]

    def search(self, rows: QuerySet[Prefix], name: str, value: str) -> QuerySet[Prefix]:
        text = value.strip()
        return rows.filter(Q(prefix__istartswith=text) | Q(description__icontains=text))

    def only_overlapping(
        self, rows: QuerySet[Prefix], name: str, value: bool | None
    ) -> QuerySet[Prefix]:
        if value is None:
            return rows
        flagged = ipam.overlapping(Prefix.objects.all()).values("pk")
        return rows.filter(pk__in=flagged) if value else rows.exclude(pk__in=flagged)


class AddressFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Address or DNS name"))
    prefix = django_filters.NumberFilter(method="in_prefix", label=_("Prefix (id)"))
    device = django_filters.CharFilter(method="on_device", label=_("Device"))
    family = django_filters.ChoiceFilter(
        choices=FAMILIES, label=_("Family"), empty_label=_("any")
    )
    duplicate = django_filters.BooleanFilter(
        method="only_duplicates", label=_("Duplicate")
    )

    class Meta:
        model = IPAddress
        fields = ["q", "status", "device", "prefix", "interface", "family", "duplicate"]

    def search(self, rows: QuerySet[IPAddress], name: str, value: str) -> Any:
        text = value.strip()
        return rows.filter(Q(address__istartswith=text) | Q(dns_name__icontains=text))

    def in_prefix(self, rows: QuerySet[IPAddress], name: str, value: Any) -> Any:
        prefix = Prefix.objects.filter(pk=value).first()
        if prefix is None:
            return rows.none()
        return rows.filter(
            family=prefix.family, key__gte=prefix.first, key__lte=prefix.last
        )

    def on_device(self, rows: QuerySet[IPAddress], name: str, value: str) -> Any:
        text = value.strip()
        return rows.filter(
            Q(interface__device__tag__iexact=text)
            | Q(interface__device__name__icontains=text)
        )

    def only_duplicates(
        self, rows: QuerySet[IPAddress], name: str, value: bool | None
    ) -> Any:
        if value is None:
            return rows
        flagged = ipam.duplicates().values("pk")
        return rows.filter(pk__in=flagged) if value else rows.exclude(pk__in=flagged)


class FlowRuleFilter(django_filters.FilterSet):
    class Meta:
        model = FlowRule
        fields = ["source", "destination", "action", "protocol", "enabled"]


class ZoneForm(forms.ModelForm):
    class Meta:
        model = Zone
        fields = Zone.editable_fields
        widgets = {
            "colour": forms.TextInput(attrs={"type": "color"}),
            "description": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.instance.pk:
            self.initial.setdefault("colour", "#0d6efd")

    def clean_colour(self) -> str:
        colour = (self.cleaned_data.get("colour") or "").strip()
        if colour and not _COLOUR.match(colour):
            raise ValidationError(_("Write a colour as #rrggbb, e.g. #1f77b4."))
        return colour.lower()


class VLANForm(forms.ModelForm):
    site = location_field(
        _("Site"),
        holds=True,
        help_text=_("A campus or building; empty for a VLAN used everywhere."),
    )

    class Meta:
        model = VLAN
        fields = VLAN.editable_fields

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        vid, site = data.get("vid"), data.get("site")
        if vid and site is None:
            # The database's unique (site, vid) lets NULL sites repeat.
            twins = VLAN.objects.filter(site__isnull=True, vid=vid)
            if twins.exclude(pk=self.instance.pk).exists():
                self.add_error("vid", _("A global VLAN %(vid)d exists.") % {"vid": vid})
        return data


class PrefixForm(forms.ModelForm):
    site = location_field(_("Site"), holds=True)

    class Meta:
        model = Prefix
        fields = ["prefix", "site", "vlan", "zone", "is_pool", "description"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["prefix"].help_text = _("Network and length: 10.20.0.0/16.")
        self.fields["vlan"].queryset = VLAN.objects.select_related("site")  # type: ignore[attr-defined]

    def clean_prefix(self) -> str:
        text = self.cleaned_data["prefix"].strip()
        try:
            return str(addressing.parse_network(text))
        except ValueError:
            raise ValidationError(_prefix_error(text)) from None


def _prefix_error(text: str) -> str:
    """Say what is wrong with a prefix: not one at all, or host bits set."""
    try:
        relaxed = ipaddress.ip_network(text, strict=False)
    except ValueError:
        return str(
            _("“%(value)s” is not a prefix: write a network and length, 10.20.0.0/16.")
            % {"value": text}
        )
    return str(
        _("“%(value)s” has host bits set: the network is %(network)s.")
        % {"value": text, "network": relaxed}
    )


class InterfaceField(forms.Field):
    """An interface typed as "<device tag> <interface name>", with
    suggestions as one types (the ``data-lookup`` inputs of app.js)."""

    widget = forms.TextInput

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.widget.attrs.update(
            {
                "data-lookup": format_lazy(
                    "{}?kind=interface", reverse_lazy("network:cable-point-lookup")
                ),
                "autocomplete": "off",
                "spellcheck": "false",
                "placeholder": _("SW-0001 Gi1/0/1"),
            }
        )

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, int):
            value = Interface.objects.select_related("device").filter(pk=value).first()
        if isinstance(value, Interface):
            return f"{value.device.tag} {value.name}"
        return value

    def to_python(self, value: Any) -> Interface | None:
        text = (value or "").strip()
        if not text:
            return None
        tag, _sep, name = text.partition(" ")
        found = Interface.objects.filter(
            device__tag__iexact=tag, name__iexact=name.strip()
        ).first()
        if found is None:
            raise ValidationError(
                _(
                    "No interface “%(value)s”: write the device tag, a space and the "
                    "interface name."
                )
                % {"value": text}
            )
        return found


class IPAddressForm(forms.ModelForm):
    interface = InterfaceField(label=_("Interface"), required=False)

    class Meta:
        model = IPAddress
        fields = ["address", "status", "interface", "dns_name", "description"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["address"].help_text = _(
            "With its prefix length: 10.20.3.7/24 (a bare address is a /32 or /128)."
        )

    def clean_address(self) -> str:
        text = self.cleaned_data["address"].strip()
        try:
            return str(addressing.parse_interface(text))
        except ValueError:
            raise ValidationError(
                _(
                    "“%(value)s” is not an IP address: write 10.20.3.7/24 or "
                    "2001:db8::7/64."
                )
                % {"value": text}
            ) from None


class AssignForm(forms.Form):
    """How many of a prefix's next free addresses to record, and as what."""

    count = forms.IntegerField(
        label=_("How many"), min_value=1, max_value=ipam.MAX_ASSIGN, initial=1
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=AddressStatus.choices, initial=AddressStatus.ACTIVE
    )
    dns_name = forms.CharField(label=_("DNS name"), max_length=253, required=False)
    description = forms.CharField(
        label=_("Description"), max_length=200, required=False
    )


class FlowRuleForm(forms.ModelForm):
    class Meta:
        model = FlowRule
        fields = FlowRule.editable_fields
        widgets = {
            "targets": forms.Textarea(attrs={"rows": 4, "spellcheck": "false"}),
            "description": forms.Textarea(attrs={"rows": 2}),
        }

    def clean_targets(self) -> str:
        return zones.clean_targets(self.cleaned_data.get("targets", ""))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        protocol = data.get("protocol") or FlowProtocol.TCP
        try:
            data["ports"] = zones.clean_ports(data.get("ports", ""), protocol)
        except ValidationError as error:
            self.add_error("ports", error)
        return data
