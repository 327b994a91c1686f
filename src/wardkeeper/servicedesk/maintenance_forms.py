"""Forms and list filters of the maintenance pages: checklists, plans, work
orders, and the checklist a work order is done along."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import django_filters
from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wardkeeper.servicedesk.models import (
    Checklist,
    ChecklistItem,
    ItemKind,
    MaintenancePlan,
    PlanKind,
    WorkOrder,
    WorkOrderAnswer,
    WorkOrderState,
)
from wardkeeper.servicedesk.services.maintenance import Reading


class ChecklistFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        field_name="name", lookup_expr="icontains", label=_("Search")
    )

    class Meta:
        model = Checklist
        fields = ["q"]


class MaintenancePlanFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        field_name="name", lookup_expr="icontains", label=_("Search")
    )
    kind = django_filters.ChoiceFilter(choices=PlanKind.choices, label=_("kind"))
    is_active = django_filters.BooleanFilter(label=_("active"))

    class Meta:
        model = MaintenancePlan
        fields = ["q", "kind", "team", "is_active", "checklist"]


class WorkOrderFilter(django_filters.FilterSet):
    state = django_filters.ChoiceFilter(
        choices=WorkOrderState.choices, label=_("state")
    )
    overdue = django_filters.BooleanFilter(method="only_overdue", label=_("overdue"))

    class Meta:
        model = WorkOrder
        fields = ["state", "plan", "overdue", "team", "assignee", "due_on"]

    def only_overdue(
        self, queryset: QuerySet[WorkOrder], name: str, value: bool | None
    ) -> QuerySet[WorkOrder]:
        if value is None:
            return queryset
        late = Q(state=WorkOrderState.OPEN, due_on__lt=timezone.localdate())
        return queryset.filter(late) if value else queryset.exclude(late)


class ChecklistForm(forms.ModelForm):
    class Meta:
        model = Checklist
        fields = ["name", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class ChecklistItemForm(forms.ModelForm):
    class Meta:
        model = ChecklistItem
        fields = [
            "text",
            "kind",
            "position",
            "required",
            "unit",
            "lower_limit",
            "upper_limit",
            "category",
            "guidance",
        ]


class MaintenancePlanForm(forms.ModelForm):
    class Meta:
        model = MaintenancePlan
        fields = [
            "name",
            "kind",
            "checklist",
            "team",
            "every",
            "frequency",
            "starts_on",
            "lead_days",
            "asset_types",
            "asset_models",
            "locations",
            "description",
            "is_active",
        ]
        widgets = {
            "starts_on": forms.DateInput(),
            "asset_types": forms.SelectMultiple(attrs={"size": 6}),
            "asset_models": forms.SelectMultiple(attrs={"size": 6}),
            "locations": forms.SelectMultiple(attrs={"size": 8}),
            "description": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "locations": _(
                "A round inspects each place listed. Preventive maintenance "
                "covers the assets inside these places (with everything in them)."
            ),
        }

    def clean_every(self) -> int:
        every = self.cleaned_data["every"]
        if every < 1:
            raise forms.ValidationError(_("At least 1."))
        return int(every)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        places = data.get("locations")
        if data.get("kind") == PlanKind.ROUND and not places:
            self.add_error("locations", _("Name the places the round inspects."))
        elif not (places or data.get("asset_types") or data.get("asset_models")):
            self.add_error(
                "asset_types", _("Name asset types, models or places to maintain.")
            )
        return data


class AssignForm(forms.ModelForm):
    class Meta:
        model = WorkOrder
        fields = ["assignee", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        people = get_user_model().objects.filter(is_active=True).order_by("username")
        self.fields["assignee"].queryset = people  # type: ignore[attr-defined]


class SkipForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is it skipped?"), widget=forms.Textarea(attrs={"rows": 2})
    )


PASS, FAIL = "pass", "fail"


class ChecklistAnswerForm(forms.Form):
    """One field per checklist item, named ``item_<id>``. Nothing is required
    here: answers may be saved as they come; completing checks the required
    items (the service says which are missing)."""

    def __init__(
        self,
        items: list[ChecklistItem],
        answers: dict[int, WorkOrderAnswer],
        *args: Any,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.items = items
        for item in items:
            name = f"item_{item.pk}"
            self.fields[name] = self.field_for(item)
            answer = answers.get(item.pk)
            if answer is not None:
                self.initial[name] = self.initial_for(item, answer)

    @staticmethod
    def field_for(item: ChecklistItem) -> forms.Field:
        label = item.text
        if item.kind == ItemKind.CHECK:
            return forms.ChoiceField(
                label=label,
                required=False,
                choices=[(PASS, _("Pass")), (FAIL, _("Fail"))],
                widget=forms.RadioSelect,
            )
        if item.kind == ItemKind.MEASUREMENT:
            return forms.DecimalField(
                label=label,
                required=False,
                max_digits=12,
                decimal_places=3,
                widget=forms.NumberInput(
                    attrs={
                        "inputmode": "decimal",
                        "step": "any",
                        "class": "form-control form-control-lg",
                    }
                ),
            )
        return forms.CharField(
            label=label,
            required=False,
            widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
        )

    @staticmethod
    def initial_for(item: ChecklistItem, answer: WorkOrderAnswer) -> Any:
        if item.kind == ItemKind.CHECK:
            if answer.passed is None:
                return None
            return PASS if answer.passed else FAIL
        if item.kind == ItemKind.MEASUREMENT:
            return answer.value
        return answer.text

    def rows(self) -> list[tuple[ChecklistItem, forms.BoundField]]:
        return [(item, self[f"item_{item.pk}"]) for item in self.items]

    def readings(self) -> dict[int, Reading]:
        readings = {}
        for item in self.items:
            raw = self.cleaned_data.get(f"item_{item.pk}")
            if item.kind == ItemKind.CHECK:
                passed = {PASS: True, FAIL: False}.get(raw or "")
                readings[item.pk] = Reading(passed=passed)
            elif item.kind == ItemKind.MEASUREMENT:
                value = Decimal(raw) if raw is not None else None
                readings[item.pk] = Reading(value=value)
            else:
                readings[item.pk] = Reading(text=raw or "")
        return readings
