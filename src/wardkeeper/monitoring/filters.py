"""One FilterSet per list of monitoring: pages and the API share them."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from wardkeeper.monitoring.choices import (
    AlertState,
    CheckKind,
    CheckStatus,
    Severity,
)
from wardkeeper.monitoring.models import (
    Alert,
    AlertRule,
    Check,
    CheckTemplate,
    MaintenanceWindow,
)
from wardkeeper.servicedesk.models import Team


class CheckFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Name, host or asset tag"))
    status = django_filters.MultipleChoiceFilter(
        label=_("Status"), choices=CheckStatus.choices
    )
    kind = django_filters.MultipleChoiceFilter(
        label=_("Kind"), choices=CheckKind.choices
    )
    team = django_filters.ModelChoiceFilter(
        label=_("Team"), queryset=Team.objects.all()
    )
    service = django_filters.CharFilter(label=_("Service"), lookup_expr="iexact")
    # By id: links from an asset's page (never a select of every asset).
    asset = django_filters.NumberFilter(label=_("Asset"))
    enabled = django_filters.BooleanFilter(label=_("Enabled"))

    class Meta:
        model = Check
        fields = ["q", "status", "kind", "team", "service", "asset", "enabled"]

    def search(self, queryset: QuerySet[Check], name: str, value: str) -> Any:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(name__icontains=value)
            | Q(host__icontains=value)
            | Q(asset__tag__iexact=value)
        )


class AlertFilter(django_filters.FilterSet):
    state = django_filters.MultipleChoiceFilter(
        label=_("State"), choices=AlertState.choices
    )
    severity = django_filters.MultipleChoiceFilter(
        label=_("Severity"), choices=Severity.choices
    )
    source = django_filters.NumberFilter(label=_("Check"))

    class Meta:
        model = Alert
        fields = ["state", "severity", "source"]


class MaintenanceWindowFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        field_name="name", lookup_expr="icontains", label=_("Name")
    )

    class Meta:
        model = MaintenanceWindow
        fields = ["q", "recurrence"]


class CheckTemplateFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        field_name="name", lookup_expr="icontains", label=_("Name")
    )

    class Meta:
        model = CheckTemplate
        fields = ["q", "asset_type", "kind", "is_active"]


class AlertRuleFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        field_name="name", lookup_expr="icontains", label=_("Name")
    )

    class Meta:
        model = AlertRule
        fields = ["q", "team", "is_active"]
