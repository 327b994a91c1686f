"""The API a remote poller talks to, with its own token
(``Authorization: Poller wkp_…``; a person's API token is refused here, and
a poller's token opens nothing else).

- ``GET monitoring/poller/checks/``: the enabled checks assigned to this
  poller, as engine specs — secrets decrypted, so production serves the API
  over HTTPS only (docs/monitoring-pollers.md) — plus the heartbeat interval.
- ``POST monitoring/poller/results/``: ``{"results": [...], "version": "…"}``,
  a batch of engine results stored through the same recorder as the
  server's own monitor (states, outages, alerts, tickets). An empty batch is
  a heartbeat. Results for checks that are not (or no longer) this poller's
  are ignored and counted, so a reassigned check never jams the poller's
  buffer.

Every call is a sign of life: ``last_seen_at``, ``last_address`` and
``version`` are kept. An unknown token (never issued, or replaced by a new
one) is 401; a disabled poller's is 403.
"""

from __future__ import annotations

import logging
from typing import Any

from django.apps import apps
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import authentication, exceptions, serializers, viewsets
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response

from wardkeeper import __version__
from wardkeeper.core.audit import audit_context
from wardkeeper.core.models.audit import AuditSource
from wardkeeper.monitoring import serializers as s
from wardkeeper.monitoring.models import Check, Poller
from wardkeeper.monitoring.services import pollers, specs, state

logger = logging.getLogger(__name__)

KEYWORD = "Poller"
VERSION_HEADER = "HTTP_X_WARDKEEPER_VERSION"


class PollerTokenAuthentication(authentication.BaseAuthentication):
    """``Authorization: Poller wkp_…``: the request is the poller's (an
    anonymous user; ``request.auth`` is the Poller)."""

    def authenticate(self, request: Any) -> tuple[Any, Poller] | None:
        header = authentication.get_authorization_header(request).decode("latin-1")
        scheme, _sep, raw = header.partition(" ")
        if scheme.lower() != KEYWORD.lower() or not raw.strip():
            return None
        poller = pollers.authenticate(raw)
        if poller is None:
            raise exceptions.AuthenticationFailed(
                _("Invalid or replaced poller token.")
            )
        from django.contrib.auth.models import AnonymousUser

        return AnonymousUser(), poller

    def authenticate_header(self, request: Any) -> str:
        return KEYWORD


class IsEnabledPoller(BasePermission):
    message = _("This poller is disabled.")

    def has_permission(self, request: Any, view: Any) -> bool:
        poller = request.auth
        if not isinstance(poller, Poller):
            # No poller credentials at all: 401 with the challenge.
            raise exceptions.NotAuthenticated(_("A poller token is required."))
        return poller.enabled


def _address(request: Request) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


def _heard(request: Request) -> Poller:
    poller = request.auth
    assert isinstance(poller, Poller)
    version = request.META.get(VERSION_HEADER, "")
    with audit_context(source=AuditSource.API, reason=f"poller {poller.name}"):
        pollers.touch(poller, address=_address(request), version=version)
    return poller


def spec_json(spec: Any) -> dict[str, Any]:
    return {
        "id": spec.id,
        "kind": spec.kind,
        "host": spec.host,
        "params": dict(spec.params),
        "interval": spec.interval,
        "timeout": spec.timeout,
        "confirm_down": spec.confirm_down,
        "confirm_up": spec.confirm_up,
        "parents": list(spec.parents),
    }


CHECKS = inline_serializer(
    "PollerChecks",
    {
        "poller": serializers.CharField(),
        "zone": serializers.CharField(allow_null=True),
        "heartbeat_seconds": serializers.IntegerField(),
        "server_version": serializers.CharField(),
        "checks": serializers.ListField(child=serializers.DictField()),
    },
)
STORED = inline_serializer(
    "PollerResultsStored",
    {
        "results": serializers.IntegerField(),
        "changes": serializers.IntegerField(),
        "ignored": serializers.IntegerField(),
    },
)


class PollerBatchSerializer(s.ResultBatchSerializer):
    results = s.ResultSerializer(many=True, allow_empty=True, max_length=s.MAX_BATCH)  # type: ignore[call-arg]

    def validate_results(self, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return rows  # foreign and unknown checks are ignored, not refused


class _PollerView(viewsets.ViewSet):
    authentication_classes = [PollerTokenAuthentication]
    permission_classes = [IsEnabledPoller]
    throttle_classes: list[Any] = []


class PollerChecksViewSet(_PollerView):
    """The checks this poller runs (engine specs, secrets included)."""

    @extend_schema(responses={200: CHECKS})
    def list(self, request: Request) -> Response:
        poller = _heard(request)
        return Response(
            {
                "poller": poller.name,
                "zone": poller.zone.name if poller.zone_id else None,  # type: ignore[union-attr]
                "heartbeat_seconds": pollers.heartbeat_seconds(),
                "server_version": __version__,
                "checks": [spec_json(x) for x in specs.load_for_poller(poller.pk)],
            }
        )


class PollerResultsViewSet(_PollerView):
    """A batch of this poller's results (an empty one is a heartbeat)."""

    @extend_schema(request=PollerBatchSerializer, responses={200: STORED})
    def create(self, request: Request) -> Response:
        poller = _heard(request)
        body = PollerBatchSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        results = body.engine_results()
        ids = {r.check_id for r in results}
        mine = set(
            Check.objects.filter(pk__in=ids, poller=poller, enabled=True)
            .exclude(kind=specs.HEARTBEAT)
            .values_list("pk", flat=True)
        )
        kept = [r for r in results if r.check_id in mine]
        summary = {"results": 0, "changes": 0}
        if kept:
            with audit_context(source=AuditSource.API, reason=f"poller {poller.name}"):
                summary = state.record(kept)
                _follow_up(mine, timezone.now())
        return Response({**summary, "ignored": len(results) - len(kept)})


def _follow_up(check_ids: set[int], now: Any) -> None:
    """Segmentation alerts among these checks get their ticket and the
    security team at once (network/services/segmentation.py)."""
    if not apps.is_installed("wardkeeper.network"):
        return
    from wardkeeper.network.services import segmentation

    try:
        with transaction.atomic():
            segmentation.escalate(now, check_ids=check_ids)
    except Exception:  # the results are stored; the periodic job tries again
        logger.exception("pollers: escalating segmentation alerts failed")


def register(router: Any) -> None:
    router.register(
        "monitoring/poller/checks",
        PollerChecksViewSet,
        basename="monitoring-poller-checks",
    )
    router.register(
        "monitoring/poller/results",
        PollerResultsViewSet,
        basename="monitoring-poller-results",
    )
