"""The import and export pages: upload a file, see the dry run, confirm; or
download a kind as CSV or XLSX (with the list's filter), or an empty template
to fill in.

The same views serve every area's page (the inventory's, the network's): a
``TransferPage`` names the page's kinds, in groups, and its URL namespace;
the URL patterns pass it to each view. Who may import or export a kind is
what its importer says (``import_permissions``, ``export_permissions``), the
same rule as the API and the ``import`` command.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
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
from wardkeeper.inventory.transfer.kinds import KIND_LABELS, importer_for, kind_label

ERRORS_SHOWN = 200
Label = str | Promise


@dataclass(frozen=True)
class TransferPage:
    """One import and export page: its kinds in groups (a group's label may be
    empty), the namespace of its URLs and the hints it shows."""

    namespace: str
    title: Label
    # (group label, kinds in import order); a callable because other areas'
    # kinds are registered on first use.
    groups: Callable[[], Sequence[tuple[Label, Sequence[str]]]]
    order_hint: Label = ""
    export_hint: Label = ""

    def kinds(self) -> list[str]:
        return [kind for _label, kinds in self.groups() for kind in kinds]

    def url(self, action: str = "") -> str:
        return f"{self.namespace}:transfer" + (f"-{action}" if action else "")

    def urls(self) -> dict[str, str]:
        """The URL names the templates link to."""
        actions = ("confirm", "cancel", "export", "template")
        return {"page": self.url(), **{action: self.url(action) for action in actions}}


def can_import(user: Any, kind: str) -> bool:
    return bool(user.has_perms(importer_for(kind).import_permissions))


def can_export(user: Any, kind: str) -> bool:
    importer = importer_for(kind)
    return importer.exportable and bool(user.has_perms(importer.export_permissions))


INVENTORY = TransferPage(
    namespace="inventory",
    title=gettext_lazy("Import and export"),
    groups=lambda: [("", tuple(KIND_LABELS))],
    order_hint=gettext_lazy(
        "Import in this order, so every file finds what it names: locations, "
        "departments, vendors, models, assets."
    ),
    export_hint=gettext_lazy(
        "Asset exports include the type, today's book value and the full name of "
        "the location. To export part of the assets, filter the asset list and use "
        "its Export button."
    ),
)


def _importable(page: TransferPage, user: Any) -> list[Any]:
    """The kind choices of the upload form: those ``user`` may import."""
    groups: list[tuple[Label, list[tuple[str, Label]]]] = []
    for label, kinds in page.groups():
        choices = [(k, kind_label(k)) for k in kinds if can_import(user, k)]
        if choices:
            groups.append((label, choices))
    if len(groups) == 1 and not groups[0][0]:
        return groups[0][1]  # a single unnamed group: a plain list
    return groups


def _downloads(page: TransferPage, user: Any) -> list[dict[str, Any]]:
    """Per group, the kinds ``user`` may export or take a template of."""
    groups = []
    for label, kinds in page.groups():
        rows = [
            {
                "kind": kind,
                "label": kind_label(kind),
                "export": can_export(user, kind),
                "template": can_import(user, kind) or can_export(user, kind),
            }
            for kind in kinds
        ]
        rows = [row for row in rows if row["template"]]
        if rows:
            groups.append({"label": label, "rows": rows})
    return groups


def _form(page: TransferPage, user: Any, *args: Any) -> ImportForm:
    form = ImportForm(*args)
    form.fields["kind"].choices = _importable(page, user)  # type: ignore[attr-defined]
    return form


def _require_kind(
    request: HttpRequest, page: TransferPage, kind: str, allowed: Callable[..., bool]
) -> None:
    if kind not in page.kinds() or not allowed(request.user, kind):
        raise PermissionDenied


@login_required
def transfer(request: HttpRequest, page: TransferPage) -> HttpResponse:
    """The page; a posted file is staged and dry-run, then reviewed."""
    importable = _importable(page, request.user)
    downloads = _downloads(page, request.user)
    if not (importable or downloads):
        raise PermissionDenied
    form = _form(page, request.user)
    if request.method == "POST":
        if not importable:
            raise PermissionDenied
        form = _form(page, request.user, request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            staged = staging.stage(
                request.session, form.cleaned_data["kind"], upload.name, upload.chunks()
            )
            report = _run(request, staged, dry_run=True)
            if not report.ok:
                staging.discard(request.session, staged.token)
            return _review(request, page, report, staged)
    return render(
        request,
        "inventory/transfer.html",
        {
            "page": page,
            "urls": page.urls(),
            "form": form,
            "groups": downloads,
            "can_import": bool(importable),
            "can_export": any(row["export"] for g in downloads for row in g["rows"]),
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
    request: HttpRequest,
    page: TransferPage,
    report: ImportReport,
    staged: staging.Staged,
) -> HttpResponse:
    return render(
        request,
        "inventory/transfer_review.html",
        {
            "page": page,
            "urls": page.urls(),
            "report": report,
            "staged": staged,
            "kind_label": kind_label(staged.kind),
            "errors": report.errors[:ERRORS_SHOWN],
            "more_errors": max(0, len(report.errors) - ERRORS_SHOWN),
            "notes": report.notes[:ERRORS_SHOWN],
            "more_notes": max(0, len(report.notes) - ERRORS_SHOWN),
        },
        status=200 if report.ok else 422,
    )


def _staged(request: HttpRequest, page: TransferPage) -> staging.Staged | None:
    """The file this session staged under the posted token, on this page."""
    staged = staging.find(request.session, request.POST.get("token", ""))
    if staged is not None:
        _require_kind(request, page, staged.kind, can_import)
    return staged


@login_required
@require_POST
def confirm(request: HttpRequest, page: TransferPage) -> HttpResponse:
    """Run the real import of a file this session dry-ran."""
    staged = _staged(request, page)
    if staged is None:
        messages.error(request, _("That upload has expired; upload the file again."))
        return redirect(page.url())
    report = _run(request, staged, dry_run=False)
    staging.discard(request.session, staged.token)
    if not report.ok:  # the data changed since the dry run
        return _review(request, page, report, staged)
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
    return redirect(page.url())


@login_required
@require_POST
def cancel(request: HttpRequest, page: TransferPage) -> HttpResponse:
    """Drop a staged file without importing it."""
    staged = _staged(request, page)
    if staged is not None:
        staging.discard(request.session, staged.token)
    messages.info(request, _("Nothing was imported."))
    return redirect(page.url())


@login_required
def export(
    request: HttpRequest, page: TransferPage, kind: str, fmt: str
) -> HttpResponseBase:
    """Download ``kind`` filtered by the query parameters (the list's filter)."""
    _require_kind(request, page, kind, can_export)
    try:
        header, rows = export_rows(kind, request.GET)
    except ExportRefused as exc:
        return HttpResponseBadRequest(exc.message)
    record_export(kind, fmt, request.GET)
    return file_response(kind, fmt, header, rows, file_name(kind, fmt))


@login_required
def template(
    request: HttpRequest, page: TransferPage, kind: str, fmt: str
) -> HttpResponseBase:
    """An empty file with the headings an import of ``kind`` takes."""
    _require_kind(
        request, page, kind, lambda user, k: can_import(user, k) or can_export(user, k)
    )
    return file_response(
        kind, fmt, template_header(kind), iter(()), f"wardkeeper-{kind}-template.{fmt}"
    )
