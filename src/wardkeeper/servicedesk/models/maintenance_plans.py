"""Maintenance plans: recurring preventive work and inspection rounds."""

from __future__ import annotations

import calendar
import datetime as dt

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from wardkeeper.core.models.base import AuditedModel
from wardkeeper.servicedesk.models.maintenance_checklists import Checklist

__all__ = ["Frequency", "MaintenancePlan", "PlanKind", "add_months"]


class PlanKind(models.TextChoices):
    PREVENTIVE = "preventive", _("preventive maintenance")
    ROUND = "round", _("inspection round")

    @property
    def badge(self) -> str:
        return "primary" if self.value == "preventive" else "info"


class Frequency(models.TextChoices):
    DAYS = "days", _("days")
    WEEKS = "weeks", _("weeks")
    MONTHS = "months", _("months")


ONCE_PER = {
    Frequency.DAYS: _("daily"),
    Frequency.WEEKS: _("weekly"),
    Frequency.MONTHS: _("monthly"),
}


def add_months(start: dt.date, months: int) -> dt.date:
    """``start`` moved by whole months; a day the month lacks becomes its last
    day (31 January + 1 month = 28 or 29 February)."""
    index = start.year * 12 + start.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(start.day, last))


class MaintenancePlan(AuditedModel):
    """Recurring work: preventive maintenance of each asset in its scope, or an
    inspection round of places (the daily server-room round), due every N days,
    weeks or months from a start date, done along a checklist by a team."""

    name = models.CharField(_("name"), max_length=150)
    kind = models.CharField(
        _("kind"), max_length=12, choices=PlanKind.choices, default=PlanKind.PREVENTIVE
    )
    description = models.TextField(_("description"), blank=True)
    checklist = models.ForeignKey(
        Checklist,
        verbose_name=_("checklist"),
        on_delete=models.PROTECT,
        related_name="plans",
    )
    team = models.ForeignKey(
        "servicedesk.Team",
        verbose_name=_("team"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="maintenance_plans",
    )
    # Scope. Preventive: assets of these types or models, inside these places
    # (a campus, building or floor includes everything in it). A round: one
    # work order per place listed.
    asset_types = models.ManyToManyField(
        "inventory.AssetType",
        verbose_name=_("asset types"),
        blank=True,
        related_name="+",
    )
    asset_models = models.ManyToManyField(
        "inventory.AssetModel",
        verbose_name=_("asset models"),
        blank=True,
        related_name="+",
    )
    locations = models.ManyToManyField(
        "inventory.Location",
        verbose_name=_("places"),
        blank=True,
        related_name="+",
    )
    every = models.PositiveSmallIntegerField(_("every"), default=1)
    frequency = models.CharField(
        _("frequency"), max_length=8, choices=Frequency.choices, default=Frequency.DAYS
    )
    starts_on = models.DateField(_("first due"))
    lead_days = models.PositiveSmallIntegerField(
        _("lead time (days)"),
        default=0,
        help_text=_("Work orders appear this many days before they are due."),
    )
    is_active = models.BooleanField(_("active"), default=True)

    badge_choices = {"kind": PlanKind}

    class Meta:
        verbose_name = _("maintenance plan")
        verbose_name_plural = _("maintenance plans")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("servicedesk:maintenanceplan-detail", args=[self.pk])

    @property
    def is_round(self) -> bool:
        return self.kind == PlanKind.ROUND

    @property
    def schedule_label(self) -> str:
        if self.every == 1:
            return str(ONCE_PER[Frequency(self.frequency)])
        return _("every %(n)s %(unit)s") % {
            "n": self.every,
            "unit": self.get_frequency_display(),
        }

    def due_on(self, k: int) -> dt.date:
        """The ``k``-th due date (0 is the start). Months step from the start
        date, not from the previous due date, so 31 Jan → 28 Feb → 31 Mar."""
        step = max(1, self.every) * k
        if self.frequency == Frequency.MONTHS:
            return add_months(self.starts_on, step)
        days = step * (7 if self.frequency == Frequency.WEEKS else 1)
        return self.starts_on + dt.timedelta(days=days)

    def due_dates(self, first: dt.date, last: dt.date) -> list[dt.date]:
        """Due dates from ``first`` to ``last``, both included."""
        k = self._index_near(first)
        dates = []
        while (due := self.due_on(k)) <= last:
            if due >= first:
                dates.append(due)
            k += 1
        return dates

    def next_due_dates(self, after: dt.date, count: int = 5) -> list[dt.date]:
        """The next ``count`` due dates on or after ``after``."""
        k = self._index_near(after)
        dates: list[dt.date] = []
        while len(dates) < count:
            due = self.due_on(k)
            if due >= after:
                dates.append(due)
            k += 1
        return dates

    def _index_near(self, day: dt.date) -> int:
        """A due-date index at or just before ``day`` (never past it)."""
        if day <= self.starts_on:
            return 0
        span = (day - self.starts_on).days
        step = max(1, self.every)
        if self.frequency == Frequency.MONTHS:
            return max(0, span // (31 * step) - 1)
        return span // (step * (7 if self.frequency == Frequency.WEEKS else 1))
