"""Checks, the templates that give them to assets by type, and their state."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from wardkeeper.core.fields import EncryptedTextField
from wardkeeper.core.models.base import AuditedModel
from wardkeeper.monitoring.choices import CheckKind, CheckStatus, Severity

__all__ = ["Check", "CheckTemplate"]


class CheckSettings(models.Model):
    """What a check and a template share: the probe, its parameters and timing."""

    kind = models.CharField(_("kind"), max_length=16, choices=CheckKind.choices)
    # The probe's parameters (port, URL, expected text, AE titles …), and its
    # secrets (SNMP community or v3 keys, database password) as JSON, encrypted.
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    secrets = EncryptedTextField(_("secrets"), blank=True, default="")
    interval = models.PositiveIntegerField(_("interval (seconds)"), default=60)
    timeout = models.PositiveIntegerField(_("timeout (seconds)"), default=10)
    confirm_down = models.PositiveSmallIntegerField(
        _("failures before down"), default=3
    )
    confirm_up = models.PositiveSmallIntegerField(_("successes before up"), default=2)
    severity = models.IntegerField(
        _("severity"), choices=Severity.choices, default=Severity.MAJOR
    )

    audit_secret = frozenset({"secrets"})

    class Meta:
        abstract = True

    def secret_values(self) -> dict[str, Any]:
        return json.loads(self.secrets) if self.secrets else {}


class CheckTemplate(CheckSettings, AuditedModel):
    """The checks every asset of a type gets (a switch: ping, SNMP uptime and
    interfaces; a PACS: ping, DICOM C-ECHO, worklist)."""

    name = models.CharField(_("name"), max_length=120)
    asset_type = models.ForeignKey(
        "inventory.AssetType",
        verbose_name=_("asset type"),
        on_delete=models.CASCADE,
        related_name="check_templates",
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("check template")
        verbose_name_plural = _("check templates")
        ordering = ["asset_type__name", "name"]

    def __str__(self) -> str:
        return self.name


class Check(CheckSettings, AuditedModel):
    """One thing watched: a probe of a host (usually an asset's address), on
    an interval. The state fields are the server's view of the engine's
    results; they survive a restart, so a restarted monitor carries on
    without alerting twice."""

    name = models.CharField(_("name"), max_length=150)
    asset = models.ForeignKey(
        "inventory.Asset",
        verbose_name=_("asset"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="checks",
    )
    host = models.CharField(_("host"), max_length=255)
    template = models.ForeignKey(
        CheckTemplate,
        verbose_name=_("from template"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="checks",
    )
    # Reached through these (a switch, a router, a poller): when one is down,
    # this check is unreachable and raises no alert of its own.
    parents = models.ManyToManyField(
        "self",
        verbose_name=_("depends on"),
        symmetrical=False,
        blank=True,
        related_name="children",
    )
    team = models.ForeignKey(
        "servicedesk.Team",
        verbose_name=_("team"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="checks",
        help_text=_("Empty: the team that takes the asset's faults."),
    )
    service = models.CharField(
        _("service"),
        max_length=120,
        blank=True,
        help_text=_("The clinical service it belongs to (HIS, PACS, LIS …)."),
    )
    poller = models.ForeignKey(
        "monitoring.Poller",
        verbose_name=_("poller"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="checks",
        help_text=_("Empty: the server's own monitor runs it."),
    )
    notes = models.TextField(
        _("notes"),
        blank=True,
        help_text=_(
            "What the check watches and what to do when it fails: who to call, "
            "where the runbook is."
        ),
    )
    enabled = models.BooleanField(_("enabled"), default=True)

    # State (kept by services/state.py from the engine's results).
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=CheckStatus.choices,
        default=CheckStatus.UNKNOWN,
    )
    status_since = models.DateTimeField(_("since"), null=True, blank=True)
    fails = models.PositiveIntegerField(default=0)
    successes = models.PositiveIntegerField(default=0)
    last_run_at = models.DateTimeField(_("last run"), null=True, blank=True)
    last_up_at = models.DateTimeField(_("last up"), null=True, blank=True)
    last_latency_ms = models.FloatField(_("latency (ms)"), null=True, blank=True)
    last_message = models.CharField(_("last message"), max_length=500, blank=True)

    audit_exclude = frozenset(
        {
            "status",
            "status_since",
            "fails",
            "successes",
            "last_run_at",
            "last_up_at",
            "last_latency_ms",
            "last_message",
        }
    )
    badge_choices = {"status": CheckStatus, "severity": Severity}

    class Meta:
        verbose_name = _("check")
        verbose_name_plural = _("checks")
        ordering = ["name", "id"]
        indexes = [
            models.Index(fields=["status"]),
            models.Index(fields=["host"]),
        ]
        permissions = [
            ("view_metrics", _("Can read the Prometheus metrics")),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("monitoring:check-detail", args=[self.pk])

    def is_in_maintenance(self, at: dt.datetime | None = None) -> bool:
        """Whether planned work on the check, its asset, its place or its
        service is under way at ``at`` (now)."""
        from wardkeeper.monitoring.services.windows import in_maintenance

        return in_maintenance(self, at)
