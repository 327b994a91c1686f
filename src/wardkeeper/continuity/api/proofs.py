"""Restore tests API: the tests and their sanity queries (with the pages'
rules), the runs read-only with their evidence, POST ``run`` on a test to
start it on demand (queued for the worker, like the page's "Run now"), and
POST ``restore-runs/record`` to record a restore done by hand (like the
page's "Record a restore"; an evidence file as multipart)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from drf_spectacular.utils import extend_schema
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
from wardkeeper.continuity.forms_proofs import (
    QUERY_FIELDS,
    TEST_FIELDS,
    RestoreRunFilter,
    RestoreTestFilter,
    query_errors,
    test_errors,
)
from wardkeeper.continuity.models import (
    BackupJob,
    RestoreRun,
    RestoreTest,
    SanityQuery,
)
from wardkeeper.continuity.services import proofs
from wardkeeper.core.api_permissions import requires


class SanityQuerySerializer(serializers.ModelSerializer[SanityQuery]):
    class Meta:
        model = SanityQuery
        fields = ["id", "test", *QUERY_FIELDS]

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        sql, expectation, value = (
            current(self, attrs, name, "") for name in ("sql", "expectation", "value")
        )
        return checked(attrs, query_errors(sql, expectation, value))


class RestoreTestSerializer(serializers.ModelSerializer[RestoreTest]):
    class Meta:
        model = RestoreTest
        fields = ["id", *TEST_FIELDS]

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        job, method, compare_with, sample_files = (
            current(self, attrs, name)
            for name in ("job", "method", "compare_with", "sample_files")
        )
        return checked(attrs, test_errors(job, method, compare_with, sample_files))


class RestoreRunSerializer(serializers.ModelSerializer[RestoreRun]):
    queued = serializers.SerializerMethodField(
        help_text="True while the run waits for a worker to take it up."
    )

    class Meta:
        model = RestoreRun
        fields = [
            "id",
            "test",
            "status",
            "queued",
            "trigger",
            "started_by",
            "started_at",
            "finished_at",
            "duration_seconds",
            "within_rto",
            "snapshot",
            "restored",
            "backup",
            "message",
            "evidence",
            "ticket",
        ]

    def get_queued(self, obj: RestoreRun) -> bool:
        return obj.status == "running" and obj.claimed_at is None


class RestoreTestViewSet(ContinuityViewSet):
    """Restore tests; POST ``run`` queues a run now (permission
    ``continuity.add_restorerun``) and returns it (400 when one is already
    queued or under way)."""

    queryset = RestoreTest.objects.select_related("job")
    serializer_class = RestoreTestSerializer
    filterset_class = RestoreTestFilter
    ordering_fields = ["name", "job", "every_days"]

    @extend_schema(request=None, responses={202: RestoreRunSerializer})
    @action(
        detail=True,
        methods=["post"],
        filter_backends=[],
        permission_classes=[
            requires("continuity.view_restoretest", "continuity.add_restorerun")
        ],
    )
    def run(self, request: Request, pk: Any = None) -> Response:
        queued = proofs.start_test(self.get_object(), actor=request.user)
        return Response(RestoreRunSerializer(queued).data, status=202)


class SanityQueryViewSet(ContinuityViewSet):
    """The sanity queries of the database restore tests (filter by ``test``)."""

    queryset = SanityQuery.objects.all()
    serializer_class = SanityQuerySerializer
    filterset_fields = ["test"]
    ordering_fields = ["position", "id"]


class ManualRestoreSerializer(serializers.Serializer[Any]):
    """A restore done by hand, as the page's form takes it."""

    job = serializers.PrimaryKeyRelatedField(queryset=BackupJob.objects.all())
    performed_at = serializers.DateTimeField()
    duration_minutes = serializers.FloatField(min_value=0.1)
    restored = serializers.CharField(max_length=300)
    passed = serializers.BooleanField()
    notes = serializers.CharField(max_length=2000, required=False, default="")
    evidence_file = serializers.FileField(required=False)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        errors = proofs.manual_errors(self.restore(attrs), timezone.now())
        return checked(attrs, errors)

    @staticmethod
    def restore(attrs: dict[str, Any]) -> proofs.ManualRestore:
        return proofs.ManualRestore(
            job=attrs["job"],
            performed_at=attrs["performed_at"],
            duration=dt.timedelta(minutes=attrs["duration_minutes"]),
            restored=attrs["restored"],
            passed=attrs["passed"],
            notes=attrs.get("notes", ""),
            evidence_file=attrs.get("evidence_file"),
        )


class RestoreRunViewSet(ContinuityReadOnlyViewSet):
    """Restore test runs, newest first, with their evidence (files compared,
    mismatches, query answers, the commands run). POST ``record`` records a
    restore done by hand (permission ``continuity.add_restorerun``)."""

    queryset = RestoreRun.objects.all()
    serializer_class = RestoreRunSerializer
    filterset_class = RestoreRunFilter
    ordering_fields = ["started_at"]

    @extend_schema(
        request=ManualRestoreSerializer, responses={201: RestoreRunSerializer}
    )
    @action(
        detail=False,
        methods=["post"],
        filter_backends=[],
        permission_classes=[
            requires("continuity.view_restorerun", "continuity.add_restorerun")
        ],
    )
    def record(self, request: Request) -> Response:
        given = ManualRestoreSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        run = proofs.record_manual(
            given.restore(given.validated_data), actor=request.user
        )
        return Response(RestoreRunSerializer(run).data, status=201)


def register(router: BaseRouter) -> None:
    router.register(
        "continuity/restore-tests",
        RestoreTestViewSet,
        basename="continuity-restoretest",
    )
    router.register(
        "continuity/sanity-queries",
        SanityQueryViewSet,
        basename="continuity-sanityquery",
    )
    router.register(
        "continuity/restore-runs", RestoreRunViewSet, basename="continuity-restorerun"
    )
