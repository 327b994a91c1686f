"""SLA policies, the working calendars they count time on, and each ticket's
SLA history (owned by the SLA work; the arithmetic is services/calendars.py)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Case, IntegerField, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wardkeeper.core.models.base import AuditedModel
from wardkeeper.servicedesk.choices import Category, Priority

__all__ = [
    "Holiday",
    "HolidayKind",
    "SlaEvent",
    "SlaEventKind",
    "SlaPolicy",
    "WorkingCalendar",
]

HHMM = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$|^24:00$")


def parse_hhmm(text: str) -> int:
    """Minutes after midnight of ``"08:30"``; ``"24:00"`` is the day's end."""
    if not HHMM.match(text.strip()):
        raise ValueError(text)
    hours, minutes = text.strip().split(":")
    return int(hours) * 60 + int(minutes)


def validate_hours(hours: Any) -> None:
    """``{"0": [["08:00", "12:00"], ...]}``: weekdays 0-6, ordered,
    non-overlapping spans that end after they start."""
    if not isinstance(hours, dict):
        raise ValidationError(_("Working hours must map weekdays to time spans."))
    for day, spans in hours.items():
        if day not in {str(n) for n in range(7)} or not isinstance(spans, list):
            raise ValidationError(_("Unknown weekday %(day)s.") % {"day": day})
        previous_end = -1
        for span in spans:
            try:
                start, end = (parse_hhmm(value) for value in span)
            except (TypeError, ValueError) as exc:
                raise ValidationError(
                    _("%(span)s is not a time span like 08:00-12:00.") % {"span": span}
                ) from exc
            if end <= start or start < previous_end:
                raise ValidationError(
                    _("Time spans must end after they start and must not overlap.")
                )
            previous_end = end


def validate_time_zone(name: str) -> None:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValidationError(
            _("%(name)s is not a known time zone (e.g. Asia/Shanghai).")
            % {"name": name}
        ) from exc


class WorkingCalendar(AuditedModel):
    """When the SLA clock runs: around the clock, or working hours in a time
    zone with holidays (closed days) and extra working days."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        default="Asia/Shanghai",
        validators=[validate_time_zone],
    )
    around_the_clock = models.BooleanField(_("24/7"), default=False)
    # {"0": [["08:00", "12:00"], ["13:30", "17:30"]], ...}: Monday is "0".
    hours = models.JSONField(
        _("working hours"), default=dict, blank=True, validators=[validate_hours]
    )

    class Meta:
        verbose_name = _("working calendar")
        verbose_name_plural = _("working calendars")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("servicedesk:workingcalendar-detail", args=[self.pk])

    def clean(self) -> None:
        if not self.around_the_clock and not any(self.hours.values()):
            # Not keyed by field: forms edit the week through other fields.
            raise ValidationError(
                _("Give the working hours of at least one day, or choose 24/7.")
            )

    def spans_of(self, weekday: int) -> list[tuple[int, int]]:
        """The working spans of a weekday, in minutes after midnight."""
        return [
            (parse_hhmm(start), parse_hhmm(end))
            for start, end in self.hours.get(str(weekday), [])
        ]


class HolidayKind(models.TextChoices):
    CLOSED = "closed", _("closed (public holiday)")
    # China moves weekend working days around public holidays (调休).
    WORKING = "working", _("extra working day")


class Holiday(AuditedModel):
    """A date on which a calendar differs from its week: closed for a public
    holiday, or an extra working day (a weekend worked in exchange for a
    longer holiday) that keeps a normal working day's hours."""

    calendar = models.ForeignKey(
        WorkingCalendar,
        verbose_name=_("calendar"),
        on_delete=models.CASCADE,
        related_name="holidays",
    )
    date = models.DateField(_("date"))
    name = models.CharField(_("name"), max_length=120, blank=True)
    kind = models.CharField(
        _("kind"), max_length=8, choices=HolidayKind.choices, default=HolidayKind.CLOSED
    )

    class Meta:
        verbose_name = _("holiday")
        verbose_name_plural = _("holidays")
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(
                fields=["calendar", "date"], name="servicedesk_holiday_one_per_date"
            )
        ]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.name}".strip()


class SlaPolicyQuerySet(models.QuerySet["SlaPolicy"]):
    def best_for(
        self, *, priority: int, department_id: int | None, category: str
    ) -> SlaPolicy | None:
        """The most specific active policy: department and category, then
        department, then category, then the priority's general policy."""
        department = Q(department__isnull=True)
        if department_id is not None:
            department |= Q(department_id=department_id)
        return (
            self.filter(is_active=True, priority=priority)
            .filter(department, Q(category="") | Q(category=category))
            .annotate(
                specificity=Case(
                    When(department__isnull=False, then=Value(2)),
                    default=Value(0),
                    output_field=IntegerField(),
                )
                + Case(
                    When(~Q(category=""), then=Value(1)),
                    default=Value(0),
                    output_field=IntegerField(),
                )
            )
            .select_related("calendar")
            .order_by("-specificity", "pk")
            .first()
        )


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
        _("warn at (per cent of the target used)"), default=75
    )
    is_active = models.BooleanField(_("active"), default=True)

    objects = SlaPolicyQuerySet.as_manager()
    badge_choices = {"priority": Priority}

    class Meta:
        verbose_name = _("SLA policy")
        verbose_name_plural = _("SLA policies")
        ordering = ["priority", "name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if not 1 <= self.warn_at_percent <= 99:
            errors["warn_at_percent"] = _(
                "Warn between 1 and 99 per cent of the target."
            )
        both = self.response_minutes and self.restore_minutes
        if both and self.response_minutes > self.restore_minutes:
            errors["response_minutes"] = _(
                "The response target cannot be longer than the restore target."
            )
        if not self.response_minutes:
            errors["response_minutes"] = _("Give a target of at least one minute.")
        if not self.restore_minutes:
            errors["restore_minutes"] = _("Give a target of at least one minute.")
        if errors:
            raise ValidationError(errors)

    @property
    def applies_to(self) -> str:
        """ "ICU · network", or "every department · every category"."""
        department = self.department or _("every department")
        category = self.get_category_display() if self.category else _("every category")
        return f"{department} · {category}"

    @property
    def response_text(self) -> str:
        return minutes_text(self.response_minutes)

    @property
    def restore_text(self) -> str:
        return minutes_text(self.restore_minutes)

    @property
    def response_seconds(self) -> int:
        return int(self.response_minutes) * 60

    @property
    def restore_seconds(self) -> int:
        return int(self.restore_minutes) * 60


def minutes_text(minutes: int) -> str:
    """``90`` → "1 h 30 min"; whole hours and minutes alone stay short."""
    hours, rest = divmod(int(minutes or 0), 60)
    if hours and rest:
        return str(_("%(h)d h %(m)d min") % {"h": hours, "m": rest})
    if hours:
        return str(_("%(h)d h") % {"h": hours})
    return str(_("%(m)d min") % {"m": rest})


class SlaEventKind(models.TextChoices):
    WARNING = "warning", _("warning")
    RESPONSE_BREACH = "response_breach", _("response target missed")
    RESTORE_BREACH = "restore_breach", _("restore target missed")
    ESCALATION = "escalation", _("escalated")
    PAUSED = "paused", _("clock paused")
    RESUMED = "resumed", _("clock resumed")
    STOPPED = "stopped", _("clock stopped (resolved)")
    RESTARTED = "restarted", _("clock restarted (reopened)")

    @property
    def badge(self) -> str:
        return {
            "warning": "warning",
            "response_breach": "danger",
            "restore_breach": "danger",
            "escalation": "danger",
        }.get(self.value, "secondary")


# Kinds that stop the clock and kinds that start it again: the stopped
# intervals between them are not counted against the targets.
CLOCK_STOPS = frozenset({SlaEventKind.PAUSED, SlaEventKind.STOPPED})
CLOCK_STARTS = frozenset({SlaEventKind.RESUMED, SlaEventKind.RESTARTED})


class SlaEvent(models.Model):
    """One moment of a ticket's SLA history: a warning, a missed target, an
    escalation, or the clock paused, resumed, stopped or restarted. Written
    with the ticket's own audited change; shown on the ticket's page."""

    ticket = models.ForeignKey(
        "servicedesk.Ticket", on_delete=models.CASCADE, related_name="sla_events"
    )
    kind = models.CharField(_("what"), max_length=16, choices=SlaEventKind.choices)
    at = models.DateTimeField(_("time"), default=timezone.now)
    level = models.PositiveSmallIntegerField(_("escalation level"), null=True)
    detail = models.CharField(_("detail"), max_length=200, blank=True)

    badge_choices = {"kind": SlaEventKind}

    class Meta:
        verbose_name = _("SLA event")
        verbose_name_plural = _("SLA events")
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["ticket", "at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.at:%Y-%m-%d %H:%M}"


def stopped_intervals(
    events: list[SlaEvent], now: dt.datetime
) -> list[tuple[dt.datetime, dt.datetime]]:
    """The intervals in which the clock stood still, from a ticket's events in
    time order; one still open runs until ``now``."""
    intervals = []
    stopped_at: dt.datetime | None = None
    for event in events:
        if event.kind in CLOCK_STOPS and stopped_at is None:
            stopped_at = event.at
        elif event.kind in CLOCK_STARTS and stopped_at is not None:
            intervals.append((stopped_at, event.at))
            stopped_at = None
    if stopped_at is not None and stopped_at < now:
        intervals.append((stopped_at, now))
    return intervals
