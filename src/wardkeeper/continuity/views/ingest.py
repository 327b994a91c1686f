"""A job's webhook, for backup products that know only a URL: ``POST
/continuity/hooks/`` with the header ``Authorization: Bearer <token>`` and
the JSON body of api/ingest.py; ``/continuity/hooks/<token>/`` for tools that
cannot set a header (the token then sits in the address, and in access logs:
continuity/logging.py masks it in Wardkeeper's own). The token (issued on
the job's page) is the only credential: no session, no CSRF; calls are
rate-limited per address (``CONTINUITY_HOOK_RATE``, default 120/min).

Also the CSV/XLSX upload of runs, on a job's page or for many jobs at once:
checked whole and shown for review first (continuity/importers.py)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions
from rest_framework.parsers import JSONParser
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import SimpleRateThrottle
from rest_framework.views import APIView

from wardkeeper.continuity import importers
from wardkeeper.continuity.api.ingest import answer, reports_from
from wardkeeper.continuity.choices import RunSource
from wardkeeper.continuity.models import BackupJob
from wardkeeper.continuity.services import ingest, jobs
from wardkeeper.continuity.views.buttons import button
from wardkeeper.core import audit
from wardkeeper.core.models.audit import AuditSource
from wardkeeper.inventory.transfer import staging
from wardkeeper.inventory.transfer.forms import ImportForm, upload_limit


class HookThrottle(SimpleRateThrottle):
    scope = "continuity_hook"

    def get_rate(self) -> str:
        return str(getattr(settings, "CONTINUITY_HOOK_RATE", "120/min"))

    def get_cache_key(self, request: Any, view: Any) -> str:
        return self.cache_format % {
            "scope": self.scope,
            "ident": self.get_ident(request),
        }


class WebhookView(APIView):
    authentication_classes: list[Any] = []
    permission_classes = [AllowAny]
    throttle_classes = [HookThrottle]
    parser_classes = [JSONParser]

    def get_authenticate_header(self, request: Request) -> str:
        return 'Bearer realm="backup webhook"'  # a missing token answers 401

    # Outside /api/ (a product posts to the job's own address): documented in
    # docs/continuity-backups.md, left out of the API schema.
    @extend_schema(exclude=True)
    def post(self, request: Request, token: str = "") -> Response:
        token = token or bearer_token(request)
        if not token:
            raise exceptions.NotAuthenticated(
                _("Send the job's webhook token: Authorization: Bearer <token>.")
            )
        job = jobs.job_for_token(token)
        if job is None:
            raise exceptions.NotFound(_("No backup job has this webhook token."))
        if not job.enabled:
            raise exceptions.PermissionDenied(_("This backup job is disabled."))
        reports = reports_from(request.data)
        with audit.audit_context(source=AuditSource.API, reason=_("webhook")):
            result = ingest.record_runs(
                job,
                reports,
                source=RunSource.WEBHOOK,
                note=_("webhook"),
                audit_empty=True,
            )
        return answer(result)


def bearer_token(request: Request) -> str:
    """The token of an ``Authorization: Bearer <token>`` header, or ""."""
    kind, _sep, value = request.headers.get("Authorization", "").partition(" ")
    return value.strip() if kind.lower() == "bearer" else ""


class RunUploadForm(ImportForm):
    """The inventory's upload form (type and size checks), without a kind."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["kind"]


def _job_of(kind: str) -> BackupJob | None:
    """The job a staged file was uploaded for ("backup-runs:<id>")."""
    _kind, _sep, pk = kind.partition(":")
    return BackupJob.objects.filter(pk=pk).first() if pk.isdigit() else None


def _check(request: HttpRequest, staged: staging.Staged, dry_run: bool) -> Any:
    return importers.import_runs(
        staged.path,
        filename=staged.filename,
        job=_job_of(staged.kind),
        dry_run=dry_run,
        actor=request.user,
        max_bytes=upload_limit(),
    )


@login_required
@permission_required("continuity.add_backuprun", raise_exception=True)
def upload(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """Upload a file of runs (of one job, or naming the jobs); it is checked
    and shown for review before anything is stored."""
    job = (
        get_object_or_404(BackupJob.objects.select_related("system"), pk=pk)
        if pk
        else None
    )
    form = RunUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        kind = f"{importers.KIND}:{job.pk}" if job else importers.KIND
        staged = staging.stage(request.session, kind, upload.name, upload.chunks())
        report = _check(request, staged, dry_run=True)
        if not report.ok:
            staging.discard(request.session, staged.token)
        return render(
            request,
            "continuity/ingest_review.html",
            {
                "job": job,
                "report": report,
                "staged": staged,
                "errors": report.errors[:200],
            },
            status=200 if report.ok else 422,
        )
    return render(
        request,
        "continuity/ingest_upload.html",
        {
            "job": job,
            "form": form,
            "columns": importers.COLUMNS,
            "upload_mb": upload_limit() // (1024 * 1024),
        },
    )


def _staged(request: HttpRequest) -> staging.Staged | None:
    staged = staging.find(request.session, request.POST.get("token", ""))
    if staged is None or not staged.kind.startswith(importers.KIND):
        return None
    return staged


def _back(staged: staging.Staged | None) -> HttpResponse:
    job = _job_of(staged.kind) if staged else None
    if job is not None:
        return redirect("continuity:backupjob-runs-upload", job.pk)
    return redirect("continuity:backuprun-upload")


@button("continuity.add_backuprun")
def confirm(request: HttpRequest) -> HttpResponse:
    """Store the runs of a file this session checked."""
    staged = _staged(request)
    if staged is None:
        messages.error(request, _("That upload has expired; upload the file again."))
        return _back(None)
    report = _check(request, staged, dry_run=False)
    staging.discard(request.session, staged.token)
    if report.ok:
        messages.success(
            request,
            _("Stored %(created)d runs from %(file)s (%(known)d already known).")
            % {
                "created": report.created,
                "file": staged.filename,
                "known": report.unchanged,
            },
        )
    else:
        messages.error(request, _("The file no longer checks; nothing was stored."))
    return _back(staged)


@button("continuity.add_backuprun")
def cancel(request: HttpRequest) -> HttpResponse:
    staged = _staged(request)
    if staged is not None:
        staging.discard(request.session, staged.token)
    messages.info(request, _("Nothing was stored."))
    return _back(staged)
