"""Form fields shared by the inventory forms: big-table pickers and a type's own fields."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, NoReturn, cast

from django import forms
from django.core.exceptions import MultipleObjectsReturned, ValidationError
from django.db.models import Model, QuerySet
from django.urls import reverse_lazy
from django.utils.functional import Promise
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from wardkeeper.inventory.choices import FieldType, LocationKind
from wardkeeper.inventory.models import AssetType, Location

EXTRA_PREFIX = "extra_"
ASSET_LOOKUP = reverse_lazy("inventory:asset-lookup")
PLACE_LOOKUP = reverse_lazy("inventory:location-lookup")


class CodeChoiceField(forms.ModelChoiceField):
    """One row of a big table picked by typing its code or tag, with suggestions
    fetched as one types: a select would load the whole table into the page."""

    widget = forms.TextInput

    def __init__(
        self,
        queryset: QuerySet[Any],
        *,
        to_field_name: str,
        lookup: str | Promise,
        **kwargs: Any,
    ) -> None:
        self.rows = queryset
        kwargs.setdefault(
            "error_messages",
            {"invalid_choice": _("Nothing has the code %(value)s.")},
        )
        super().__init__(queryset, to_field_name=to_field_name, **kwargs)
        self.widget.attrs.update(
            {"data-lookup": lookup, "autocomplete": "off", "spellcheck": "false"}
        )

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, Model):
            return getattr(value, self.to_field_name or "pk")
        if isinstance(value, int):  # the initial value of a form is the row's id
            row = self.rows.filter(pk=value).values_list(
                self.to_field_name or "pk", flat=True
            )
            return next(iter(row), value)
        return value

    def to_python(self, value: Any) -> Any:
        if value in self.empty_values:
            return None
        value = str(value).strip()
        key = self.to_field_name or "pk"
        try:
            return self.rows.get(**{f"{key}__iexact": value})
        except MultipleObjectsReturned:
            # Codes differing only by case: the exact one wins.
            found = self.rows.filter(**{key: value}).first()
            if found is None:
                self._invalid(value)
            return found
        except self.rows.model.DoesNotExist:
            self._invalid(value)

    def _invalid(self, value: str) -> NoReturn:
        raise ValidationError(
            self.error_messages["invalid_choice"],
            code="invalid_choice",
            params={"value": value},
        )


def limit_choices(field: forms.Field, rows: QuerySet[Any]) -> None:
    """Offer only ``rows`` in a model select (and fetch what its labels need)."""
    cast(forms.ModelChoiceField, field).queryset = rows


def location_field(
    label: Any, *, holds: bool = False, **kwargs: Any
) -> CodeChoiceField:
    """A place picked by its code; ``holds`` offers only places that hold others."""
    places = Location.objects.exclude(kind=LocationKind.ROOM) if holds else None
    url = PLACE_LOOKUP
    return CodeChoiceField(
        places if places is not None else Location.objects.all(),
        to_field_name="code",
        lookup=format_lazy("{}?holds=1", url) if holds else url,
        label=label,
        required=False,
        error_messages={"invalid_choice": _("No place has the code %(value)s.")},
        **kwargs,
    )


def extra_form_fields(asset_type: AssetType | None) -> dict[str, forms.Field]:
    """Form fields for a type's own fields (``AssetType.extra_fields``)."""
    fields: dict[str, forms.Field] = {}
    for spec in asset_type.extra_fields if asset_type else []:
        kind = spec.get("type", FieldType.TEXT)
        options = {
            "label": spec.get("label") or spec["key"],
            "required": bool(spec.get("required")),
        }
        field: forms.Field
        if kind == FieldType.NUMBER:
            field = forms.DecimalField(**options)
        elif kind == FieldType.DATE:
            field = forms.DateField(**options)
        elif kind == FieldType.BOOLEAN:
            # "No" is an answer too, so a yes/no field is never required.
            field = forms.BooleanField(label=options["label"], required=False)
        elif kind == FieldType.CHOICE:
            choices = [(str(c), str(c)) for c in spec.get("choices") or []]
            field = forms.ChoiceField(choices=[("", "—"), *choices], **options)
        else:
            field = forms.CharField(max_length=500, **options)
        fields[EXTRA_PREFIX + spec["key"]] = field
    return fields


def extra_values(cleaned: dict[str, Any]) -> dict[str, Any]:
    """The cleaned values of a type's own fields, in the form JSON stores."""
    values: dict[str, Any] = {}
    for name, value in cleaned.items():
        if not name.startswith(EXTRA_PREFIX):
            continue
        if isinstance(value, Decimal):
            value = int(value) if value == value.to_integral_value() else float(value)
        elif isinstance(value, dt.date):
            value = value.isoformat()
        values[name.removeprefix(EXTRA_PREFIX)] = value
    return values


class ExtraFieldsForm(forms.Form):
    """A type's own fields alone: validates ``Asset.extra`` against the type."""

    def __init__(self, asset_type: AssetType | None, *args: Any, **kwargs: Any) -> None:
        extra = kwargs.pop("extra", None) or {}
        super().__init__(*args, **kwargs)
        self.fields.update(extra_form_fields(asset_type))
        for key, value in extra.items():
            self.initial.setdefault(EXTRA_PREFIX + key, value)

    def values(self) -> dict[str, Any]:
        return extra_values(self.cleaned_data)


class LookupBoxes(forms.TextInput):
    """One text box per record, each suggesting matches as one types (the
    ``data-lookup`` inputs of app.js, fed by an inventory lookup URL), and an
    empty box to add one more; lookup_boxes.js adds boxes on request."""

    template_name = "inventory/widgets/lookup_boxes.html"

    def __init__(self, lookup: Any, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(
            {
                "data-lookup": lookup,
                "autocomplete": "off",
                "spellcheck": "false",
                **(attrs or {}),
            }
        )

    def get_context(self, name: str, value: Any, attrs: Any) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        widget = context["widget"]
        text = ", ".join(value) if isinstance(value, list | tuple) else value or ""
        keys = [key.strip() for key in text.split(",") if key.strip()]
        base = widget["attrs"].get("id", f"id_{name}")
        # Ids must differ: app.js names each box's suggestion list after it.
        widget["boxes"] = [
            {"value": key, "attrs": {**widget["attrs"], "id": f"{base}_{n}"}}
            for n, key in enumerate([*keys, ""])
        ]
        return context

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        getter = getattr(data, "getlist", None)
        return getter(name) if getter else data.get(name)

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        return False  # no box filled in means "none", as with a multiple select

    def id_for_label(self, id_: str) -> str:
        return f"{id_}_0" if id_ else id_


class KeysField(forms.ModelMultipleChoiceField):
    """Several records named by a key (asset tags, place codes, check ids) in
    one text box or one box each, so a form never renders a select of every
    asset or place in the hospital."""

    widget = forms.TextInput

    def __init__(self, queryset: QuerySet[Any], key: str, **kwargs: Any) -> None:
        self.key = key
        self.rows = queryset
        kwargs.setdefault("required", False)
        super().__init__(queryset, to_field_name=key, **kwargs)

    def to_python(self, value: Any) -> list[str]:
        if isinstance(value, str):
            # One box for all: commas, semicolons or spaces between keys.
            value = value.replace(";", ",").replace(" ", ",").split(",")
        else:
            # A box per key (a place's code may hold a space); a pasted list
            # in one box still counts.
            value = [
                part
                for box in value or []
                for part in str(box).replace(";", ",").split(",")
            ]
        return [str(part).strip() for part in value if str(part).strip()]

    def clean(self, value: Any) -> Any:
        keys = self.to_python(value)
        if not keys:
            if self.required:
                raise forms.ValidationError(self.error_messages["required"])
            return self.rows.none()
        found = self.rows.filter(**{f"{self.key}__in": keys})
        known = {str(getattr(obj, self.key)) for obj in found}
        missing = [key for key in keys if key not in known]
        if missing:
            raise forms.ValidationError(
                _("Not found: %(keys)s.") % {"keys": ", ".join(missing)}
            )
        return found

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, str):
            return value
        if not value:
            return ""
        keys = []
        for obj in value:
            if isinstance(obj, str):  # as typed into the boxes: shown again
                keys.append(obj.strip())
                continue
            row = obj if isinstance(obj, Model) else self.rows.filter(pk=obj).first()
            if row is not None:
                keys.append(str(getattr(row, self.key)))
        return ", ".join(key for key in keys if key)
