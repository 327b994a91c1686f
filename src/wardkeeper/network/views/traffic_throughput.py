"""Throughput paths: each throughput check as a path (from, to, size), its
last Mbit/s and medians, and a chart of Mbit/s over time."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from wardkeeper.core.views.generic import Column, ObjectList
from wardkeeper.monitoring.filters import CheckFilter
from wardkeeper.monitoring.models import Check
from wardkeeper.network.services import throughput

RATE_CELL = "network/traffic/throughput_rate.html"
TARGET_CELL = "network/traffic/throughput_target.html"


class ThroughputList(ObjectList):
    model = Check
    filterset_class = CheckFilter
    template_name = "network/traffic/throughput.html"
    filter_fields = ["q"]
    paginate_by = 20  # each path is a line of the chart
    columns = [
        Column(_("Status"), "status", badge=True),
        Column(_("Path"), "name", link=True, css="wk-wrap"),
        Column(_("From"), "path_from", css="wk-wrap"),
        Column(_("To"), "path_to", template=TARGET_CELL),
        Column(_("Size (MB)"), "size_mb", css="text-end", template=RATE_CELL),
        Column(
            _("Last (Mbit/s)"), "figures.last_mbps", css="text-end", template=RATE_CELL
        ),
        Column(
            _("24 h median"), "figures.median_24h", css="text-end", template=RATE_CELL
        ),
        Column(
            _("7 d median"), "figures.median_7d", css="text-end", template=RATE_CELL
        ),
    ]

    def get_queryset(self) -> QuerySet[Check]:
        return throughput.paths()

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        span = self.request.GET.get("range", throughput.DEFAULT_RANGE)
        span = span if span in throughput.RANGES else throughput.DEFAULT_RANGE
        rows = list(context["object_list"])
        found = throughput.figures(rows, span)
        for row in rows:
            row.figures = found[row.pk]
            row.path_from = throughput.source_of(row)
            row.path_to = throughput.target_of(row)
            row.size_mb = throughput.size_mb(row)
        query = self.request.GET.copy()
        query.pop("range", None)
        query.pop("page", None)
        context.update(
            object_list=rows,
            span=span,
            ranges=[(key, label) for key, (_w, label) in throughput.RANGES.items()],
            range_query=query.urlencode(),
            chart=throughput.chart(rows, found, span),
        )
        return context
