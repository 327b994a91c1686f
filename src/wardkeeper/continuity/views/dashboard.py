"""The backup and recovery dashboard: headline figures and one row per
protected system, with CSV, XLSX and PDF exports of the same rows."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpRequest
from django.http.response import HttpResponseBase

from wardkeeper.continuity.services import dashboard, storage
from wardkeeper.continuity.services.dashboard_pdf import dashboard_pdf
from wardkeeper.continuity.views.systems import SystemPage, systems_export, with_spans


class Dashboard(SystemPage):
    """Headline figures over every system the filter keeps; the rows of the
    page below them, most critical first."""

    template_name = "continuity/dashboard.html"

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
    return systems_export(
        request,
        "continuity-dashboard",
        fmt,
        dashboard.export_table,
        pdf=dashboard_pdf,
    )
