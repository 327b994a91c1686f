"""Checklists: what is checked, measured and noted on maintenance work."""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from wardkeeper.core.models.base import AuditedModel
from wardkeeper.servicedesk.choices import Category

__all__ = ["Checklist", "ChecklistItem", "ItemKind", "format_number"]


class ItemKind(models.TextChoices):
    CHECK = "check", _("pass or fail")
    MEASUREMENT = "measurement", _("measurement")
    TEXT = "text", _("free text")


class Checklist(AuditedModel):
    """What an engineer checks, measures and notes on a maintenance visit or an
    inspection round, item by item, in order."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("checklist")
        verbose_name_plural = _("checklists")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ChecklistItem(AuditedModel):
    """One line of a checklist: a pass/fail check, a measurement with its unit
    and acceptable limits, or a free-text note."""

    checklist = models.ForeignKey(
        Checklist,
        verbose_name=_("checklist"),
        on_delete=models.CASCADE,
        related_name="items",
    )
    position = models.PositiveSmallIntegerField(_("order"), default=10)
    text = models.CharField(_("item"), max_length=200)
    kind = models.CharField(
        _("kind"), max_length=12, choices=ItemKind.choices, default=ItemKind.CHECK
    )
    unit = models.CharField(_("unit"), max_length=20, blank=True)
    lower_limit = models.DecimalField(
        _("lowest acceptable"), max_digits=12, decimal_places=3, null=True, blank=True
    )
    upper_limit = models.DecimalField(
        _("highest acceptable"), max_digits=12, decimal_places=3, null=True, blank=True
    )
    required = models.BooleanField(_("required"), default=True)
    # The category of the ticket a finding on this item opens.
    category = models.CharField(
        _("ticket category"),
        max_length=12,
        choices=Category.choices,
        default=Category.HARDWARE,
    )
    guidance = models.CharField(_("guidance"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("checklist item")
        verbose_name_plural = _("checklist items")
        ordering = ["checklist", "position", "id"]

    def __str__(self) -> str:
        return self.text

    def get_absolute_url(self) -> str:
        return reverse("servicedesk:checklist-detail", args=[self.checklist_id])

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        low, high = self.lower_limit, self.upper_limit
        if low is not None and high is not None and low > high:
            raise ValidationError(
                {"upper_limit": _("The highest value is below the lowest.")}
            )

    @property
    def limits(self) -> str:
        """The acceptable range as people write it: "18-27 °C", "≥ 40 %"."""
        unit = f" {self.unit}" if self.unit else ""
        low, high = self.lower_limit, self.upper_limit
        if low is not None and high is not None:
            return f"{format_number(low)}\N{EN DASH}{format_number(high)}{unit}"
        if low is not None:
            return f"≥ {format_number(low)}{unit}"
        if high is not None:
            return f"≤ {format_number(high)}{unit}"
        return ""

    def is_finding(self, passed: bool | None, value: Decimal | None) -> bool:
        """Whether this answer is a fault: a failed check or a reading outside
        the limits."""
        if self.kind == ItemKind.CHECK:
            return passed is False
        if self.kind == ItemKind.MEASUREMENT and value is not None:
            low, high = self.lower_limit, self.upper_limit
            return (low is not None and value < low) or (
                high is not None and value > high
            )
        return False


def format_number(value: Decimal) -> str:
    """A decimal without trailing zeros (27.000 → 27, 1.500 → 1.5)."""
    return format(value.normalize(), "f")
