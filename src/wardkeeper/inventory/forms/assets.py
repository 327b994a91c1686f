"""Forms of the asset pages: the record, a lifecycle move, an attachment."""

from __future__ import annotations

import json
from typing import Any, cast

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext_lazy as _

from wardkeeper.core.errors import DomainError
from wardkeeper.core.models import Attachment
from wardkeeper.inventory.choices import AssetStatus, Criticality, WipeMethod
from wardkeeper.inventory.forms.fields import (
    EXTRA_PREFIX,
    CodeChoiceField,
    extra_form_fields,
    extra_values,
    limit_choices,
    location_field,
)
from wardkeeper.inventory.models import Asset, AssetModel, AssetType
from wardkeeper.inventory.models.assets import normalise_mac
from wardkeeper.inventory.services.lifecycle import WipeDetails

# A new asset starts in one of these; later moves go through the lifecycle panel.
CREATE_STATUSES = (AssetStatus.ORDERED, AssetStatus.IN_STOCK, AssetStatus.IN_USE)
SECTIONS = (
    (
        _("Identity"),
        ("tag", "name", "model", "serial", "status", "condition", "parent"),
    ),
    (
        _("Place and people"),
        ("location", "department", "custodian", "criticality_override"),
    ),
    (_("Network"), ("hostname", "ip_address", "mac_address")),
    (
        _("Purchase"),
        ("purchase_order", "purchase_date", "purchase_cost", "vendor", "warranty_end"),
    ),
    ("", ("notes",)),
)


class AssetForm(forms.ModelForm):
    """An asset's record. The status is set here only when it is created."""

    location = location_field(
        _("location"), help_text=_("Type the room's code or part of its name.")
    )
    parent = CodeChoiceField(
        Asset.objects.all(),
        to_field_name="tag",
        lookup=reverse_lazy("inventory:asset-lookup"),
        label=_("part of"),
        required=False,
        help_text=_("The asset tag of the device this is a component of."),
        error_messages={"invalid_choice": _("No asset has the tag %(value)s.")},
    )

    class Meta:
        model = Asset
        fields = [
            "tag",
            "name",
            "model",
            "status",
            "condition",
            "serial",
            "location",
            "department",
            "custodian",
            "criticality_override",
            "hostname",
            "ip_address",
            "mac_address",
            "purchase_order",
            "purchase_date",
            "purchase_cost",
            "vendor",
            "warranty_end",
            "parent",
            "notes",
        ]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["status"]
        else:
            status = cast(forms.ChoiceField, self.fields["status"])
            status.choices = [(s.value, s.label) for s in CREATE_STATUSES]
        limit_choices(
            self.fields["model"], AssetModel.objects.select_related("manufacturer")
        )
        override = cast(forms.ChoiceField, self.fields["criticality_override"])
        override.choices = [("", _("from its room")), *Criticality.choices]
        self.fields["model"].widget.attrs.update(
            {
                "hx-get": reverse("inventory:asset-extra-fields"),
                "hx-target": "#wk-extra-fields",
                "hx-trigger": "change",
                "hx-vals": json.dumps({"asset": self.instance.pk or ""}),
            }
        )
        self.asset_type = self.chosen_type()
        self.fields.update(extra_form_fields(self.asset_type))
        for key, value in (self.instance.extra or {}).items():
            self.initial.setdefault(EXTRA_PREFIX + key, value)

    def chosen_type(self) -> AssetType | None:
        """The type of the model picked (in the posted data, else the record's)."""
        model_id = (
            self.data.get("model") if self.is_bound else self.initial.get("model")
        )
        if model_id and str(model_id).isdigit():
            found = AssetType.objects.filter(models__pk=model_id).first()
            if found is not None:
                return found
        return self.instance.asset_type if self.instance.asset_type_id else None

    @property
    def sections(self) -> list[tuple[Any, list[forms.BoundField]]]:
        """The fields grouped as the page shows them."""
        return [
            (title, [self[name] for name in names if name in self.fields])
            for title, names in SECTIONS
        ]

    @property
    def own_fields(self) -> list[forms.BoundField]:
        return [f for f in self.visible_fields() if f.name.startswith(EXTRA_PREFIX)]

    def clean_mac_address(self) -> str | None:
        value = self.cleaned_data.get("mac_address")
        if not value:
            return None
        try:
            return normalise_mac(value)
        except DomainError as exc:
            raise ValidationError(exc.message) from exc

    def clean_parent(self) -> Asset | None:
        parent: Asset | None = self.cleaned_data.get("parent")
        seen, node = 0, parent
        while node is not None and seen < 20:
            if self.instance.pk and node.pk == self.instance.pk:
                raise ValidationError(_("An asset cannot be a component of itself."))
            node, seen = node.parent, seen + 1
        return parent

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        bought, ends = cleaned.get("purchase_date"), cleaned.get("warranty_end")
        if bought and ends and ends < bought:
            self.add_error(
                "warranty_end", _("The warranty cannot end before the purchase.")
            )
        return cleaned

    def save(self, commit: bool = True) -> Asset:
        self.instance.extra = {
            **(self.instance.extra or {}),
            **extra_values(self.cleaned_data),
        }
        asset: Asset = super().save(commit)
        return asset


class MoveForm(forms.Form):
    """A lifecycle move: where to, why, and for a disposal the data wipe.

    Every status is accepted here so that a move the lifecycle forbids reaches
    ``Asset.check_move`` and is refused with its reason; the page offers only
    the allowed moves."""

    to = forms.ChoiceField(label=_("Move to"), choices=AssetStatus.choices)
    reason = forms.CharField(
        label=_("Reason"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Say why the asset moves.")},
    )
    wipe_method = forms.ChoiceField(
        label=_("Wipe method"),
        required=False,
        choices=[("", "—"), *WipeMethod.choices],
    )
    wipe_performed_by = forms.CharField(
        label=_("Wiped by"), required=False, max_length=120
    )
    wipe_certificate = forms.CharField(
        label=_("Certificate number"), required=False, max_length=120
    )

    def __init__(self, asset: Asset, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        allowed = asset.allowed_moves()
        self.fields["to"].widget.choices = [(s.value, s.label) for s in allowed]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if (cleaned.get("wipe_method") or cleaned.get("wipe_certificate")) and not (
            cleaned.get("wipe_method") and cleaned.get("wipe_performed_by")
        ):
            raise ValidationError(
                _("A data wipe needs its method and who performed it.")
            )
        return cleaned

    def wipe(self) -> WipeDetails | None:
        data = self.cleaned_data
        if not data.get("wipe_method"):
            return None
        return WipeDetails(
            method=data["wipe_method"],
            performed_by=data["wipe_performed_by"],
            certificate=data.get("wipe_certificate", ""),
        )


class AttachmentForm(forms.ModelForm):
    """A file kept with a record, no larger than the configured limit."""

    class Meta:
        model = Attachment
        fields = ["file", "description"]

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        limit = settings.UPLOAD_MAX_MB
        if upload.size > limit * 1024 * 1024:
            raise ValidationError(
                _("The file is larger than %(mb)s MB.") % {"mb": limit}
            )
        return upload
