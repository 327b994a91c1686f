"""Filters of the channel and delivery lists."""

from __future__ import annotations

from typing import Any

import django_filters as filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from wardkeeper.core.models.notifications import (
    Channel,
    ChannelKind,
    Delivery,
    DeliveryState,
    NotificationEvent,
)

ANY = _("any")


class ChannelFilter(filters.FilterSet):
    q = filters.CharFilter(
        label=_("Search"), field_name="name", lookup_expr="icontains"
    )
    kind = filters.ChoiceFilter(
        label=_("Kind"), choices=ChannelKind.choices, empty_label=ANY
    )
    is_active = filters.BooleanFilter(label=_("Active"))

    class Meta:
        model = Channel
        fields = ["q", "kind", "is_active"]


class DeliveryFilter(filters.FilterSet):
    q = filters.CharFilter(label=_("Search"), method="filter_q")
    state = filters.ChoiceFilter(
        label=_("State"), choices=DeliveryState.choices, empty_label=ANY
    )
    kind = filters.ChoiceFilter(
        label=_("Kind"), choices=ChannelKind.choices, empty_label=ANY
    )
    event = filters.ChoiceFilter(
        label=_("Event"), choices=NotificationEvent.choices, empty_label=ANY
    )

    class Meta:
        model = Delivery
        fields = ["q", "state", "kind", "event"]

    def filter_q(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return queryset.filter(
            Q(subject__icontains=value)
            | Q(user__username__icontains=value)
            | Q(channel__name__icontains=value)
        )
