"""Forms and the list filter of the floor-plan pages."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from wardkeeper.inventory.choices import LocationKind
from wardkeeper.inventory.models import Location
from wardkeeper.network.models import FloorPlan

# What a browser shows and Pillow reads; an SVG could carry script.
IMAGE_TYPES = {"PNG": "image/png", "JPEG": "image/jpeg", "WEBP": "image/webp"}


class FloorPlanForm(forms.ModelForm):
    class Meta:
        model = FloorPlan
        fields = ["floor", "image"]
        widgets = {
            "image": forms.ClearableFileInput(
                attrs={"accept": ",".join(IMAGE_TYPES.values())}
            )
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        floors = Location.objects.filter(kind=LocationKind.FLOOR)
        if self.instance.pk:
            self.fields["floor"].disabled = True
        else:
            floors = floors.filter(floor_plan__isnull=True)
        self.fields["floor"].queryset = floors.order_by("full_name")  # type: ignore[attr-defined]
        self.fields["image"].help_text = _(
            "A PNG, JPEG or WebP drawing of the floor, up to %(mb)s MB."
        ) % {"mb": settings.UPLOAD_MAX_MB}

    def clean_image(self) -> Any:
        image = self.cleaned_data["image"]
        if image is None or not hasattr(image, "image"):
            return image  # unchanged on an edit
        if image.size > settings.UPLOAD_MAX_MB * 1024 * 1024:
            raise ValidationError(
                _("The image is larger than %(mb)s MB.")
                % {"mb": settings.UPLOAD_MAX_MB}
            )
        if image.image.format not in IMAGE_TYPES:
            raise ValidationError(_("Upload a PNG, JPEG or WebP image."))
        return image


class FloorPlanFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        field_name="floor__full_name", lookup_expr="icontains", label=_("Floor")
    )
    site = django_filters.ModelChoiceFilter(
        field_name="floor__campus",
        queryset=Location.objects.filter(kind=LocationKind.CAMPUS),
        label=_("Campus"),
    )

    class Meta:
        model = FloorPlan
        fields = ["q", "site"]
