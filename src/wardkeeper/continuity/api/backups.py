"""Backup and recovery API: destinations, jobs (the repository password is
write-only; ``token`` issues a new webhook token, returned once) and the
runs, read-only (the ingest endpoints write them)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import BaseRouter

from wardkeeper.continuity.api.systems import (
    ContinuityReadOnlyViewSet,
    ContinuityViewSet,
    checked,
    current,
)
from wardkeeper.continuity.forms_backups import (
    DESTINATION_FIELDS,
    JOB_FIELDS,
    BackupDestinationFilter,
    BackupJobFilter,
    BackupRunFilter,
    job_errors,
)
from wardkeeper.continuity.models import BackupDestination, BackupJob, BackupRun
from wardkeeper.continuity.services.jobs import issue_webhook_token


class BackupDestinationSerializer(serializers.ModelSerializer[BackupDestination]):
    class Meta:
        model = BackupDestination
        fields = ["id", *DESTINATION_FIELDS]


class BackupJobSerializer(serializers.ModelSerializer[BackupJob]):
    repository_password = serializers.CharField(
        write_only=True,
        required=False,
        allow_blank=True,
        trim_whitespace=False,
        help_text="Write-only: stored encrypted, never returned. Omit to keep.",
    )
    has_repository_password = serializers.SerializerMethodField()
    has_webhook_token = serializers.SerializerMethodField()

    class Meta:
        model = BackupJob
        fields = [
            "id",
            *JOB_FIELDS,
            "expected_size_bytes",
            "repository_password",
            "has_repository_password",
            "has_webhook_token",
        ]
        validators: list[Any] = []  # the unique name is checked with a clear message

    def get_has_repository_password(self, obj: BackupJob) -> bool:
        return bool(obj.repository_password)

    def get_has_webhook_token(self, obj: BackupJob) -> bool:
        return bool(obj.webhook_token_hash)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        errors = job_errors(
            current(self, attrs, "system"),
            current(self, attrs, "name", ""),
            attrs.get("data_stores", []),
            self.instance,
        )
        return checked(attrs, errors)


class BackupRunSerializer(serializers.ModelSerializer[BackupRun]):
    class Meta:
        model = BackupRun
        fields = [
            "id",
            "job",
            "external_id",
            "status",
            "started_at",
            "finished_at",
            "size_bytes",
            "added_bytes",
            "files",
            "message",
            "source",
            "received_at",
        ]


class BackupDestinationViewSet(ContinuityViewSet):
    """Where backups go: medium, offsite, immutable, offline."""

    queryset = BackupDestination.objects.all()
    serializer_class = BackupDestinationSerializer
    filterset_class = BackupDestinationFilter
    ordering_fields = ["name", "media"]


TOKEN = inline_serializer("WebhookToken", {"token": serializers.CharField()})


class BackupJobViewSet(ContinuityViewSet):
    """Backup jobs; POST ``token`` issues a new webhook token (the old one
    stops working) and returns it, the only time it is shown."""

    queryset = BackupJob.objects.prefetch_related("data_stores")
    serializer_class = BackupJobSerializer
    filterset_class = BackupJobFilter
    ordering_fields = ["name", "system", "tool"]

    @extend_schema(request=None, responses={201: TOKEN})
    @action(detail=True, methods=["post"], filter_backends=[])
    def token(self, request: Request, pk: Any = None) -> Response:
        return Response({"token": issue_webhook_token(self.get_object())}, status=201)


class BackupRunViewSet(ContinuityReadOnlyViewSet):
    """Runs as the tools reported them, newest first; filter by ``job``,
    ``status``, ``source`` and ``since`` (an ISO date-time)."""

    queryset = BackupRun.objects.all()
    serializer_class = BackupRunSerializer
    filterset_class = BackupRunFilter
    ordering_fields = ["started_at"]


def register(router: BaseRouter) -> None:
    router.register(
        "continuity/destinations",
        BackupDestinationViewSet,
        basename="continuity-destination",
    )
    router.register("continuity/jobs", BackupJobViewSet, basename="continuity-job")
    router.register("continuity/runs", BackupRunViewSet, basename="continuity-run")
