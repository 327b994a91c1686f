"""The hospital's critical systems and what holds their data."""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.utils.translation import gettext_lazy as _

from wardkeeper.continuity.choices import DataStoreKind
from wardkeeper.continuity.models.links import optional_link, user_link
from wardkeeper.core.models.base import AuditedModel
from wardkeeper.inventory.choices import Criticality

__all__ = ["DataStore", "ProtectedSystem"]


class ProtectedSystem(AuditedModel):
    """A system the hospital cannot lose (HIS, LIS, PACS, EMR, the website,
    Wardkeeper itself): who owns it, how much data it may lose (RPO) and how
    long it may be down (RTO), and the servers, databases and storage it runs
    on."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    description = models.TextField(_("description"), blank=True)
    criticality = models.IntegerField(
        _("criticality"), choices=Criticality.choices, default=Criticality.HIGH
    )
    owner = user_link(_("owner"))
    team = optional_link(
        "servicedesk.Team",
        _("team"),
        "protected_systems",
        help_text=_("Takes the tickets of failed backups and restore tests."),
    )
    rpo_minutes = models.PositiveIntegerField(
        _("RPO (minutes)"),
        help_text=_("Recovery-point objective: the most data, in time, it may lose."),
    )
    rto_minutes = models.PositiveIntegerField(
        _("RTO (minutes)"),
        help_text=_("Recovery-time objective: how long it may take to bring it back."),
    )
    service = models.CharField(
        _("monitored service"),
        max_length=60,
        blank=True,
        help_text=_("The service name its monitoring checks carry (HIS, PACS …)."),
    )
    assets = models.ManyToManyField(
        "inventory.Asset",
        verbose_name=_("servers, databases and storage"),
        blank=True,
        related_name="protected_systems",
    )
    vendor = optional_link("inventory.Vendor", _("vendor"), "protected_systems")
    support_contacts = models.TextField(
        _("support contacts"),
        blank=True,
        help_text=_("Vendor support numbers and contract references, one per line."),
    )
    restore_proof_days = models.PositiveIntegerField(
        _("restore proof due every (days)"),
        default=30,
        help_text=_("A backup with no successful restore test for longer is flagged."),
    )

    class Meta:
        verbose_name = _("protected system")
        verbose_name_plural = _("protected systems")
        ordering = ["criticality", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def rpo(self) -> dt.timedelta:
        return dt.timedelta(minutes=self.rpo_minutes)

    @property
    def rto(self) -> dt.timedelta:
        return dt.timedelta(minutes=self.rto_minutes)


class DataStore(AuditedModel):
    """One place a system keeps data that must be backed up: a database, a
    file tree, an image archive."""

    system = models.ForeignKey(
        ProtectedSystem,
        verbose_name=_("system"),
        on_delete=models.CASCADE,
        related_name="data_stores",
    )
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(
        _("kind"),
        max_length=16,
        choices=DataStoreKind.choices,
        default=DataStoreKind.DATABASE,
    )
    asset = optional_link("inventory.Asset", _("on"), "data_stores")
    where = models.CharField(
        _("where"),
        max_length=300,
        blank=True,
        help_text=_("Database name, path or volume."),
    )

    class Meta:
        verbose_name = _("data store")
        verbose_name_plural = _("data stores")
        ordering = ["system", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["system", "name"], name="continuity_datastore_unique_name"
            )
        ]

    def __str__(self) -> str:
        return f"{self.system} · {self.name}"
