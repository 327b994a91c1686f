"""Forms and filters of the restore pages (swaps, RMAs, problems)."""

from __future__ import annotations

from typing import Any

import django_filters as filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from wardkeeper.inventory.models import Asset, Contract, Vendor
from wardkeeper.servicedesk.models import Problem, ProblemStatus, Rma, RmaState


class AssetTagField(forms.CharField):
    """An asset named by its tag (a select of every asset would not fit)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("Asset tag"))
        kwargs.setdefault("max_length", 64)
        super().__init__(**kwargs)

    def prepare_value(self, value: Any) -> Any:
        return value.tag if isinstance(value, Asset) else value

    def clean(self, value: Any) -> Asset | None:
        text = super().clean(value)
        if not text:
            return None
        asset = Asset.objects.filter(tag__iexact=text.strip()).first()
        if asset is None:
            raise forms.ValidationError(
                _("No asset has the tag %(tag)s."), params={"tag": text}
            )
        return asset


class RmaCreateForm(forms.Form):
    ticket = forms.IntegerField(widget=forms.HiddenInput, required=False)
    asset = AssetTagField()
    vendor = forms.ModelChoiceField(Vendor.objects.all(), label=_("Vendor"))
    contract = forms.ModelChoiceField(
        Contract.objects.select_related("vendor"),
        label=_("Contract"),
        required=False,
        help_text=_("Suggested: the contract covering the asset today."),
    )
    number = forms.CharField(label=_("RMA number"), max_length=80, required=False)
    fault = forms.CharField(
        label=_("Fault reported to the vendor"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    cost = forms.DecimalField(
        label=_("Cost"), max_digits=12, decimal_places=2, required=False
    )
    notes = forms.CharField(
        label=_("Notes"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class RmaUpdateForm(forms.ModelForm):
    class Meta:
        model = Rma
        fields = ["number", "vendor_responded_at", "cost", "fault", "notes"]
        widgets = {
            "vendor_responded_at": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
            ),
            "fault": forms.Textarea(attrs={"rows": 3}),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }


class RmaMoveForm(forms.Form):
    to = forms.ChoiceField(choices=RmaState.choices, label=_("Move to"))
    at = forms.DateTimeField(
        label=_("When"),
        required=False,
        widget=forms.DateTimeInput(
            attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
        ),
        help_text=_("Empty: now."),
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=500)

    def __init__(self, *args: Any, moves: list[RmaState] | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if moves is not None:
            self.fields["to"] = forms.ChoiceField(
                choices=[(m.value, m.label) for m in moves], label=_("Move to")
            )


class ProblemForm(forms.ModelForm):
    asset = AssetTagField(required=False)

    class Meta:
        model = Problem
        fields = [
            "title",
            "status",
            "description",
            "root_cause",
            "workaround",
            "asset_model",
            "asset",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "root_cause": forms.Textarea(attrs={"rows": 3}),
            "workaround": forms.Textarea(attrs={"rows": 3}),
        }


class LinkProblemForm(forms.Form):
    problem = forms.ModelChoiceField(
        Problem.objects.exclude(status=ProblemStatus.RESOLVED),
        label=_("Problem"),
        required=False,
        empty_label=_("none"),
    )


class LinkTicketForm(forms.Form):
    reference = forms.CharField(
        label=_("Ticket"), max_length=20, help_text=_("For example T000123.")
    )


class RmaFilter(filters.FilterSet):
    q = filters.CharFilter(label=_("Search"), method="filter_q")
    state = filters.ChoiceFilter(choices=RmaState.choices, label=_("State"))
    vendor = filters.ModelChoiceFilter(queryset=Vendor.objects.all(), label=_("Vendor"))

    class Meta:
        model = Rma
        fields = ["q", "state", "vendor"]

    def filter_q(self, queryset: QuerySet[Rma], name: str, value: str) -> QuerySet[Rma]:
        return queryset.filter(
            Q(number__icontains=value)
            | Q(asset__tag__iexact=value)
            | Q(asset__name__icontains=value)
        )


class ProblemFilter(filters.FilterSet):
    q = filters.CharFilter(
        label=_("Search"), field_name="title", lookup_expr="icontains"
    )
    status = filters.ChoiceFilter(choices=ProblemStatus.choices, label=_("Status"))

    class Meta:
        model = Problem
        fields = ["q", "status"]
