from __future__ import annotations

import datetime as dt

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wardkeeper.core.models import AuditedModel
from wardkeeper.inventory.choices import ContractKind


class Vendor(AuditedModel):
    """A company the hospital buys from or that repairs its equipment."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    contact_name = models.CharField(_("contact"), max_length=120, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    address = models.TextField(_("address"), blank=True)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("vendor")
        verbose_name_plural = _("vendors")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ContractQuerySet(models.QuerySet["Contract"]):
    def active(self, on: dt.date | None = None) -> ContractQuerySet:
        day = on or timezone.localdate()
        return self.filter(starts_on__lte=day, ends_on__gte=day)

    def expiring_within(self, days: int, on: dt.date | None = None) -> ContractQuerySet:
        """Contracts in force today that end within ``days`` days."""
        day = on or timezone.localdate()
        return self.active(day).filter(ends_on__lte=day + dt.timedelta(days=days))


class Contract(AuditedModel):
    """An agreement with a vendor: a purchase, or warranty, maintenance or
    support with its coverage and the response and restore times promised."""

    vendor = models.ForeignKey(
        Vendor,
        verbose_name=_("vendor"),
        on_delete=models.PROTECT,
        related_name="contracts",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=ContractKind.choices)
    number = models.CharField(_("contract number"), max_length=80)
    title = models.CharField(_("title"), max_length=200)
    starts_on = models.DateField(_("starts"))
    ends_on = models.DateField(_("ends"))
    coverage = models.TextField(_("coverage"), blank=True)
    response_hours = models.PositiveIntegerField(
        _("response time (hours)"), null=True, blank=True
    )
    restore_hours = models.PositiveIntegerField(
        _("restore time (hours)"), null=True, blank=True
    )
    onsite = models.BooleanField(_("on-site service"), default=False)
    cost = models.DecimalField(
        _("cost"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    assets = models.ManyToManyField(
        "inventory.Asset",
        verbose_name=_("covered assets"),
        blank=True,
        related_name="contracts",
    )
    notes = models.TextField(_("notes"), blank=True)

    objects = ContractQuerySet.as_manager()

    class Meta:
        verbose_name = _("contract")
        verbose_name_plural = _("contracts")
        ordering = ["ends_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["vendor", "number"], name="unique_contract_number"
            ),
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="contract_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    def days_left(self, on: dt.date | None = None) -> int:
        return (self.ends_on - (on or timezone.localdate())).days
