"""A reporting period chosen on a page: a named span (this month, the last 30
days …) or two dates of one's own. The service-desk figures and monitoring's
availability report both take theirs from here."""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

PERIOD_LABELS = {
    "7d": gettext_lazy("Last 7 days"),
    "30d": gettext_lazy("Last 30 days"),
    "month": gettext_lazy("This month"),
    "last_month": gettext_lazy("Last month"),
    "year": gettext_lazy("This year"),
    "12m": gettext_lazy("Last 12 months"),
    "custom": gettext_lazy("From … to …"),
}


def span(period: str, today: dt.date) -> tuple[dt.date, dt.date]:
    """The first day of a named period and the day after its last."""
    tomorrow = today + dt.timedelta(days=1)
    first = today.replace(day=1)
    if period == "7d":
        return today - dt.timedelta(days=6), tomorrow
    if period == "30d":
        return today - dt.timedelta(days=29), tomorrow
    if period == "last_month":
        return (first - dt.timedelta(days=1)).replace(day=1), first
    if period == "year":
        return today.replace(month=1, day=1), tomorrow
    if period == "12m":
        return (first.replace(year=first.year - 1) + dt.timedelta(days=32)).replace(
            day=1
        ), tomorrow
    return first, tomorrow  # "month"


class PeriodForm(forms.Form):
    """``periods`` names the spans offered, the first being the default."""

    periods: ClassVar[tuple[str, ...]] = (
        "month",
        "last_month",
        "30d",
        "year",
        "custom",
    )

    period = forms.ChoiceField(label=gettext_lazy("Period"), required=False)
    start = forms.DateField(label=gettext_lazy("From"), required=False)
    end = forms.DateField(label=gettext_lazy("To (inclusive)"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["period"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(key, PERIOD_LABELS[key]) for key in self.periods]
        field.initial = self.periods[0]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("period") == "custom":
            if not data.get("start") or not data.get("end"):
                raise forms.ValidationError(_("Give both dates of the period."))
            if data["end"] < data["start"]:
                self.add_error("end", _("The end comes before the start."))
        return data

    def chosen(self) -> dict[str, Any]:
        """The cleaned choices, or none when the form is unbound or invalid."""
        return self.cleaned_data if self.is_bound and self.is_valid() else {}

    def days(self, today: dt.date) -> tuple[dt.date, dt.date]:
        """First day of the chosen period and the day after its last."""
        data = self.chosen()
        period = data.get("period") or self.periods[0]
        if period == "custom":
            return data["start"], data["end"] + dt.timedelta(days=1)
        return span(period, today)
