"""The service-desk dashboard: the figures of a period, as cards, charts and
tables, and the same tables as CSV or XLSX."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wardkeeper.core.periods import PeriodForm
from wardkeeper.core.views.generic import style_form
from wardkeeper.inventory.models import Department
from wardkeeper.inventory.transfer.exporting import (
    csv_chunks,
    file_name,
    record_export,
    write_xlsx,
)
from wardkeeper.servicedesk.choices import Category, Priority
from wardkeeper.servicedesk.models import Team
from wardkeeper.servicedesk.services import figures


class FiguresForm(PeriodForm):
    periods = ("month", "last_month", "30d", "year", "12m", "custom")

    team = forms.ModelChoiceField(
        label=gettext_lazy("Team"), queryset=Team.objects.all(), required=False
    )
    department = forms.ModelChoiceField(
        label=gettext_lazy("Department"),
        queryset=Department.objects.all(),
        required=False,
    )
    category = forms.ChoiceField(
        label=gettext_lazy("Category"),
        choices=[("", "---------"), *Category.choices],
        required=False,
    )
    priority = forms.TypedChoiceField(
        label=gettext_lazy("Priority"),
        choices=[("", "---------"), *Priority.choices],
        coerce=int,
        empty_value=None,
        required=False,
    )

    def filters(self) -> dict[str, Any]:
        data = self.chosen()
        return {
            name: data[name]
            for name in ("team", "department", "category", "priority")
            if data.get(name) not in (None, "")
        }


def _compute(request: HttpRequest) -> tuple[FiguresForm, figures.Figures]:
    form = FiguresForm(request.GET or None)
    start, end = form.days(timezone.localdate())
    result = figures.compute(start, end, now=timezone.now(), filters=form.filters())
    return form, result


def _hours(seconds: float | None) -> float | None:
    return round(seconds / 3600, 1) if seconds is not None else None


@login_required
@permission_required("servicedesk.view_figures", raise_exception=True)
def dashboard(request: HttpRequest) -> HttpResponse:
    form, result = _compute(request)
    style_form(form, small=True)
    chart = {
        "series": {
            "labels": [
                day.strftime("%Y-%m" if result.series_by_month else "%m-%d")
                for day, _r, _s in result.series
            ],
            "reported": [reported for _d, reported, _s in result.series],
            "resolved": [resolved for _d, _r, resolved in result.series],
        },
        "backlog": {
            "labels": [label for label, _n in result.backlog],
            "values": [count for _l, count in result.backlog],
        },
        "names": {"reported": _("Reported"), "resolved": _("Resolved since")},
    }
    context = {
        "form": form,
        "figures": result,
        "last_day": result.end - dt.timedelta(days=1),
        "chart": chart,
        "breakdowns": [
            (figures.DIMENSION_LABELS[name], rows)
            for name, rows in result.breakdowns.items()
        ],
        "query": request.GET.urlencode(),
    }
    return render(request, "servicedesk/figures_dashboard.html", context)


def _table(result: figures.Figures) -> tuple[list[str], list[list[Any]]]:
    header = [
        _("Breakdown"),
        _("Value"),
        _("Reported"),
        _("Resolved"),
        _("Still open"),
        _("MTTA (hours)"),
        _("MTTR (hours)"),
        _("SLA met (%)"),
        _("Fixed first time (%)"),
    ]
    rows: list[list[Any]] = [
        [_("All"), "", *_numbers(result.total)],
    ]
    for name, breakdown in result.breakdowns.items():
        rows += [
            [str(figures.DIMENSION_LABELS[name]), row.label, *_numbers(row.tally)]
            for row in breakdown
        ]
    return header, rows


def _numbers(tally: figures.Tally) -> list[Any]:
    return [
        tally.reported,
        tally.resolved,
        tally.still_open,
        _hours(tally.mtta_seconds),
        _hours(tally.mttr_seconds),
        tally.sla_percent,
        tally.first_time_fix_percent,
    ]


@login_required
@permission_required("servicedesk.view_figures", raise_exception=True)
def export(request: HttpRequest, fmt: str) -> HttpResponse | StreamingHttpResponse:
    _form, result = _compute(request)
    header, rows = _table(result)
    record_export("service-desk figures", fmt, request.GET)
    name = file_name("servicedesk-figures", fmt)
    response: HttpResponse | StreamingHttpResponse
    if fmt == "csv":
        response = StreamingHttpResponse(
            csv_chunks(header, rows), content_type="text/csv; charset=utf-8"
        )
    else:
        buffer = io.BytesIO()
        write_xlsx(header, rows, buffer, _("Figures"))
        response = HttpResponse(
            buffer.getvalue(),
            content_type=(
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            ),
        )
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
