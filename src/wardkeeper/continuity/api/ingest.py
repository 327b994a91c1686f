"""Runs reported by other tools: ``POST /api/continuity/jobs/<id>/runs/``
with an API token holding ``continuity.add_backuprun``, and the same body on
a job's webhook (views/ingest.py). The body is one run or a list of runs;
a run already stored under its ``external_id`` is skipped, not doubled."""

from __future__ import annotations

from typing import Any

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import BaseRouter

from wardkeeper.continuity.choices import RunSource, RunStatus
from wardkeeper.continuity.models import BackupJob, BackupRun
from wardkeeper.continuity.services import ingest
from wardkeeper.continuity.services.ingest import IngestResult, RunReport


class RunReportSerializer(serializers.Serializer[RunReport]):
    """One run. Times are ISO 8601; one without a zone is read in the
    server's configured zone."""

    status = serializers.ChoiceField(choices=RunStatus.choices)
    started_at = serializers.DateTimeField()
    finished_at = serializers.DateTimeField(required=False, allow_null=True)
    size_bytes = serializers.IntegerField(required=False, allow_null=True, min_value=0)
    added_bytes = serializers.IntegerField(required=False, allow_null=True, min_value=0)
    files = serializers.IntegerField(required=False, allow_null=True, min_value=0)
    message = serializers.CharField(required=False, allow_blank=True, max_length=4000)
    external_id = serializers.CharField(
        required=False, allow_blank=True, max_length=200
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        report = RunReport(**attrs)
        problems = ingest.problems_of(report)
        if problems:
            raise serializers.ValidationError(
                {name: [message] for name, message in problems}
            )
        return {"report": report}


RESULT = inline_serializer(
    "RunsReceived",
    {
        "created": serializers.IntegerField(),
        "skipped": serializers.IntegerField(help_text="Runs stored before."),
        "runs": serializers.ListField(child=serializers.IntegerField()),
    },
)


def reports_from(data: Any) -> list[RunReport]:
    """The body's runs (one object or a list), validated; ValidationError
    names the run and the field at fault."""
    many = isinstance(data, list)
    serializer = RunReportSerializer(data=data, many=many)
    serializer.is_valid(raise_exception=True)
    rows = serializer.validated_data if many else [serializer.validated_data]
    if not rows:
        raise serializers.ValidationError(_("Send at least one run."))
    return [row["report"] for row in rows]


def answer(result: IngestResult) -> Response:
    return Response(
        {
            "created": result.created,
            "skipped": result.skipped,
            "runs": [run.pk for run in result.runs],
        },
        status=status.HTTP_201_CREATED if result.created else status.HTTP_200_OK,
    )


class JobRunViewSet(viewsets.GenericViewSet[BackupRun]):
    """Report runs of one backup job."""

    queryset = BackupRun.objects.all()  # the permission: add_backuprun
    serializer_class = RunReportSerializer  # type: ignore[assignment]

    @extend_schema(request=RunReportSerializer(many=True), responses={201: RESULT})
    def create(self, request: Request, job_pk: str) -> Response:
        job = get_object_or_404(BackupJob, pk=job_pk)
        result = ingest.record_runs(
            job,
            reports_from(request.data),
            source=RunSource.WEBHOOK,
            note=_("API"),
            audit_empty=True,
        )
        return answer(result)


def register(router: BaseRouter) -> None:
    router.register(
        r"continuity/jobs/(?P<job_pk>[0-9]+)/runs",
        JobRunViewSet,
        basename="continuity-job-runs",
    )
