from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wardkeeper.core.models import AuditedModel
from wardkeeper.inventory.choices import Reconciliation, ScanSource, StocktakeStatus
from wardkeeper.inventory.models.assets import Asset
from wardkeeper.inventory.models.locations import Location


class Stocktake(AuditedModel):
    """A count of the equipment in a set of places: labels are scanned on the
    floor and reconciled against the books into found, missing, unexpected and
    found-in-the-wrong-place."""

    name = models.CharField(_("name"), max_length=150)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=StocktakeStatus.choices,
        default=StocktakeStatus.OPEN,
    )
    locations = models.ManyToManyField(
        Location, verbose_name=_("places counted"), related_name="+"
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("opened by"),
    )
    opened_at = models.DateTimeField(_("opened"), default=timezone.now)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("closed by"),
    )
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    reconciled_at = models.DateTimeField(_("reconciled"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    audit_exclude = frozenset({"reconciled_at"})

    class Meta:
        verbose_name = _("stocktake")
        verbose_name_plural = _("stocktakes")
        ordering = ["-opened_at"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_open(self) -> bool:
        return self.status == StocktakeStatus.OPEN


class StocktakeScan(models.Model):
    """One label read during a stocktake, where it was read and by whom. Scans
    are recorded in the audit trail per batch (one upload, one camera session)."""

    stocktake = models.ForeignKey(
        Stocktake, on_delete=models.CASCADE, related_name="scans"
    )
    tag = models.CharField(_("asset tag"), max_length=64)
    location = models.ForeignKey(
        Location,
        verbose_name=_("scanned in"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    scanned_at = models.DateTimeField(_("scanned"), default=timezone.now)
    scanned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    source = models.CharField(_("source"), max_length=10, choices=ScanSource.choices)

    class Meta:
        verbose_name = _("stocktake scan")
        verbose_name_plural = _("stocktake scans")
        ordering = ["-scanned_at", "-id"]
        indexes = [models.Index(fields=["stocktake", "tag"])]

    def __str__(self) -> str:
        return self.tag


class StocktakeLine(models.Model):
    """The outcome of reconciliation for one asset or one unknown tag.

    Lines are a snapshot that each reconciliation rewrites whole, up to
    hundreds of thousands at a time. So that the rewrite stays fast, the
    references to assets and places carry no database constraint (Django
    still clears them when an asset or place is deleted) and the places are
    not indexed; the (stocktake, result) index also serves the stocktake."""

    stocktake = models.ForeignKey(
        Stocktake, on_delete=models.CASCADE, related_name="lines", db_index=False
    )
    result = models.CharField(
        _("result"), max_length=12, choices=Reconciliation.choices
    )
    tag = models.CharField(_("asset tag"), max_length=64)
    asset = models.ForeignKey(
        Asset,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_constraint=False,
    )
    expected_location = models.ForeignKey(
        Location,
        verbose_name=_("on the books in"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_constraint=False,
        db_index=False,
    )
    found_location = models.ForeignKey(
        Location,
        verbose_name=_("found in"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_constraint=False,
        db_index=False,
    )

    class Meta:
        verbose_name = _("stocktake line")
        verbose_name_plural = _("stocktake lines")
        ordering = ["result", "tag"]
        indexes = [models.Index(fields=["stocktake", "result"])]

    badge_choices = {"result": Reconciliation}

    def __str__(self) -> str:
        return f"{self.tag}: {self.result}"
