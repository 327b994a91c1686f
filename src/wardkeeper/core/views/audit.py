"""The audit trail's pages: the filtered list, one entry with its hashes, and
the export of a filtered range. Read-only: no view here changes an entry."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_safe

from wardkeeper.core.auditing import export
from wardkeeper.core.auditing.display import describe
from wardkeeper.core.auditing.filters import AuditEntryFilter
from wardkeeper.core.models.audit import GENESIS, AuditChainHead, AuditEntry

PAGE_SIZE = 50


class _KnownCountPaginator(Paginator):
    """Counting millions of rows is slow; the chain head knows how many
    entries there are, which is the count of the unfiltered list."""

    def __init__(self, *args: Any, known_count: int | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self._known_count = known_count

    @property
    def count(self) -> int:
        if self._known_count is not None:
            return self._known_count
        return super().count


def _filtered(request: HttpRequest) -> AuditEntryFilter:
    queryset = AuditEntry.objects.select_related("content_type")
    return AuditEntryFilter(request.GET, queryset=queryset, request=request)


@require_safe
@login_required
@permission_required("core.view_auditentry", raise_exception=True)
def audit_list(request: HttpRequest) -> HttpResponse:
    filterset = _filtered(request)
    known = None
    if not filterset.is_filtered:
        known = AuditChainHead.objects.values_list("entries", flat=True).first()
    paginator = _KnownCountPaginator(filterset.qs, PAGE_SIZE, known_count=known)
    page = paginator.get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "core/audit_list.html",
        {
            "filter": filterset,
            "page_obj": page,
            "entries": describe(list(page.object_list)),
            "querystring": query.urlencode(),
            "can_export": request.user.has_perm("core.export_auditentry"),
        },
    )


@require_safe
@login_required
@permission_required("core.view_auditentry", raise_exception=True)
def audit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    entry = get_object_or_404(AuditEntry.objects.select_related("content_type"), pk=pk)
    previous = AuditEntry.objects.filter(id__lt=entry.id).order_by("-id").first()
    if previous is not None:
        expected_prev = previous.hash
    else:  # the oldest surviving entry links to the anchor left by pruning
        head = AuditChainHead.objects.filter(pk=1).first()
        expected_prev = head.anchor_hash if head else GENESIS
    describe([entry], limit=100_000)
    return render(
        request,
        "core/audit_detail.html",
        {
            "entry": entry,
            "previous": previous,
            "content_intact": entry.compute_hash() == entry.hash,
            "link_intact": entry.prev_hash == expected_prev,
        },
    )


@require_safe
@login_required
@permission_required(
    ["core.view_auditentry", "core.export_auditentry"], raise_exception=True
)
def audit_export(request: HttpRequest) -> StreamingHttpResponse:
    """The filtered range as CSV or JSON Lines, streamed; the export is audited."""
    fmt = request.GET.get("format", "")
    if fmt not in {choice.value for choice in export.ExportFormat}:
        fmt = export.ExportFormat.CSV.value
    queryset = export.frozen(_filtered(request).qs)
    query = request.GET.copy()
    query.pop("format", None)
    export.record_export(
        queryset.count(), fmt, f"web, filters: {query.urlencode() or 'none'}"
    )
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    content_type = (
        "text/csv; charset=utf-8"
        if fmt == export.ExportFormat.CSV
        else "application/x-ndjson; charset=utf-8"
    )
    response = StreamingHttpResponse(
        export.lines(queryset, fmt), content_type=content_type
    )
    response["Content-Disposition"] = (
        f'attachment; filename="wardkeeper-audit-{stamp}.{fmt}"'
    )
    return response
