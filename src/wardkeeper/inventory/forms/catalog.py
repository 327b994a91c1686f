"""Forms of the catalogue pages: places, departments, makers, types, vendors,
contracts and spare pools."""

from __future__ import annotations

import json
import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from wardkeeper.inventory.choices import FieldType
from wardkeeper.inventory.forms.fields import limit_choices, location_field
from wardkeeper.inventory.models import (
    Asset,
    AssetModel,
    AssetType,
    Contract,
    Department,
    Location,
    Manufacturer,
    SparePool,
    Vendor,
)


class LocationForm(forms.ModelForm):
    """A place; it sits inside a place one level up (a room on a floor)."""

    parent = location_field(
        _("inside"),
        holds=True,
        help_text=_("The code of the campus, building or floor it is in."),
    )

    class Meta:
        model = Location
        fields = ["kind", "name", "code", "parent", "criticality", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "criticality": _(
                "A room's criticality is that of the equipment in it, unless an asset overrides it."
            )
        }

    def clean_kind(self) -> str:
        kind: str = self.cleaned_data["kind"]
        if (
            self.instance.pk
            and kind != self.instance.kind
            and self.instance.children.exists()
        ):
            raise ValidationError(
                _("This place holds other places: move them before changing its kind.")
            )
        return kind


class DepartmentForm(forms.ModelForm):
    class Meta:
        model = Department
        fields = [
            "name",
            "code",
            "cost_centre",
            "campus",
            "is_clinical",
            "head",
            "phone",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(self.fields["campus"], Location.objects.campuses())


class ManufacturerForm(forms.ModelForm):
    class Meta:
        model = Manufacturer
        fields = ["name", "website", "support_phone"]


class PrettyJSONField(forms.JSONField):
    """JSON shown indented, so a person can edit it."""

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, list | dict):
            return json.dumps(value, indent=2, ensure_ascii=False)
        return super().prepare_value(value)


class AssetTypeForm(forms.ModelForm):
    """A type of equipment. A built-in type keeps its code and name."""

    extra_fields = PrettyJSONField(
        label=_("own fields"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8, "class": "font-monospace"}),
        help_text=_(
            'A list such as [{"key": "dose_report", "label": "Dose report", '
            '"type": "boolean"}, {"key": "modality", "label": "Modality", '
            '"type": "choice", "choices": ["CT", "MR"], "required": true}]. '
            "Types: text, number, date, boolean, choice."
        ),
    )

    class Meta:
        model = AssetType
        fields = [
            "name",
            "code",
            "category",
            "depreciation_years",
            "stores_data",
            "extra_fields",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.is_builtin:
            for name in ("name", "code"):
                self.fields[name].disabled = True
                self.fields[name].help_text = _("Built-in types keep their name.")

    def clean_extra_fields(self) -> list[dict[str, Any]]:
        value = self.cleaned_data.get("extra_fields") or []
        if not isinstance(value, list):
            raise ValidationError(_("Expected a list of field definitions."))
        for index, spec in enumerate(value, start=1):
            if (
                isinstance(spec, dict)
                and spec.get("type") == FieldType.CHOICE
                and not spec.get("choices")
            ):
                raise ValidationError(
                    _("Field %(n)s is a choice: list its choices.") % {"n": index}
                )
        return value


class AssetModelForm(forms.ModelForm):
    class Meta:
        model = AssetModel
        fields = ["manufacturer", "name", "asset_type", "part_number", "end_of_support"]


class VendorForm(forms.ModelForm):
    class Meta:
        model = Vendor
        fields = ["name", "contact_name", "phone", "email", "address", "notes"]
        widgets = {
            "address": forms.Textarea(attrs={"rows": 2}),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }


def split_tags(text: str) -> list[str]:
    """Tags typed or pasted one a line, or separated by commas or spaces."""
    return list(dict.fromkeys(tag for tag in re.split(r"[\s,;]+", text) if tag))


class ContractForm(forms.ModelForm):
    """A contract and the assets it covers, named by their tags (a select
    of thousands of assets would be unusable)."""

    covered_tags = forms.CharField(
        label=_("covered assets"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "class": "font-monospace"}),
        help_text=_("Asset tags, one a line (or separated by commas or spaces)."),
    )

    class Meta:
        model = Contract
        fields = [
            "vendor",
            "kind",
            "number",
            "title",
            "starts_on",
            "ends_on",
            "response_hours",
            "restore_hours",
            "onsite",
            "cost",
            "coverage",
            "notes",
        ]
        widgets = {
            "coverage": forms.Textarea(attrs={"rows": 3}),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.covered: list[int] = []
        if self.instance.pk:
            tags = self.instance.assets.order_by("tag").values_list("tag", flat=True)
            self.initial["covered_tags"] = "\n".join(tags)

    def clean_covered_tags(self) -> str:
        text: str = self.cleaned_data.get("covered_tags", "")
        tags = split_tags(text)
        found: dict[str, int] = {}
        for start in range(0, len(tags), 500):  # bounded IN lists on every database
            chunk = tags[start : start + 500]
            found.update(Asset.objects.filter(tag__in=chunk).values_list("tag", "pk"))
        missing = [tag for tag in tags if tag not in found]
        if missing:
            raise ValidationError(
                _("No asset has the tag: %(tags)s.")
                % {
                    "tags": ", ".join(missing[:10])
                    + (" …" if len(missing) > 10 else "")
                }
            )
        self.covered = list(found.values())
        return text

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        starts, ends = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", _("A contract cannot end before it starts."))
        return cleaned


class SparePoolForm(forms.ModelForm):
    storage = location_field(
        _("kept in"), help_text=_("The code of the store room (optional).")
    )

    class Meta:
        model = SparePool
        fields = [
            "name",
            "campus",
            "asset_model",
            "asset_type",
            "minimum_level",
            "storage",
            "notes",
        ]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "asset_type": _(
                "For a pool of any model of one type, leave the model empty."
            )
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(self.fields["campus"], Location.objects.campuses())
        limit_choices(
            self.fields["asset_model"],
            AssetModel.objects.select_related("manufacturer"),
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        campus, storage = cleaned.get("campus"), cleaned.get("storage")
        if campus and storage and storage.campus_id != campus.pk:
            self.add_error("storage", _("The store room must be on the pool's campus."))
        return cleaned
