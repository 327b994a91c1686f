"""Alerts, the rules that route them, and maintenance windows."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wardkeeper.core.models.base import AuditedModel
from wardkeeper.monitoring.choices import AlertState, Recurrence, Severity

__all__ = ["Alert", "AlertRule", "MaintenanceWindow"]


class Alert(AuditedModel):
    """One real fault: a check confirmed down (not merely unreachable behind a
    parent), with how many children it takes down with it."""

    source = models.ForeignKey(
        "monitoring.Check",
        verbose_name=_("check"),
        on_delete=models.CASCADE,
        related_name="alerts",
    )
    severity = models.IntegerField(_("severity"), choices=Severity.choices)
    state = models.CharField(
        _("state"), max_length=12, choices=AlertState.choices, default=AlertState.OPEN
    )
    opened_at = models.DateTimeField(_("opened"), default=timezone.now)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    message = models.CharField(_("message"), max_length=500, blank=True)
    affected = models.PositiveIntegerField(_("children affected"), default=0)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("acknowledged by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    acknowledged_at = models.DateTimeField(_("acknowledged"), null=True, blank=True)
    silenced_until = models.DateTimeField(_("silenced until"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("escalated"), null=True, blank=True)
    rule = models.ForeignKey(
        "monitoring.AlertRule",
        verbose_name=_("routed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="alerts",
    )
    ticket = models.ForeignKey(
        "servicedesk.Ticket",
        verbose_name=_("ticket"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="alerts",
    )

    badge_choices = {"state": AlertState, "severity": Severity}

    class Meta:
        verbose_name = _("alert")
        verbose_name_plural = _("alerts")
        ordering = ["-opened_at", "-id"]
        indexes = [models.Index(fields=["state", "opened_at"])]
        # Never two unresolved alerts for one check, whoever races (a
        # restarted monitor, two monitors): the second insert fails.
        constraints = [
            models.UniqueConstraint(
                fields=["source"],
                condition=~models.Q(state="resolved"),
                name="alert_one_unresolved_per_check",
            )
        ]

    @property
    def is_unresolved(self) -> bool:
        return self.state != AlertState.RESOLVED

    def __str__(self) -> str:
        return f"{self.source} ({self.opened_at:%Y-%m-%d %H:%M})"


class AlertRule(AuditedModel):
    """Where alerts go: by severity, the asset's criticality, team and time of
    day, to notification channels and people; whether a ticket is opened;
    escalation when nobody acknowledges."""

    name = models.CharField(_("name"), max_length=120)
    order = models.PositiveSmallIntegerField(_("order"), default=10)
    max_severity = models.IntegerField(
        _("at least this severe"), choices=Severity.choices, default=Severity.MINOR
    )
    max_criticality = models.IntegerField(
        _("on assets at least this critical"),
        null=True,
        blank=True,
        help_text=_("Empty: any asset."),
    )
    team = models.ForeignKey(
        "servicedesk.Team",
        verbose_name=_("team"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    # Hours of the day (local) the rule applies, e.g. 0 to 24 or 8 to 18; weekdays 0 (Monday) to 6.
    from_hour = models.PositiveSmallIntegerField(_("from hour"), default=0)
    to_hour = models.PositiveSmallIntegerField(_("to hour"), default=24)
    weekdays = models.JSONField(_("weekdays"), default=list, blank=True)
    channels = models.ManyToManyField(
        "core.Channel", verbose_name=_("channels"), blank=True, related_name="+"
    )
    notify_team = models.BooleanField(
        _("tell the team's engineer on call"), default=True
    )
    open_ticket = models.BooleanField(_("open a ticket"), default=True)
    escalate_after = models.PositiveIntegerField(
        _("escalate if not acknowledged within (minutes)"), null=True, blank=True
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("alert rule")
        verbose_name_plural = _("alert rules")
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name

    def applies_at(self, at: dt.datetime) -> bool:
        """Whether the rule covers ``at`` (local hour and weekday)."""
        local = timezone.localtime(at)
        if self.weekdays and local.weekday() not in self.weekdays:
            return False
        if self.from_hour <= self.to_hour:
            return self.from_hour <= local.hour < self.to_hour
        # Over midnight: 20 to 8.
        return local.hour >= self.from_hour or local.hour < self.to_hour


class MaintenanceWindow(AuditedModel):
    """Planned work: alerts are suppressed and the history shows it. Once, or
    recurring (every day, week or month) for ``duration`` minutes from
    ``starts_at``, on assets, places (everything inside them) or checks."""

    name = models.CharField(_("name"), max_length=150)
    starts_at = models.DateTimeField(_("starts"))
    duration = models.PositiveIntegerField(_("duration (minutes)"))
    recurrence = models.CharField(
        _("repeats"), max_length=8, choices=Recurrence.choices, default=Recurrence.ONCE
    )
    until = models.DateField(_("repeats until"), null=True, blank=True)
    assets = models.ManyToManyField(
        "inventory.Asset", verbose_name=_("assets"), blank=True, related_name="+"
    )
    locations = models.ManyToManyField(
        "inventory.Location", verbose_name=_("places"), blank=True, related_name="+"
    )
    checks = models.ManyToManyField(
        "monitoring.Check", verbose_name=_("checks"), blank=True, related_name="+"
    )
    # Clinical services (Check.service names: "PACS", "HIS" …) under work.
    services = models.JSONField(_("services"), default=list, blank=True)
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        verbose_name = _("maintenance window")
        verbose_name_plural = _("maintenance windows")
        ordering = ["-starts_at"]

    def __str__(self) -> str:
        return self.name

    def is_active(self, at: dt.datetime) -> bool:
        """Whether one of the window's occurrences is under way at ``at``."""
        from wardkeeper.monitoring.services.windows import covers

        return covers(self, at)
