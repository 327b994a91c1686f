"""The import and export page: upload a file, see the dry run, confirm; or
download a kind as CSV or XLSX (with the asset list's filter), or an empty
template to fill in."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from wardkeeper.inventory.transfer import (
    ExportRefused,
    ImportReport,
    export_rows,
    file_name,
    record_export,
    run_import,
    staging,
    template_header,
)
from wardkeeper.inventory.transfer.forms import ImportForm, upload_limit
from wardkeeper.inventory.transfer.http import file_response
from wardkeeper.inventory.transfer.kinds import KIND_LABELS

IMPORT = "inventory.import_inventory"
EXPORT = "inventory.export_inventory"
ERRORS_SHOWN = 200


def _require(request: HttpRequest, *perms: str) -> None:
    if not any(request.user.has_perm(perm) for perm in perms):
        raise PermissionDenied


@login_required
def transfer(request: HttpRequest) -> HttpResponse:
    """The page; a posted file is staged and dry-run, then reviewed."""
    _require(request, IMPORT, EXPORT)
    form = ImportForm()
    if request.method == "POST":
        _require(request, IMPORT)
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            staged = staging.stage(
                request.session, form.cleaned_data["kind"], upload.name, upload.chunks()
            )
            report = _run(request, staged, dry_run=True)
            if not report.ok:
                staging.discard(request.session, staged.token)
            return _review(request, report, staged)
    return render(
        request,
        "inventory/transfer.html",
        {
            "form": form,
            "kinds": list(KIND_LABELS.items()),
            "can_import": request.user.has_perm(IMPORT),
            "can_export": request.user.has_perm(EXPORT),
            "upload_mb": upload_limit() // (1024 * 1024),
        },
    )


def _run(
    request: HttpRequest, staged: staging.Staged, *, dry_run: bool
) -> ImportReport:
    return run_import(
        staged.kind,
        staged.path,
        filename=staged.filename,
        dry_run=dry_run,
        actor=request.user,
        max_bytes=upload_limit(),
    )


def _review(
    request: HttpRequest, report: ImportReport, staged: staging.Staged
) -> HttpResponse:
    return render(
        request,
        "inventory/transfer_review.html",
        {
            "report": report,
            "staged": staged,
            "kind_label": KIND_LABELS[staged.kind],
            "errors": report.errors[:ERRORS_SHOWN],
            "more_errors": max(0, len(report.errors) - ERRORS_SHOWN),
        },
        status=200 if report.ok else 422,
    )


@login_required
@require_POST
def confirm(request: HttpRequest) -> HttpResponse:
    """Run the real import of a file this session dry-ran."""
    _require(request, IMPORT)
    staged = staging.find(request.session, request.POST.get("token", ""))
    if staged is None:
        messages.error(request, _("That upload has expired; upload the file again."))
        return redirect("inventory:transfer")
    report = _run(request, staged, dry_run=False)
    staging.discard(request.session, staged.token)
    if not report.ok:  # the data changed since the dry run
        return _review(request, report, staged)
    messages.success(
        request,
        _(
            "Imported %(file)s: %(created)d created, %(updated)d updated, %(unchanged)d unchanged."
        )
        % {
            "file": staged.filename,
            "created": report.created,
            "updated": report.updated,
            "unchanged": report.unchanged,
        },
    )
    return redirect("inventory:transfer")


@login_required
@require_POST
def cancel(request: HttpRequest) -> HttpResponse:
    """Drop a staged file without importing it."""
    _require(request, IMPORT)
    staging.discard(request.session, request.POST.get("token", ""))
    messages.info(request, _("Nothing was imported."))
    return redirect("inventory:transfer")


@login_required
def export(request: HttpRequest, kind: str, fmt: str) -> HttpResponseBase:
    """Download ``kind`` filtered by the query parameters (the list's filter)."""
    _require(request, EXPORT)
    try:
        header, rows = export_rows(kind, request.GET)
    except ExportRefused as exc:
        return HttpResponseBadRequest(exc.message)
    record_export(kind, fmt, request.GET)
    return file_response(kind, fmt, header, rows, file_name(kind, fmt))


@login_required
def template(request: HttpRequest, kind: str, fmt: str) -> HttpResponseBase:
    """An empty file with the headings an import of ``kind`` takes."""
    _require(request, IMPORT, EXPORT)
    return file_response(
        kind, fmt, template_header(kind), iter(()), f"wardkeeper-{kind}-template.{fmt}"
    )
