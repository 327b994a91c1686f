"""Findings: what the backup checks found wrong, open and past, by system;
a finding's page shows its evidence and its ticket. A keeper may resolve a
finding by hand (a retired job, a known gap); the checks raise it again on
their next round if the problem is still there."""

from __future__ import annotations

import datetime as dt
from typing import Any

import django_filters
from django.contrib import messages
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _

from wardkeeper.continuity.choices import FindingKind, FindingState
from wardkeeper.continuity.models import Finding, ProtectedSystem
from wardkeeper.continuity.services import findings
from wardkeeper.continuity.views.buttons import button
from wardkeeper.core.views.generic import Column, ObjectDetail, ObjectList

CELLS = "continuity/finding_cells"

# The evidence's keys as people read them; others show as they are.
EVIDENCE_LABELS = {
    "run": _("run"),
    "started_at": _("run started"),
    "tool_message": _("tool's message"),
    "size_bytes": _("size"),
    "median_bytes": _("usual size (median)"),
    "ratio": _("alert ratio"),
    "runs_in_median": _("runs in the median"),
    "change": _("change"),
    "last_success": _("last successful backup"),
    "rpo_minutes": _("RPO (minutes)"),
    "jobs": _("jobs"),
    "last_written": _("last written"),
    "stale_days": _("alert after (days)"),
    "copies": _("copies"),
    "media": _("kinds of medium"),
    "offsite": _("offsite copies"),
    "missing": _("missing"),
}


class FindingFilter(django_filters.FilterSet):
    """Open findings unless asked otherwise (``state=`` shows all)."""

    q = django_filters.CharFilter(method="search", label=_("Search"))
    state = django_filters.ChoiceFilter(
        choices=FindingState.choices, label=_("State"), empty_label=_("any")
    )
    kind = django_filters.ChoiceFilter(
        choices=FindingKind.choices, label=_("Kind"), empty_label=_("any")
    )
    system = django_filters.ModelChoiceFilter(
        queryset=ProtectedSystem.objects.all(), label=_("System")
    )

    class Meta:
        model = Finding
        fields = ["q", "state", "kind", "system"]

    def __init__(self, data: Any = None, *args: Any, **kwargs: Any) -> None:
        if data is None or "state" not in data:
            data = data.copy() if data is not None else QueryDict(mutable=True)
            data["state"] = FindingState.OPEN
        super().__init__(data, *args, **kwargs)

    def search(self, queryset: QuerySet[Finding], name: str, value: str) -> Any:
        return queryset.filter(
            Q(message__icontains=value) | Q(system__name__icontains=value)
        )


class FindingList(ObjectList):
    model = Finding
    queryset = Finding.objects.select_related("system", "ticket").order_by(
        "-opened_at", "-pk"
    )
    filterset_class = FindingFilter
    template_name = "continuity/finding_list.html"
    filter_fields = ("q", "state", "kind", "system")
    columns = [
        Column(_("Opened"), "opened_at", template=f"{CELLS}/opened.html"),
        Column(_("State"), "state", template=f"{CELLS}/state.html"),
        Column(_("Finding"), "message", link=True, css="wk-wrap wk-wide"),
        Column(_("System"), "system"),
        Column(_("Ticket"), "ticket", template=f"{CELLS}/ticket.html"),
    ]

    def split_filters(self, form: Any) -> dict[str, Any]:
        split = super().split_filters(form)
        # "open" is where the filter starts, not a choice of the reader's: on
        # a phone the filters stay folded until one differs from that.
        query = self.request.GET
        split["filter_open"] = any(query.get(name) for name in ("kind", "system")) or (
            query.get("state", FindingState.OPEN) != FindingState.OPEN
        )
        return split


class FindingDetail(ObjectDetail):
    model = Finding
    queryset = Finding.objects.select_related("system", "job", "destination", "ticket")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["evidence"] = readable_evidence(self.object.evidence or {})
        return context


def readable_evidence(evidence: dict[str, Any]) -> list[tuple[str, str]]:
    """(label, value) rows: sizes in bytes as sizes, ISO times in local time."""
    rows = []
    for key, value in evidence.items():
        rows.append((str(EVIDENCE_LABELS.get(key, key)), _readable(key, value)))
    return rows


def _readable(key: str, value: Any) -> str:
    if value is None:
        return "-"
    if key.endswith("_bytes") and isinstance(value, int | float):
        return f"{filesizeformat(value)} ({int(value):,})"
    if key == "change" and isinstance(value, int | float):
        return f"{value:+.0%}"
    if isinstance(value, list):
        return ", ".join(str(item) for item in value) or "-"
    if isinstance(value, str) and (key.endswith("_at") or key.startswith("last_")):
        try:
            moment = dt.datetime.fromisoformat(value)
        except ValueError:
            return value
        return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")
    return str(value)


@button("continuity.change_finding")
def resolve(request: HttpRequest, pk: int) -> HttpResponse:
    """Resolve an open finding by hand, with the user's note on its ticket."""
    finding = get_object_or_404(Finding, pk=pk)
    done = findings.resolve_by_hand(finding, actor=request.user)
    if done is None:
        messages.info(request, _t("This finding was already resolved."))
    else:
        messages.success(
            request, _t("Resolved. The checks raise it again if it persists.")
        )
    return redirect(finding.get_absolute_url())
