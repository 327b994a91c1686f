"""One FilterSet per list: pages, the API and exports share them."""

from __future__ import annotations

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from wardkeeper.servicedesk.choices import OPEN_STATES, Category, Priority, TicketState
from wardkeeper.servicedesk.models import Ticket


class TicketFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"))
    state = django_filters.MultipleChoiceFilter(choices=TicketState.choices)
    open = django_filters.BooleanFilter(method="only_open", label=_("Open only"))
    priority = django_filters.MultipleChoiceFilter(choices=Priority.choices)
    category = django_filters.MultipleChoiceFilter(choices=Category.choices)

    class Meta:
        model = Ticket
        fields = ["team", "assignee", "department", "location", "asset"]

    def search(
        self, queryset: QuerySet[Ticket], name: str, value: str
    ) -> QuerySet[Ticket]:
        by_number = queryset.for_reference(value)  # type: ignore[attr-defined]
        return queryset.filter(
            Q(pk__in=by_number.values("pk"))
            | Q(title__icontains=value)
            | Q(asset__tag__iexact=value)
        )

    def only_open(
        self, queryset: QuerySet[Ticket], name: str, value: bool | None
    ) -> QuerySet[Ticket]:
        if value is None:
            return queryset
        return (
            queryset.filter(state__in=OPEN_STATES)
            if value
            else queryset.exclude(state__in=OPEN_STATES)
        )
