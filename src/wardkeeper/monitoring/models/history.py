"""What the checks found: raw results (kept N days), hourly and daily
roll-ups (kept for years) and outages."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from wardkeeper.monitoring.choices import CheckStatus

__all__ = ["Outage", "Result", "Rollup"]


class Result(models.Model):
    """One run of one check, as the engine reported it. Measurements, written
    in batches and not audited (the state changes they cause are)."""

    source = models.ForeignKey(
        "monitoring.Check", on_delete=models.CASCADE, related_name="results"
    )
    at = models.DateTimeField(_("time"))
    status = models.CharField(_("status"), max_length=12, choices=CheckStatus.choices)
    latency_ms = models.FloatField(_("latency (ms)"), null=True)
    reason = models.CharField(_("reason"), max_length=40, blank=True)
    message = models.CharField(_("message"), max_length=500, blank=True)
    values = models.JSONField(_("values"), default=dict, blank=True)
    in_maintenance = models.BooleanField(default=False)

    class Meta:
        indexes = [models.Index(fields=["source", "at"]), models.Index(fields=["at"])]

    def __str__(self) -> str:
        return f"{self.source_id} {self.at:%Y-%m-%d %H:%M:%S} {self.status}"


class Rollup(models.Model):
    """An hour or a day of one check: how many runs were up, degraded, down,
    in maintenance, and the latency's median and 95th percentile."""

    HOUR = "hour"
    DAY = "day"

    source = models.ForeignKey(
        "monitoring.Check", on_delete=models.CASCADE, related_name="rollups"
    )
    period = models.CharField(max_length=4)
    start = models.DateTimeField()
    runs = models.PositiveIntegerField(default=0)
    up = models.PositiveIntegerField(default=0)
    degraded = models.PositiveIntegerField(default=0)
    down = models.PositiveIntegerField(default=0)
    maintenance = models.PositiveIntegerField(default=0)
    latency_p50 = models.FloatField(null=True)
    latency_p95 = models.FloatField(null=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["source", "period", "start"], name="rollup_one_per_period"
            )
        ]
        indexes = [models.Index(fields=["period", "start"])]

    def __str__(self) -> str:
        return f"{self.source_id} {self.period} {self.start:%Y-%m-%d %H:%M}"


class Outage(models.Model):
    """A stretch of time a check was down (or unreachable), with its root
    cause; written by the state service when the state changes."""

    source = models.ForeignKey(
        "monitoring.Check", on_delete=models.CASCADE, related_name="outages"
    )
    started_at = models.DateTimeField(_("started"))
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=CheckStatus.choices)
    root_cause = models.ForeignKey(
        "monitoring.Check",
        verbose_name=_("root cause"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    in_maintenance = models.BooleanField(_("in a maintenance window"), default=False)
    message = models.CharField(_("message"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("outage")
        verbose_name_plural = _("outages")
        ordering = ["-started_at"]
        indexes = [models.Index(fields=["source", "started_at"])]

    def __str__(self) -> str:
        return f"{self.source_id} {self.started_at:%Y-%m-%d %H:%M}"
