"""The audit trail's FilterSet, shared by the page, its export and the API."""

from __future__ import annotations

import datetime as dt
from typing import Any

import django_filters as filters
from django import forms
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from wardkeeper.core.models.audit import AuditAction, AuditEntry, AuditSource
from wardkeeper.core.models.base import AuditedModel

_INPUT = {"class": "form-control form-control-sm"}
_SELECT = {"class": "form-select form-select-sm"}


def object_type_choices() -> list[tuple[str, str]]:
    """Audited models as ``app_label.model`` with their names (no query: the
    app registry knows them)."""
    user_model = get_user_model()
    models = [
        model
        for model in apps.get_models()
        if issubclass(model, AuditedModel) or model is user_model
    ]
    choices = [
        (
            f"{m._meta.app_label}.{m._meta.model_name}",
            str(capfirst(m._meta.verbose_name)),
        )
        for m in models
    ]
    return sorted(choices, key=lambda choice: choice[1])


def _start_of(day: dt.date) -> dt.datetime:
    """Midnight in the configured zone, so a date means the hospital's day."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


class AuditEntryFilter(filters.FilterSet):
    """Time range, actor, source, action, object type, object and flagged."""

    since = filters.DateFilter(
        label=_("From"),
        method="filter_since",
        widget=forms.DateInput(attrs={**_INPUT, "type": "date"}),
    )
    until = filters.DateFilter(
        label=_("To"),
        method="filter_until",
        widget=forms.DateInput(attrs={**_INPUT, "type": "date"}),
    )
    actor = filters.CharFilter(
        label=_("Actor"),
        field_name="actor_name",
        lookup_expr="icontains",
        widget=forms.TextInput(attrs=_INPUT),
    )
    source = filters.ChoiceFilter(
        label=_("Source"),
        choices=AuditSource.choices,
        empty_label=_("any"),
        widget=forms.Select(attrs=_SELECT),
    )
    action = filters.ChoiceFilter(
        label=_("Action"),
        choices=AuditAction.choices,
        empty_label=_("any"),
        widget=forms.Select(attrs=_SELECT),
    )
    object_type = filters.ChoiceFilter(
        label=_("Object type"),
        choices=object_type_choices,
        empty_label=_("any"),
        method="filter_object_type",
        widget=forms.Select(attrs=_SELECT),
    )
    object = filters.CharFilter(
        label=_("Object"),
        method="filter_object",
        widget=forms.TextInput(attrs={**_INPUT, "placeholder": _("id or name")}),
    )
    # Exact object id, for the "full trail" link from an object's page.
    object_id = filters.CharFilter(label=_("Object id"), widget=forms.HiddenInput)
    flagged = filters.BooleanFilter(
        label=_("Flagged only"),
        method="filter_flagged",
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )

    class Meta:
        model = AuditEntry
        fields: list[str] = []

    def filter_since(
        self, queryset: QuerySet[AuditEntry], name: str, value: dt.date
    ) -> QuerySet[AuditEntry]:
        return queryset.filter(at__gte=_start_of(value))

    def filter_until(
        self, queryset: QuerySet[AuditEntry], name: str, value: dt.date
    ) -> QuerySet[AuditEntry]:
        # The end date is included: entries before the next day's midnight.
        return queryset.filter(at__lt=_start_of(value + dt.timedelta(days=1)))

    def filter_object_type(
        self, queryset: QuerySet[AuditEntry], name: str, value: str
    ) -> QuerySet[AuditEntry]:
        app_label, _dot, model_name = value.partition(".")
        try:  # cached by Django after the first look-up
            content_type = ContentType.objects.get_by_natural_key(app_label, model_name)
        except ContentType.DoesNotExist:
            return queryset.none()
        return queryset.filter(content_type=content_type)

    def filter_object(
        self, queryset: QuerySet[AuditEntry], name: str, value: str
    ) -> QuerySet[AuditEntry]:
        text = value.strip()
        return queryset.filter(Q(object_id=text) | Q(object_repr__icontains=text))

    def filter_flagged(
        self, queryset: QuerySet[AuditEntry], name: str, value: Any
    ) -> QuerySet[AuditEntry]:
        return queryset.filter(flagged=True) if value else queryset

    @property
    def is_filtered(self) -> bool:
        """Whether any filter narrows the list (an unfiltered count is known)."""
        data = self.form.cleaned_data if self.form.is_valid() else {}
        return any(value not in (None, "", False) for value in data.values())
