"""Runbooks and drills API: read runbooks (steps, timing against the RTO)
and drills (steps as run, achieved RTO and RPO); review and approve a
runbook (ask for review, ask for changes, approve), start
and finish a drill, and work a drill's steps — through the same services
as the pages."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import BaseRouter

from wardkeeper.continuity.api.systems import ContinuityReadOnlyViewSet
from wardkeeper.continuity.choices import StepOutcome
from wardkeeper.continuity.forms_plans import DrillFilter, RunbookFilter
from wardkeeper.continuity.models import (
    Drill,
    DrillStep,
    Runbook,
    RunbookReview,
    RunbookStep,
)
from wardkeeper.continuity.services import drills, runbook_reviews, runbooks
from wardkeeper.core.api_permissions import requires


class RunbookStepSerializer(serializers.ModelSerializer[RunbookStep]):
    after = serializers.SerializerMethodField(
        help_text="Positions of the steps before."
    )

    class Meta:
        model = RunbookStep
        fields = [
            "id",
            "position",
            "title",
            "instructions",
            "role",
            "expected_minutes",
            "after",
        ]

    def get_after(self, obj: RunbookStep) -> list[int]:
        return sorted(dep.position for dep in obj.depends_on.all())


class RunbookReviewSerializer(serializers.ModelSerializer[RunbookReview]):
    class Meta:
        model = RunbookReview
        fields = ["id", "verdict", "text", "by", "at"]


class RunbookSerializer(serializers.ModelSerializer[Runbook]):
    steps = RunbookStepSerializer(many=True, read_only=True)
    reviews = RunbookReviewSerializer(many=True, read_only=True)
    timing = serializers.SerializerMethodField()

    class Meta:
        model = Runbook
        fields = [
            "id",
            "system",
            "title",
            "version",
            "state",
            "summary",
            "contacts",
            "downtime_procedure",
            "previous",
            "author",
            "edited_by",
            "approved_by",
            "approved_at",
            "steps",
            "reviews",
            "timing",
        ]

    @extend_schema(
        responses=inline_serializer(
            "RunbookTiming",
            {
                "total_minutes": serializers.IntegerField(),
                "critical_path_minutes": serializers.IntegerField(),
                "rto_minutes": serializers.IntegerField(),
                "misses_rto": serializers.BooleanField(),
            },
        )
    )
    def get_timing(self, obj: Runbook) -> dict[str, Any]:
        timing = runbooks.timing(obj)
        return {
            "total_minutes": timing.total,
            "critical_path_minutes": timing.critical,
            "rto_minutes": timing.rto,
            "misses_rto": timing.misses_rto,
        }


class DrillStepSerializer(serializers.ModelSerializer[DrillStep]):
    after = serializers.SerializerMethodField(help_text="Ids of the steps before.")

    class Meta:
        model = DrillStep
        fields = [
            "id",
            "drill",
            "position",
            "title",
            "role",
            "instructions",
            "expected_minutes",
            "after",
            "outcome",
            "started_at",
            "finished_at",
            "done_by",
            "notes",
            "ticket",
        ]

    def get_after(self, obj: DrillStep) -> list[int]:
        return sorted(dep.pk for dep in obj.depends_on.all())


class DrillSerializer(serializers.ModelSerializer[Drill]):
    steps = DrillStepSerializer(many=True, read_only=True)
    achieved_rto_minutes = serializers.SerializerMethodField()

    class Meta:
        model = Drill
        fields = [
            "id",
            "runbook",
            "title",
            "scenario",
            "state",
            "scheduled_for",
            "leader",
            "started_at",
            "finished_at",
            "achieved_rto_minutes",
            "data_loss_minutes",
            "lessons",
            "steps",
        ]

    def get_achieved_rto_minutes(self, obj: Drill) -> int | None:
        return drills.result(obj).rto_minutes


class FinishSerializer(serializers.Serializer[Any]):
    data_loss_minutes = serializers.IntegerField(
        min_value=0, required=False, allow_null=True
    )
    lessons = serializers.CharField(required=False, allow_blank=True, default="")


class ReviewTextSerializer(serializers.Serializer[Any]):
    text = serializers.CharField(required=False, allow_blank=True, default="")


class NotesSerializer(serializers.Serializer[Any]):
    notes = serializers.CharField(required=False, allow_blank=True, default="")


class IssueSerializer(serializers.Serializer[Any]):
    title = serializers.CharField(max_length=200)
    description = serializers.CharField(required=False, allow_blank=True, default="")


class RunbookViewSet(ContinuityReadOnlyViewSet):
    """Runbook versions with their steps and expected duration."""

    serializer_class = RunbookSerializer
    filterset_class = RunbookFilter
    ordering_fields = ["version", "approved_at"]

    def get_queryset(self) -> QuerySet[Runbook]:
        return (
            Runbook.objects.select_related("system")
            .prefetch_related("steps__depends_on", "reviews")
            .order_by("system_id", "-version", "pk")
        )

    @extend_schema(request=ReviewTextSerializer, responses=RunbookSerializer)
    @action(
        detail=True,
        methods=["post"],
        permission_classes=[requires(runbooks.APPROVE_PERMISSION)],
    )
    def approve(self, request: Request, pk: Any = None) -> Response:
        """Approve a draft (four eyes: not by who drafted or last changed it),
        with an optional remark ``text``; its drafters are told."""
        text = self._text(request)
        runbook_reviews.approve(self.get_object(), actor=request.user, text=text)
        return self._fresh(pk)

    @extend_schema(request=ReviewTextSerializer, responses=RunbookSerializer)
    @action(
        detail=True,
        methods=["post"],
        permission_classes=[requires(runbooks.APPROVE_PERMISSION)],
    )
    def changes(self, request: Request, pk: Any = None) -> Response:
        """Send a draft back to its drafters; ``text`` (required) says what
        to change."""
        text = self._text(request)
        runbook_reviews.ask_for_changes(
            self.get_object(), actor=request.user, text=text
        )
        return self._fresh(pk)

    @extend_schema(request=ReviewTextSerializer, responses=RunbookSerializer)
    @action(
        detail=True,
        methods=["post"],
        permission_classes=[requires("continuity.change_runbook")],
    )
    def review(self, request: Request, pk: Any = None) -> Response:
        """Ask the people who may approve runbooks to review this draft, with
        an optional note ``text``."""
        text = self._text(request)
        runbook_reviews.ask_for_review(self.get_object(), actor=request.user, text=text)
        return self._fresh(pk)

    def _text(self, request: Request) -> str:
        given = ReviewTextSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        return str(given.validated_data["text"])

    def _fresh(self, pk: Any) -> Response:
        return Response(self.get_serializer(self.get_queryset().get(pk=pk)).data)


def _drill_step_rows() -> QuerySet[DrillStep]:
    return DrillStep.objects.prefetch_related("depends_on").order_by(
        "drill_id", "position"
    )


class DrillViewSet(ContinuityReadOnlyViewSet):
    """Drills with their steps as run and the achieved RTO and RPO."""

    serializer_class = DrillSerializer
    filterset_class = DrillFilter
    ordering_fields = ["scheduled_for", "started_at"]

    def get_queryset(self) -> QuerySet[Drill]:
        return (
            Drill.objects.select_related("runbook__system")
            .prefetch_related("steps__depends_on")
            .order_by("-scheduled_for", "pk")
        )

    @extend_schema(request=None, responses=DrillSerializer)
    @action(
        detail=True,
        methods=["post"],
        permission_classes=[requires("continuity.change_drill")],
    )
    def start(self, request: Request, pk: Any = None) -> Response:
        drill = drills.start_drill(self.get_object(), actor=request.user)
        return Response(self.get_serializer(self.get_queryset().get(pk=drill.pk)).data)

    @extend_schema(request=FinishSerializer, responses=DrillSerializer)
    @action(
        detail=True,
        methods=["post"],
        permission_classes=[requires("continuity.change_drill")],
    )
    def finish(self, request: Request, pk: Any = None) -> Response:
        body = FinishSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        drill = drills.finish_drill(
            self.get_object(), actor=request.user, **body.validated_data
        )
        return Response(self.get_serializer(self.get_queryset().get(pk=drill.pk)).data)


STEP_WORK = [requires("continuity.change_drillstep")]


class DrillStepViewSet(viewsets.ReadOnlyModelViewSet[DrillStep]):
    """The steps of drills (``?drill=``); ``start``, ``done``, ``problem``
    and ``skip`` work one, ``ticket`` raises an issue found at it."""

    serializer_class = DrillStepSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_fields = ["drill", "outcome"]

    def get_queryset(self) -> QuerySet[DrillStep]:
        return _drill_step_rows()

    def _answer(self, step: DrillStep) -> Response:
        return Response(self.get_serializer(_drill_step_rows().get(pk=step.pk)).data)

    @extend_schema(request=NotesSerializer, responses=DrillStepSerializer)
    @action(detail=True, methods=["post"], permission_classes=STEP_WORK)
    def start(self, request: Request, pk: Any = None) -> Response:
        return self._answer(drills.start_step(self.get_object(), actor=request.user))

    def _finish(self, request: Request, outcome: str) -> Response:
        body = NotesSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        step = drills.finish_step(
            self.get_object(),
            outcome,
            actor=request.user,
            notes=body.validated_data["notes"],
        )
        return self._answer(step)

    @extend_schema(request=NotesSerializer, responses=DrillStepSerializer)
    @action(detail=True, methods=["post"], permission_classes=STEP_WORK)
    def done(self, request: Request, pk: Any = None) -> Response:
        return self._finish(request, StepOutcome.DONE)

    @extend_schema(request=NotesSerializer, responses=DrillStepSerializer)
    @action(detail=True, methods=["post"], permission_classes=STEP_WORK)
    def problem(self, request: Request, pk: Any = None) -> Response:
        return self._finish(request, StepOutcome.PROBLEM)

    @extend_schema(request=NotesSerializer, responses=DrillStepSerializer)
    @action(detail=True, methods=["post"], permission_classes=STEP_WORK)
    def skip(self, request: Request, pk: Any = None) -> Response:
        return self._finish(request, StepOutcome.SKIPPED)

    @extend_schema(request=IssueSerializer, responses=DrillStepSerializer)
    @action(detail=True, methods=["post"], permission_classes=STEP_WORK)
    def ticket(self, request: Request, pk: Any = None) -> Response:
        body = IssueSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        step = self.get_object()
        drills.raise_issue(step, actor=request.user, **body.validated_data)
        return self._answer(step)


def register(router: BaseRouter) -> None:
    """Add this part's viewsets to the one API router."""
    router.register(
        "continuity/runbooks", RunbookViewSet, basename="continuity-runbook"
    )
    router.register("continuity/drills", DrillViewSet, basename="continuity-drill")
    router.register(
        "continuity/drill-steps", DrillStepViewSet, basename="continuity-drillstep"
    )
