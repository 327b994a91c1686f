"""Forms and filters of runbooks, drills and the drill coverage view."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from wardkeeper.continuity.choices import RunbookState
from wardkeeper.continuity.models import (
    Drill,
    ProtectedSystem,
    Runbook,
    RunbookStep,
)
from wardkeeper.continuity.services import runbooks
from wardkeeper.core.models import User
from wardkeeper.inventory.choices import Criticality

WHEN = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class RunbookFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Title or system"))
    system = django_filters.ModelChoiceFilter(
        queryset=ProtectedSystem.objects.order_by("name"), label=_("System")
    )
    state = django_filters.ChoiceFilter(
        choices=RunbookState.choices, label=_("State"), empty_label=_("any")
    )

    class Meta:
        model = Runbook
        fields = ["q", "system", "state"]

    def search(
        self, rows: QuerySet[Runbook], name: str, value: str
    ) -> QuerySet[Runbook]:
        text = value.strip()
        return rows.filter(Q(title__icontains=text) | Q(system__name__icontains=text))


class DrillFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Title or system"))
    system = django_filters.ModelChoiceFilter(
        field_name="runbook__system",
        queryset=ProtectedSystem.objects.order_by("name"),
        label=_("System"),
    )

    class Meta:
        model = Drill
        fields = ["q", "state", "system"]

    def search(self, rows: QuerySet[Drill], name: str, value: str) -> QuerySet[Drill]:
        text = value.strip()
        return rows.filter(
            Q(title__icontains=text) | Q(runbook__system__name__icontains=text)
        )


class CoverageFilter(django_filters.FilterSet):
    criticality = django_filters.ChoiceFilter(
        choices=Criticality.choices, label=_("Criticality"), empty_label=_("any")
    )
    uncovered = django_filters.BooleanFilter(label=_("No drill in 12 months"))

    class Meta:
        model = ProtectedSystem
        fields = ["criticality", "uncovered"]


class RunbookForm(forms.ModelForm):
    class Meta:
        model = Runbook
        fields = ["system", "title", "summary", "contacts", "downtime_procedure"]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 3}),
            "contacts": forms.Textarea(attrs={"rows": 4}),
            "downtime_procedure": forms.Textarea(attrs={"rows": 5}),
        }

    def __init__(self, *args: Any, actor: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.actor = actor
        if self.instance.pk:
            # A version belongs to its system for good.
            self.fields["system"].disabled = True

    def save(self, commit: bool = True) -> Runbook:
        if self.instance.pk:
            return runbooks.save_draft(self.instance, actor=self.actor)
        return runbooks.create_runbook(self.instance, actor=self.actor)


class RunbookStepForm(forms.ModelForm):
    """A step of a draft; "after" offers the runbook's other steps."""

    class Meta:
        model = RunbookStep
        fields = ["title", "role", "expected_minutes", "instructions", "depends_on"]
        widgets = {
            "instructions": forms.Textarea(attrs={"rows": 3}),
            "depends_on": forms.CheckboxSelectMultiple,
        }

    def __init__(
        self, *args: Any, runbook: Runbook, actor: Any = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.instance.runbook = runbook
        self.actor = actor
        others = runbook.steps.order_by("position")
        if self.instance.pk:
            others = others.exclude(pk=self.instance.pk)
        field = self.fields["depends_on"]
        field.queryset = others  # type: ignore[attr-defined]
        field.required = False
        field.help_text = _("Steps that must be finished before this one starts.")

    def save(self, commit: bool = True) -> RunbookStep:
        after = self.cleaned_data.get("depends_on") or []
        return runbooks.save_step(self.instance, after, actor=self.actor)


class DrillForm(forms.ModelForm):
    """Schedule a drill of an approved runbook."""

    class Meta:
        model = Drill
        fields = ["runbook", "title", "scenario", "scheduled_for", "leader"]
        widgets = {
            "scenario": forms.Textarea(attrs={"rows": 3}),
            "scheduled_for": WHEN,
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        runbook = self.fields["runbook"]
        runbook.queryset = Runbook.objects.filter(  # type: ignore[attr-defined]
            state=RunbookState.APPROVED
        ).select_related("system")
        runbook.help_text = _("Only approved runbooks can be rehearsed.")
        self.fields["leader"].queryset = User.objects.filter(  # type: ignore[attr-defined]
            is_active=True
        ).order_by("username")
        self.fields["scheduled_for"].input_formats = ["%Y-%m-%dT%H:%M"]  # type: ignore[attr-defined]
        if self.instance.pk:
            self.fields["runbook"].disabled = True


class DrillFinishForm(forms.ModelForm):
    """The achieved RPO and the lessons learned (at the end and after)."""

    class Meta:
        model = Drill
        fields = ["data_loss_minutes", "lessons"]
        widgets = {"lessons": forms.Textarea(attrs={"rows": 6})}


class StepNotesForm(forms.Form):
    notes = forms.CharField(
        label=_("Notes"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class IssueForm(forms.Form):
    title = forms.CharField(label=_("Issue"), max_length=200)
    description = forms.CharField(
        label=_("What happened"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
