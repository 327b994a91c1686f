"""The backup and recovery dashboard: headline figures and one row per
protected system, with CSV, XLSX and PDF exports of the same rows."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required, permission_required
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase

from wardkeeper.continuity.forms_systems import ProtectedSystemFilter
from wardkeeper.continuity.models import ProtectedSystem
from wardkeeper.continuity.services import criticality, dashboard, storage
from wardkeeper.continuity.services.dashboard_pdf import dashboard_pdf
from wardkeeper.continuity.views.systems import with_spans
from wardkeeper.core.views.generic import ObjectList
from wardkeeper.inventory.transfer.exporting import file_name, record_export
from wardkeeper.inventory.transfer.http import file_response

FORMATS = ("csv", "xlsx", "pdf")


class Dashboard(ObjectList):
    """Headline figures over every system the filter keeps; the rows of the
    page below them, most critical first."""

    model = ProtectedSystem
    filterset_class = ProtectedSystemFilter
    filter_fields = ("q", "criticality", "team")
    filter_more = ("owner", "vendor", "asset")
    template_name = "continuity/dashboard.html"

    def get_queryset(self) -> QuerySet[ProtectedSystem]:
        return criticality.ordered(ProtectedSystem.objects.all())

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        rows = dashboard.rows_for(with_spans(list(context["object_list"])))
        # One page holds every system the filter keeps: count its rows.
        whole = not context.get("is_paginated")
        top = dashboard.summarize(rows) if whole else None
        systems = context["filter"].qs
        context.update(
            rows=rows,
            headline=top or dashboard.headline(systems),
            storage=storage.array_rows(systems),
        )
        return context


@login_required
@permission_required("continuity.view_protectedsystem", raise_exception=True)
def dashboard_export(request: HttpRequest, fmt: str) -> HttpResponseBase:
    if fmt not in FORMATS:
        raise Http404
    systems = ProtectedSystemFilter(
        request.GET, queryset=ProtectedSystem.objects.all()
    ).qs
    record_export("continuity-dashboard", fmt, request.GET)
    name = file_name("continuity-dashboard", fmt)
    if fmt == "pdf":
        response = HttpResponse(dashboard_pdf(systems), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
    header, rows = dashboard.export_table(systems)
    return file_response("continuity-dashboard", fmt, header, rows, name)
