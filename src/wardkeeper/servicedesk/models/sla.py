"""SLA policies and the working calendars they count time on (owned by the SLA work)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from wardkeeper.core.models.base import AuditedModel
from wardkeeper.servicedesk.choices import Category, Priority

__all__ = ["SlaPolicy", "WorkingCalendar"]


class WorkingCalendar(AuditedModel):
    """When the SLA clock runs: around the clock, or working hours in a time
    zone with holidays."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    time_zone = models.CharField(_("time zone"), max_length=64, default="Asia/Shanghai")
    around_the_clock = models.BooleanField(_("24/7"), default=False)
    # {"0": [["08:00", "12:00"], ["13:30", "17:30"]], ...}: Monday is "0".
    hours = models.JSONField(_("working hours"), default=dict, blank=True)

    class Meta:
        verbose_name = _("working calendar")
        verbose_name_plural = _("working calendars")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class SlaPolicy(AuditedModel):
    """Response and restore targets for a priority, optionally only for a
    department or a category; the most specific active policy applies."""

    name = models.CharField(_("name"), max_length=120)
    priority = models.IntegerField(_("priority"), choices=Priority.choices)
    department = models.ForeignKey(
        "inventory.Department",
        verbose_name=_("department"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    category = models.CharField(
        _("category"), max_length=12, choices=Category.choices, blank=True
    )
    calendar = models.ForeignKey(
        WorkingCalendar,
        verbose_name=_("calendar"),
        on_delete=models.PROTECT,
        related_name="policies",
    )
    response_minutes = models.PositiveIntegerField(_("respond within (minutes)"))
    restore_minutes = models.PositiveIntegerField(_("restore within (minutes)"))
    warn_at_percent = models.PositiveSmallIntegerField(
        _("warn at (% of target used)"), default=75
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("SLA policy")
        verbose_name_plural = _("SLA policies")
        ordering = ["priority", "name"]

    def __str__(self) -> str:
        return self.name
