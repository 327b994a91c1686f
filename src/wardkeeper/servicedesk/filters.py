"""One FilterSet per list: pages, the API and exports share them."""

from __future__ import annotations

import django_filters
from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from wardkeeper.inventory.models import Department
from wardkeeper.servicedesk.choices import OPEN_STATES, Category, Priority, TicketState
from wardkeeper.servicedesk.models import Team, Ticket


def assignees(request: object) -> QuerySet:
    """Only people who have had a ticket, not every account of the hospital."""
    user = get_user_model()
    return user.objects.filter(
        pk__in=Ticket.objects.exclude(assignee=None).values("assignee")
    ).order_by("username")


class TicketFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        method="search", label=_("Reference, summary or asset tag")
    )
    open = django_filters.BooleanFilter(method="only_open", label=_("Open only"))
    state = django_filters.MultipleChoiceFilter(
        label=_("State"), choices=TicketState.choices
    )
    priority = django_filters.MultipleChoiceFilter(
        label=_("Priority"), choices=Priority.choices
    )
    category = django_filters.MultipleChoiceFilter(
        label=_("Category"), choices=Category.choices
    )
    team = django_filters.ModelChoiceFilter(
        label=_("Team"), queryset=Team.objects.all()
    )
    assignee = django_filters.ModelChoiceFilter(label=_("Engineer"), queryset=assignees)
    department = django_filters.ModelChoiceFilter(
        label=_("Department"), queryset=Department.objects.all()
    )
    # By id: links from a place's or an asset's page (never a select of all).
    location = django_filters.NumberFilter(label=_("Place"))
    asset = django_filters.NumberFilter(label=_("Asset"))
    sort = django_filters.OrderingFilter(
        label=_("Sort by"),
        fields=(
            ("priority", "priority"),
            ("created_at", "created"),
            ("restore_due_at", "due"),
            ("updated_at", "updated"),
            ("state", "state"),
        ),
        field_labels={
            "priority": _("priority (P1 first)"),
            "-priority": _("priority (P4 first)"),
            "created_at": _("oldest first"),
            "-created_at": _("newest first"),
            "restore_due_at": _("restore due soonest"),
            "-restore_due_at": _("restore due latest"),
            "updated_at": _("least recently updated"),
            "-updated_at": _("recently updated"),
            "state": _("state"),
            "-state": _("state (descending)"),
        },
    )

    class Meta:
        model = Ticket
        fields = ["q"]

    def search(
        self, queryset: QuerySet[Ticket], name: str, value: str
    ) -> QuerySet[Ticket]:
        value = value.strip()
        if not value:
            return queryset
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
