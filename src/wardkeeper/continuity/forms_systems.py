"""Forms and list filters of the protected systems' pages (systems, their data
stores, the criticality analysis); the API uses the same filters, fields and
rules."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _

from wardkeeper.continuity.models import DataStore, ProtectedSystem
from wardkeeper.core.models import User
from wardkeeper.inventory.choices import Criticality
from wardkeeper.inventory.forms.fields import (
    ASSET_LOOKUP,
    CodeChoiceField,
    KeysField,
    LookupBoxes,
)
from wardkeeper.inventory.models import Asset


def name_taken(model: type[Any], system: Any, name: str, instance: Any) -> bool:
    """Whether another row of ``model`` of this system already has the name
    (data stores and jobs are named uniquely within their system)."""
    twins = model.objects.filter(system=system, name=name)
    if instance is not None and instance.pk is not None:
        twins = twins.exclude(pk=instance.pk)
    return bool(twins.exists())


def store_errors(system: Any, name: str, instance: Any) -> dict[str, str]:
    """What is wrong with a data store's name, field by field."""
    if name_taken(DataStore, system, name, instance):
        return {"name": _t("This system already has a data store of that name.")}
    return {}


def asset_tag_field(label: Any, **kwargs: Any) -> CodeChoiceField:
    """One asset picked by its tag, with suggestions as one types."""
    return CodeChoiceField(
        Asset.objects.all(),
        to_field_name="tag",
        lookup=ASSET_LOOKUP,
        label=label,
        required=False,
        error_messages={"invalid_choice": _("No asset has the tag %(value)s.")},
        **kwargs,
    )


class ProtectedSystemFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Name or service"))
    asset = django_filters.CharFilter(method="on_asset", label=_("Runs on (asset tag)"))
    criticality = django_filters.ChoiceFilter(
        choices=Criticality.choices, label=_("Criticality"), empty_label=_("any")
    )

    class Meta:
        model = ProtectedSystem
        fields = ["q", "criticality", "team", "owner", "vendor", "asset"]

    def search(self, rows: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        text = value.strip()
        return rows.filter(
            Q(name__icontains=text)
            | Q(service__iexact=text)
            | Q(description__icontains=text)
        )

    def on_asset(self, rows: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return rows.filter(assets__tag__iexact=value.strip()).distinct()


# What the pages edit; the API shows and takes the same.
SYSTEM_FIELDS = [
    "name",
    "criticality",
    "description",
    "owner",
    "team",
    "rpo_minutes",
    "rto_minutes",
    "restore_proof_days",
    "service",
    "assets",
    "vendor",
    "support_contacts",
]
STORE_FIELDS = ["name", "kind", "asset", "where"]


class ProtectedSystemForm(forms.ModelForm):
    assets = KeysField(
        Asset.objects.all(),
        "tag",
        label=_("Servers, databases and storage (asset tags)"),
        widget=LookupBoxes(ASSET_LOOKUP),
    )

    class Meta:
        model = ProtectedSystem
        fields = SYSTEM_FIELDS
        widgets = {
            "description": forms.Textarea(attrs={"rows": 2}),
            "support_contacts": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        owner = self.fields["owner"]
        owner.queryset = User.objects.filter(is_active=True).order_by("username")  # type: ignore[attr-defined]


class DataStoreForm(forms.ModelForm):
    """A data store of one system (the system comes from the page)."""

    asset = asset_tag_field(_("On (asset tag)"))

    class Meta:
        model = DataStore
        fields = STORE_FIELDS

    def __init__(self, *args: Any, system: ProtectedSystem, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.system = system

    def clean_name(self) -> str:
        name = str(self.cleaned_data["name"]).strip()
        errors = store_errors(self.instance.system, name, self.instance)
        if errors:
            raise forms.ValidationError(errors["name"])
        return name
