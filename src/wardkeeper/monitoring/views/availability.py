"""The availability report: a page with period and grouping, and the same
table as CSV, XLSX or PDF."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
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
from wardkeeper.monitoring.models import Check
from wardkeeper.monitoring.services import availability
from wardkeeper.monitoring.services.availability_pdf import report_pdf

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class AvailabilityForm(PeriodForm):
    periods = ("30d", "7d", "month", "last_month", "year", "custom")

    by = forms.ChoiceField(
        label=gettext_lazy("Per"),
        choices=[(k, label) for k, (label, _f) in availability.GROUPINGS.items()],
        initial="service",
        required=False,
    )
    service = forms.CharField(label=gettext_lazy("Service"), required=False)
    department = forms.ModelChoiceField(
        label=gettext_lazy("Department"),
        queryset=Department.objects.all(),
        required=False,
        empty_label=gettext_lazy("any"),
    )

    def bounds(self, today: dt.date) -> tuple[dt.datetime, dt.datetime]:
        """The period as aware datetimes, local midnight to local midnight."""
        start, end = self.days(today)
        zone = timezone.get_current_timezone()
        return (
            dt.datetime.combine(start, dt.time(), zone),
            dt.datetime.combine(end, dt.time(), zone),
        )

    def checks(self) -> Any:
        data = self.chosen()
        rows = Check.objects.all()
        if data.get("service"):
            rows = rows.filter(service__iexact=data["service"])
        if data.get("department"):
            rows = rows.filter(asset__department=data["department"])
        return rows


def _report(request: HttpRequest) -> tuple[AvailabilityForm, availability.Report]:
    form = AvailabilityForm(request.GET or None)
    start, end = form.bounds(timezone.localdate())
    grouping = form.chosen().get("by") or "service"
    return form, availability.compute(
        start, end, grouping=grouping, checks=form.checks()
    )


@login_required
@permission_required("monitoring.view_check", raise_exception=True)
def report(request: HttpRequest) -> HttpResponse:
    form, result = _report(request)
    style_form(form, small=True)
    context = {
        "form": form,
        "report": result,
        "heading": availability.GROUPINGS[result.grouping][0],
        "last_day": result.end - dt.timedelta(days=1),
        "query": request.GET.urlencode(),
    }
    return render(request, "monitoring/availability.html", context)


def _typed(row: list[Any]) -> list[Any]:
    # Workbook cells keep numbers typed only as Decimal or int.
    return [Decimal(str(v)) if isinstance(v, float) else v for v in row]


@login_required
@permission_required("monitoring.view_check", raise_exception=True)
def export(request: HttpRequest, fmt: str) -> HttpResponse | StreamingHttpResponse:
    _form, result = _report(request)
    record_export("availability", fmt, request.GET)
    name = file_name("availability", fmt)
    response: HttpResponse | StreamingHttpResponse
    header, rows = availability.table(result)
    if fmt == "csv":
        response = StreamingHttpResponse(
            csv_chunks(header, rows), content_type="text/csv; charset=utf-8"
        )
    elif fmt == "xlsx":
        buffer = io.BytesIO()
        write_xlsx(header, (_typed(row) for row in rows), buffer, _("Availability"))
        response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    else:
        response = HttpResponse(report_pdf(result), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
