"""Remote pollers: list (zone, last seen, version, checks, online), add,
edit (disable), and a new token — shown once, only its hash is kept."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.contrib.auth.decorators import login_required, permission_required
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from wardkeeper.core.views.generic import (
    Column,
    ObjectCreate,
    ObjectDetail,
    ObjectList,
    ObjectUpdate,
)
from wardkeeper.monitoring.models import Check, Poller
from wardkeeper.monitoring.services import pollers
from wardkeeper.monitoring.services.specs import HEARTBEAT

TOKEN_TEMPLATE = "monitoring/pollers/token.html"


class PollerFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        field_name="name", lookup_expr="icontains", label=_("Name")
    )

    class Meta:
        model = Poller
        fields = ["q", "zone", "enabled"]


class PollerForm(forms.ModelForm):
    class Meta:
        model = Poller
        fields = ["name", "zone", "enabled", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class PollerList(ObjectList):
    model = Poller
    filterset_class = PollerFilter
    columns = [
        Column(_("Name"), "name", link=True),
        Column(_("Zone"), "zone"),
        Column(_("State"), "pk", template="monitoring/pollers/cell_state.html"),
        Column(
            _("Last seen"), "last_seen_at", template="monitoring/pollers/cell_seen.html"
        ),
        Column(_("Address"), "last_address"),
        Column(_("Version"), "version"),
        Column(_("Checks"), "checks_count", css="text-end"),
        Column(_("Enabled"), "enabled", yesno=True),
    ]

    def get_queryset(self) -> QuerySet[Poller]:
        return pollers.with_figures(Poller.objects.all())

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        for row in context.get("object_list", []):
            row.online = pollers.is_online(row)
        return context


class PollerDetail(ObjectDetail):
    model = Poller
    template_name = "monitoring/pollers/detail.html"

    def get_template_names(self) -> list[str]:
        return [self.template_name]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        poller = self.object
        checks = Check.objects.filter(poller=poller).order_by("name", "pk")
        context.update(
            online=pollers.is_online(poller),
            heartbeat=checks.filter(kind=HEARTBEAT).first(),
            checks=checks.exclude(kind=HEARTBEAT)[:200],
            checks_count=checks.exclude(kind=HEARTBEAT).count(),
            heartbeat_seconds=pollers.heartbeat_seconds(),
            offline_after=int(pollers.offline_after().total_seconds()),
            server_url=self.request.build_absolute_uri("/").rstrip("/"),
        )
        return context


class PollerCreate(ObjectCreate):
    model = Poller
    form_class = PollerForm

    def form_valid(self, form: Any) -> HttpResponse:
        with transaction.atomic():
            poller = form.save(commit=False)
            raw = poller.new_token()
            poller.save()
            pollers.heartbeat_check(poller)
        return _show_token(self.request, poller, raw)


class PollerUpdate(ObjectUpdate):
    model = Poller
    form_class = PollerForm

    def form_valid(self, form: Any) -> HttpResponse:
        with transaction.atomic():
            response = super().form_valid(form)
            pollers.heartbeat_check(self.object)
        return response


def _show_token(request: HttpRequest, poller: Poller, raw: str) -> HttpResponse:
    """The one page that ever shows the token (never cached)."""
    response = render(
        request,
        TOKEN_TEMPLATE,
        {
            "object": poller,
            "token": raw,
            "server_url": request.build_absolute_uri("/").rstrip("/"),
            "detail_url": reverse("monitoring:poller-detail", args=[poller.pk]),
        },
    )
    response["Cache-Control"] = "no-store"
    return response


@login_required
@permission_required("monitoring.change_poller", raise_exception=True)
@require_POST
def new_token(request: HttpRequest, pk: int) -> HttpResponse:
    """Replace the poller's token: the old one stops working at once."""
    with transaction.atomic():
        poller = get_object_or_404(Poller.objects.select_for_update(), pk=pk)
        raw = poller.new_token()
        poller.save()
    return _show_token(request, poller, raw)
