"""Monitoring's API: checks and their state, alerts (acknowledge, silence),
and the ingest endpoint where remote pollers send the engine's results.

Every change goes through the same services as the pages
(``services.alerts``, ``services.state.record``)."""

from __future__ import annotations

from typing import Any

from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import BaseRouter

from wardkeeper.core.api_pagination import StableOrderingFilter
from wardkeeper.core.api_permissions import requires
from wardkeeper.core.errors import DomainError
from wardkeeper.monitoring import serializers as s
from wardkeeper.monitoring.filters import AlertFilter, CheckFilter
from wardkeeper.monitoring.models import Alert, Check
from wardkeeper.monitoring.services import alerts, state

# Acting on an alert in a state that forbids it (already resolved): 409.
STATE_CONFLICTS = frozenset({"resolved"})


class CheckViewSet(viewsets.ReadOnlyModelViewSet[Check]):
    """Checks with their current state; filter by status, kind, asset, team,
    service."""

    queryset = Check.objects.select_related("asset", "team").prefetch_related("parents")
    serializer_class = s.CheckSerializer
    filter_backends = [DjangoFilterBackend, StableOrderingFilter]
    filterset_class = CheckFilter
    ordering_fields = ["id", "name", "status", "status_since", "last_run_at"]


def _alert_action(request_body: Any = None) -> Any:
    def wrap(func: Any) -> Any:
        func = extend_schema(request=request_body, responses={200: s.AlertSerializer})(
            func
        )
        return action(
            detail=True,
            methods=["post"],
            permission_classes=[requires("monitoring.change_alert")],
            filter_backends=[],
        )(func)

    return wrap


class AlertViewSet(viewsets.ReadOnlyModelViewSet[Alert]):
    """Alerts, newest first; acknowledge or silence one with the actions."""

    queryset = Alert.objects.select_related("source", "ticket", "acknowledged_by")
    serializer_class = s.AlertSerializer
    filter_backends = [DjangoFilterBackend, StableOrderingFilter]
    filterset_class = AlertFilter
    ordering_fields = ["id", "opened_at", "severity", "state"]

    def handle_exception(self, exc: Exception) -> Response:
        response = super().handle_exception(exc)
        if isinstance(exc, DomainError) and exc.code in STATE_CONFLICTS:
            response.status_code = status.HTTP_409_CONFLICT
        return response

    def _answer(self, alert: Alert) -> Response:
        return Response(self.get_serializer(self.get_queryset().get(pk=alert.pk)).data)

    @_alert_action()
    def acknowledge(self, request: Request, pk: Any = None) -> Response:
        return self._answer(alerts.acknowledge(self.get_object(), request.user))

    @_alert_action(s.SilenceSerializer)
    def silence(self, request: Request, pk: Any = None) -> Response:
        body = s.SilenceSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        until = body.validated_data["until"]
        return self._answer(alerts.silence(self.get_object(), request.user, until))

    @_alert_action()
    def unsilence(self, request: Request, pk: Any = None) -> Response:
        return self._answer(alerts.unsilence(self.get_object(), request.user))


INGESTED = inline_serializer(
    "ResultsIngested",
    {"results": serializers.IntegerField(), "changes": serializers.IntegerField()},
)


class ResultIngestViewSet(mixins.CreateModelMixin, viewsets.GenericViewSet[Any]):
    """``POST`` a batch of engine results from a remote poller:
    ``{"results": [{"check_id", "at", "lag", "outcome": {"status",
    "latency_ms", "message", "reason", "values"}}]}``. The batch is stored
    and acted on in one transaction; any invalid row refuses all of it."""

    serializer_class = s.ResultBatchSerializer
    permission_classes = [requires("monitoring.add_result")]
    filter_backends: list[Any] = []
    pagination_class = None

    @extend_schema(responses={200: INGESTED})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        body = s.ResultBatchSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        summary = state.record(body.engine_results())
        return Response(summary, status=status.HTTP_200_OK)


def register(router: BaseRouter) -> None:
    """Add monitoring's viewsets to the one API router."""
    router.register("monitoring/checks", CheckViewSet, basename="monitoring-check")
    router.register("monitoring/alerts", AlertViewSet, basename="monitoring-alert")
    router.register(
        "monitoring/results", ResultIngestViewSet, basename="monitoring-results"
    )
    from wardkeeper.monitoring import api_pollers

    api_pollers.register(router)
