"""Traffic pages: the busiest and most-erroring ports, one interface's
chart, links with mismatched ends, and where-is-this-host."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wardkeeper.core.errors import DomainError
from wardkeeper.core.views.generic import style_form
from wardkeeper.inventory.models import Location
from wardkeeper.network.models import Interface
from wardkeeper.network.services import traffic_reports as reports
from wardkeeper.network.services import whereis as finder

VIEW = "network.view_interface"


class PeriodSiteForm(forms.Form):
    period = forms.ChoiceField(
        label=_("Period"),
        choices=[(k, label) for k, (_span, label) in reports.PERIODS.items()],
        initial=reports.DEFAULT_PERIOD,
        required=False,
    )
    site = forms.ModelChoiceField(
        label=_("Site"),
        queryset=Location.objects.campuses(),
        required=False,
        empty_label=_("all sites"),
    )

    def chosen(self) -> tuple[str, dt.datetime, Any]:
        data = self.cleaned_data if self.is_valid() else {}
        period = data.get("period") or reports.DEFAULT_PERIOD
        return period, timezone.now() - reports.PERIODS[period][0], data.get("site")


def _form(request: HttpRequest, form_class: type[forms.Form] = PeriodSiteForm) -> Any:
    form = form_class(request.GET or None)
    style_form(form, small=True)
    return form


@login_required
@permission_required(VIEW, raise_exception=True)
def top(request: HttpRequest) -> HttpResponse:
    form = _form(request)
    period, since, site = form.chosen()
    context = {
        "form": form,
        "busiest": reports.busiest(since, site),
        "erroring": reports.erroring(since, site),
        "period": reports.PERIODS[period][1],
    }
    return render(request, "network/traffic/top.html", context)


class PeriodForm(PeriodSiteForm):
    site = None  # type: ignore[assignment]


@login_required
@permission_required(VIEW, raise_exception=True)
def interface_traffic(request: HttpRequest, pk: int) -> HttpResponse:
    interface = get_object_or_404(Interface.objects.select_related("device"), pk=pk)
    form = _form(request, PeriodForm)
    period, since, _site = form.chosen()
    context = {
        "interface": interface,
        "form": form,
        "period": reports.PERIODS[period][1],
        "chart": {
            "start": int(since.timestamp() * 1000),
            "end": int(timezone.now().timestamp() * 1000),
            "series": reports.series(interface, since),
        },
        "names": {
            "in": _("in (bit/s)"),
            "out": _("out (bit/s)"),
            "errors": _("errors/s"),
            "discards": _("discards/s"),
        },
        "neighbours": interface.neighbours.select_related("remote_device"),
        "latest": interface.samples.order_by("-at").first(),
    }
    return render(request, "network/traffic/interface.html", context)


@login_required
@permission_required(VIEW, raise_exception=True)
def mismatches(request: HttpRequest) -> HttpResponse:
    page = Paginator(reports.mismatched_links(), 50).get_page(request.GET.get("page"))
    return render(request, "network/traffic/mismatches.html", {"page_obj": page})


class WhereIsForm(forms.Form):
    q = forms.CharField(
        label=_("IP or MAC address"),
        max_length=60,
        widget=forms.TextInput(
            attrs={"placeholder": "198.51.100.13 / 02:57:4b:00:00:13"}
        ),
    )
    site = forms.ModelChoiceField(
        label=_("Site"),
        queryset=Location.objects.campuses(),
        required=False,
        empty_label=_("all sites"),
    )


@login_required
@permission_required(VIEW, raise_exception=True)
def whereis(request: HttpRequest) -> HttpResponse:
    form = WhereIsForm(request.GET or None)
    style_form(form)
    answer = None
    if form.is_valid():
        try:
            answer = finder.locate(form.cleaned_data["q"], form.cleaned_data["site"])
        except DomainError as error:
            form.add_error("q", error.message)
    return render(
        request, "network/traffic/whereis.html", {"form": form, "answer": answer}
    )
