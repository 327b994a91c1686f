"""Import and export over the API.

``POST /api/import/{kind}/?dry_run=true`` takes a multipart ``file`` and
answers with the report; a file with errors answers 400 in the standard error
body, each field named ``row N: column``. ``GET /api/export/{kind}/?format=csv``
(or ``xlsx``) takes the same filter parameters as the lists.
"""

from __future__ import annotations

from typing import Any

from django.http.response import HttpResponseBase
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, status, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import BasePermission
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter

from wardkeeper.core.api_permissions import requires
from wardkeeper.inventory.transfer import (
    ImportReport,
    export_rows,
    file_name,
    record_export,
    run_import,
)
from wardkeeper.inventory.transfer.forms import upload_limit
from wardkeeper.inventory.transfer.http import CONTENT_TYPES, file_response
from wardkeeper.inventory.transfer.kinds import all_kinds, importer_for

KIND = OpenApiParameter(
    "kind",
    str,
    OpenApiParameter.PATH,
    enum=list(all_kinds()),
    description="What the file holds.",
)
REPORT = inline_serializer(
    "ImportReport",
    {
        "kind": serializers.CharField(),
        "dry_run": serializers.BooleanField(),
        "ok": serializers.BooleanField(),
        "total": serializers.IntegerField(),
        "created": serializers.IntegerField(),
        "updated": serializers.IntegerField(),
        "unchanged": serializers.IntegerField(),
    },
)
TRUE = {"1", "true", "yes", "on"}


class KindPermission(BasePermission):
    """The permissions the requested kind names (``import_permissions`` or
    ``export_permissions`` of its importer), checked like ``requires``."""

    attribute = "import_permissions"

    def has_permission(self, request: Any, view: Any) -> bool:
        kind = view.kwargs.get("kind", "")
        perms = getattr(importer_for(kind), self.attribute)
        return requires(*perms)().has_permission(request, view)


class ExportKindPermission(KindPermission):
    attribute = "export_permissions"


def error_body(report: ImportReport) -> dict[str, Any]:
    """The standard error body, one field per row error (``row 3: status``)."""
    fields = [
        {
            "field": (f"row {e.row}: {e.column}" if e.column else f"row {e.row}")
            if e.row
            else "file",
            "code": "invalid",
            "message": e.message,
        }
        for e in report.errors
    ]
    counts = {k: v for k, v in report.as_dict().items() if k != "errors"}
    message = fields[0]["message"] if len(fields) == 1 else _("The file has errors.")
    return {
        "error": {"code": "invalid", "message": message, "fields": fields},
        "report": counts,
    }


class ImportViewSet(viewsets.ViewSet):
    """Import a CSV or XLSX file of one kind; all or nothing."""

    permission_classes = [KindPermission]
    parser_classes = [MultiPartParser]

    @extend_schema(
        parameters=[
            KIND,
            OpenApiParameter(
                "dry_run", bool, description="Check the file only; write nothing."
            ),
        ],
        request={
            "multipart/form-data": inline_serializer(
                "ImportUpload", {"file": serializers.FileField()}
            )
        },
        responses={200: REPORT},
    )
    def create(self, request: Request, kind: str, **kwargs: Any) -> Response:
        upload = request.FILES.get("file")
        if upload is None:
            raise ValidationError({"file": [_("Send the file as the field “file”.")]})
        dry_run = request.query_params.get("dry_run", "").lower() in TRUE
        report = run_import(
            kind,
            upload,
            filename=upload.name or "",
            dry_run=dry_run,
            actor=request.user,
            max_bytes=upload_limit(),
        )
        if not report.ok:
            return Response(error_body(report), status=status.HTTP_400_BAD_REQUEST)
        body = {k: v for k, v in report.as_dict().items() if k != "errors"}
        return Response(body)


class ExportViewSet(viewsets.ViewSet):
    """Download one kind as CSV or XLSX. The filter parameters of the kind's
    list apply (``status=in_use&campus=1`` for assets)."""

    permission_classes = [ExportKindPermission]

    def perform_content_negotiation(
        self, request: Request, force: bool = False
    ) -> tuple[Any, str]:
        # ``format`` names the file format here, not a renderer; errors are JSON.
        return JSONRenderer(), JSONRenderer.media_type

    @extend_schema(
        parameters=[
            KIND,
            OpenApiParameter("format", str, enum=["csv", "xlsx"]),
        ],
        responses={
            (200, "text/csv"): OpenApiTypes.BINARY,
            (200, CONTENT_TYPES["xlsx"]): OpenApiTypes.BINARY,
        },
    )
    def list(self, request: Request, kind: str, **kwargs: Any) -> HttpResponseBase:
        params = request.query_params.copy()
        fmt = params.pop("format", ["csv"])[-1]
        if fmt not in ("csv", "xlsx"):
            raise ValidationError({"format": [_("Choose csv or xlsx.")]})
        header, rows = export_rows(kind, params)
        record_export(kind, fmt, params)
        return file_response(kind, fmt, header, rows, file_name(kind, fmt))


def register(router: DefaultRouter) -> None:
    """Add the import and export endpoints to the API router."""
    kinds = "|".join(all_kinds())
    router.register(rf"import/(?P<kind>{kinds})", ImportViewSet, basename="import")
    router.register(rf"export/(?P<kind>{kinds})", ExportViewSet, basename="export")
