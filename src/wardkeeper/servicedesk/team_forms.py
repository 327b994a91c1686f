"""Forms and the list filter of the team and rota pages."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet
from django.forms import inlineformset_factory
from django.utils.translation import gettext_lazy as _

from wardkeeper.inventory.choices import LocationKind
from wardkeeper.inventory.models import Location
from wardkeeper.servicedesk.choices import Category
from wardkeeper.servicedesk.models import Rota, RotaMember, RotaOverride, Shift, Team

# A browser's datetime-local input speaks ISO without seconds.
WHEN = {"type": "datetime-local"}
WHEN_FORMAT = "%Y-%m-%dT%H:%M"


def when_widget() -> forms.DateTimeInput:
    return forms.DateTimeInput(attrs=WHEN, format=WHEN_FORMAT)


def engineers() -> QuerySet[Any]:
    return get_user_model().objects.filter(is_active=True).order_by("username")


def team_people(team: Team) -> QuerySet[Any]:
    """The team's members and lead (everyone active when it has none yet)."""
    people = engineers()
    if team.lead_id or team.members.exists():
        people = people.filter(Q(service_teams=team) | Q(led_teams=team)).distinct()
    return people


class TeamFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"))
    is_active = django_filters.BooleanFilter(label=_("active"))

    class Meta:
        model = Team
        fields = ["q", "is_active"]

    def search(self, queryset: QuerySet[Team], name: str, value: str) -> QuerySet[Team]:
        return queryset.filter(Q(name__icontains=value) | Q(code__icontains=value))


class TeamForm(forms.ModelForm):
    categories = forms.MultipleChoiceField(
        label=_("categories"),
        choices=Category.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The ticket categories this team takes."),
    )

    class Meta:
        model = Team
        fields = [
            "code",
            "name",
            "categories",
            "locations",
            "lead",
            "members",
            "email",
            "is_active",
        ]
        help_texts = {
            "locations": _(
                "Leave empty to serve everywhere. Where teams overlap, the one "
                "serving the smallest place that holds the ticket's place wins."
            ),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Teams serve campuses, buildings or floors: a list of every room
        # would be thousands long.
        fields: dict[str, Any] = self.fields
        fields["locations"].queryset = Location.objects.exclude(kind=LocationKind.ROOM)
        fields["lead"].queryset = engineers()
        fields["members"].queryset = engineers()
        fields["locations"].widget.attrs["size"] = 8
        fields["members"].widget.attrs["size"] = 8


class RotaForm(forms.ModelForm):
    class Meta:
        model = Rota
        fields = [
            "name",
            "kind",
            "order",
            "time_zone",
            "starts_on",
            "handover_weekday",
            "handover_time",
            "is_active",
        ]
        widgets = {
            "starts_on": forms.DateInput(),
            "handover_time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        }
        help_texts = {
            "starts_on": _(
                "Weekly rotation: the first person takes over at the first "
                "handover on or after this day."
            ),
        }


RotaMemberFormSet: Any = inlineformset_factory(
    Rota,
    RotaMember,
    fields=["user", "position"],
    extra=3,
    can_delete=True,
)


class ShiftForm(forms.ModelForm):
    class Meta:
        model = Shift
        fields = ["engineer", "starts_at", "ends_at"]
        widgets = {"starts_at": when_widget(), "ends_at": when_widget()}


class OverrideForm(forms.ModelForm):
    class Meta:
        model = RotaOverride
        fields = ["covers_for", "engineer", "starts_at", "ends_at", "reason"]
        widgets = {"starts_at": when_widget(), "ends_at": when_widget()}
