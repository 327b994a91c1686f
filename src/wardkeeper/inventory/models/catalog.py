from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from wardkeeper.core.models import AuditedModel
from wardkeeper.inventory.choices import AssetCategory, FieldType


class Manufacturer(AuditedModel):
    """A maker of equipment (Dell, Huawei, Siemens Healthineers, Mindray)."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    website = models.CharField(_("website"), max_length=200, blank=True)
    support_phone = models.CharField(_("support phone"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("manufacturer")
        verbose_name_plural = _("manufacturers")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


def validate_extra_fields(value: Any) -> None:
    """The definition of a type's own fields: a list of
    ``{"key", "label", "type", "required", "choices"}``."""
    if not isinstance(value, list):
        raise ValidationError(_("Expected a list of field definitions."))
    keys = set()
    for index, spec in enumerate(value, start=1):
        if not isinstance(spec, dict) or not str(spec.get("key", "")).isidentifier():
            raise ValidationError(
                _("Field %(n)s needs a key made of letters, digits and underscores.")
                % {"n": index}
            )
        if spec.get("type", FieldType.TEXT) not in FieldType.values:
            raise ValidationError(_("Field %(n)s has an unknown type.") % {"n": index})
        if spec["key"] in keys:
            raise ValidationError(
                _("Field key %(key)s is used twice.") % {"key": spec["key"]}
            )
        keys.add(spec["key"])


class AssetType(AuditedModel):
    """A kind of equipment (workstation, switch, CT scanner). It sets how long
    the equipment depreciates over, whether it holds data that must be wiped
    before disposal, and any fields of its own."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=120)
    category = models.CharField(
        _("category"), max_length=20, choices=AssetCategory.choices
    )
    depreciation_years = models.PositiveSmallIntegerField(
        _("depreciation years"), default=5
    )
    stores_data = models.BooleanField(
        _("stores data"),
        default=False,
        help_text=_("Disposal requires a data-wipe record."),
    )
    extra_fields = models.JSONField(
        _("own fields"), default=list, blank=True, validators=[validate_extra_fields]
    )
    is_builtin = models.BooleanField(_("built in"), default=False, editable=False)

    class Meta:
        verbose_name = _("asset type")
        verbose_name_plural = _("asset types")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        """The name in the reader's language: built-in names are in the catalog."""
        return gettext(self.name) if self.is_builtin else self.name


class AssetModel(AuditedModel):
    """A product model of a manufacturer (Dell OptiPlex 7010, Huawei S5735)."""

    manufacturer = models.ForeignKey(
        Manufacturer,
        verbose_name=_("manufacturer"),
        on_delete=models.PROTECT,
        related_name="models",
    )
    name = models.CharField(_("name"), max_length=120)
    asset_type = models.ForeignKey(
        AssetType,
        verbose_name=_("type"),
        on_delete=models.PROTECT,
        related_name="models",
    )
    part_number = models.CharField(_("part number"), max_length=80, blank=True)
    end_of_support = models.DateField(_("end of support"), null=True, blank=True)

    class Meta:
        verbose_name = _("model")
        verbose_name_plural = _("models")
        ordering = ["manufacturer__name", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["manufacturer", "name"], name="unique_model_name"
            )
        ]

    def __str__(self) -> str:
        return f"{self.manufacturer.name} {self.name}"
