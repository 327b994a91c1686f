"""Forms and list filters of the SLA pages: calendars (week and holidays as
plain text) and SLA policies."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

import django_filters
from django import forms
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext_lazy as _

from wardkeeper.servicedesk.choices import Category, Priority
from wardkeeper.servicedesk.models import (
    HolidayKind,
    SlaPolicy,
    WorkingCalendar,
)
from wardkeeper.servicedesk.models.sla import parse_hhmm
from wardkeeper.servicedesk.services.calendars import replace_holidays

DAY_FIELDS = [f"day_{day}" for day in range(7)]


def spans_text(spans: list[list[str]]) -> str:
    return ", ".join(f"{start}-{end}" for start, end in spans)


def parse_spans(text: str) -> list[list[str]]:
    """``"08:00-12:00, 13:30-17:30"`` → ``[["08:00", "12:00"], ...]``."""
    spans = []
    for part in filter(None, (p.strip() for p in text.replace(";", ",").split(","))):
        start, sep, end = part.partition("-")
        try:
            if not sep or parse_hhmm(end) <= parse_hhmm(start):
                raise ValueError(part)
        except ValueError as exc:
            raise forms.ValidationError(
                _("“%(part)s” is not a time span like 08:00-12:00.") % {"part": part}
            ) from exc
        spans.append([start.strip(), end.strip()])
    spans.sort()
    for (_s1, end), (start, _e2) in itertools.pairwise(spans):
        if parse_hhmm(start) < parse_hhmm(end):
            raise forms.ValidationError(_("The time spans overlap."))
    return spans


def parse_dates(text: str) -> dict[dt.date, str]:
    """One date a line, ISO, optionally followed by a name."""
    found: dict[dt.date, str] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        day, _sep, name = line.strip().partition(" ")
        try:
            date = dt.date.fromisoformat(day)
        except ValueError as exc:
            raise forms.ValidationError(
                _("Line %(n)s: “%(day)s” is not a date like 2025-10-01.")
                % {"n": number, "day": day}
            ) from exc
        found[date] = name.strip()[:120]
    return found


def dates_text(holidays: Any) -> str:
    return "\n".join(f"{h.date:%Y-%m-%d} {h.name}".strip() for h in holidays)


class WorkingCalendarForm(forms.ModelForm):
    closed_days = forms.CharField(
        label=_("Public holidays (closed)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("One date a line, then its name: 2025-10-01 National Day."),
    )
    extra_days = forms.CharField(
        label=_("Extra working days"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Weekend days worked in exchange for a holiday (调休); "
            "they keep a normal working day's hours."
        ),
    )

    class Meta:
        model = WorkingCalendar
        fields = ["name", "time_zone", "around_the_clock"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        hours = self.instance.hours or {}
        for day, name in WEEKDAYS.items():
            self.fields[f"day_{day}"] = forms.CharField(
                label=name,
                required=False,
                initial=spans_text(hours.get(str(day), [])),
                widget=forms.TextInput(
                    attrs={"placeholder": "08:00-12:00, 13:30-17:30"}
                ),
            )
        if self.instance.pk:
            holidays = list(self.instance.holidays.all())
            self.fields["closed_days"].initial = dates_text(
                h for h in holidays if h.kind == HolidayKind.CLOSED
            )
            self.fields["extra_days"].initial = dates_text(
                h for h in holidays if h.kind == HolidayKind.WORKING
            )
        # The week's fields sit between the switch and the holidays.
        self.order_fields(
            ["name", "time_zone", "around_the_clock", *DAY_FIELDS, "closed_days"]
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        hours = {}
        for day in range(7):
            try:
                spans = parse_spans(data.get(f"day_{day}") or "")
            except forms.ValidationError as exc:
                self.add_error(f"day_{day}", exc)
                continue
            if spans:
                hours[str(day)] = spans
        self.instance.hours = hours
        try:
            closed = parse_dates(data.get("closed_days") or "")
        except forms.ValidationError as exc:
            self.add_error("closed_days", exc)
            closed = {}
        try:
            extra = parse_dates(data.get("extra_days") or "")
        except forms.ValidationError as exc:
            self.add_error("extra_days", exc)
            extra = {}
        if set(closed) & set(extra):
            self.add_error(
                "extra_days", _("A date cannot be both a holiday and a working day.")
            )
        self.holidays: dict[dt.date, tuple[str, str]] = {
            **{day: (str(HolidayKind.CLOSED), name) for day, name in closed.items()},
            **{day: (str(HolidayKind.WORKING), name) for day, name in extra.items()},
        }
        return data

    @transaction.atomic
    def save(self, commit: bool = True) -> WorkingCalendar:
        calendar = super().save(commit=commit)
        if commit:
            replace_holidays(calendar, self.holidays)
        return calendar


class SlaPolicyForm(forms.ModelForm):
    class Meta:
        model = SlaPolicy
        fields = [
            "name",
            "priority",
            "department",
            "category",
            "calendar",
            "response_minutes",
            "restore_minutes",
            "warn_at_percent",
            "is_active",
        ]
        help_texts = {
            "department": _("Empty: every department."),
            "category": _("Empty: every category."),
        }


class WorkingCalendarFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Name"), field_name="name", lookup_expr="icontains"
    )

    class Meta:
        model = WorkingCalendar
        fields = ["q"]


class SlaPolicyFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Name"), method="filter_q")
    priority = django_filters.ChoiceFilter(
        label=_("Priority"), choices=Priority.choices
    )
    category = django_filters.ChoiceFilter(
        label=_("Category"), choices=Category.choices
    )
    is_active = django_filters.BooleanFilter(label=_("Active"))

    class Meta:
        model = SlaPolicy
        fields = ["q", "priority", "category", "department", "calendar", "is_active"]

    def filter_q(
        self, queryset: QuerySet[SlaPolicy], name: str, value: str
    ) -> QuerySet[SlaPolicy]:
        return queryset.filter(
            Q(name__icontains=value) | Q(department__name__icontains=value)
        )
