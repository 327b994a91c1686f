"""Network API: traffic samples (read-only), throughput paths (read-only,
with their last Mbit/s and medians) and where-is-this-host."""

from __future__ import annotations

from typing import Any

import django_filters
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import BaseRouter

from wardkeeper.core.api_pagination import StableOrderingFilter
from wardkeeper.core.api_permissions import requires
from wardkeeper.core.errors import DomainError
from wardkeeper.inventory.models import Location
from wardkeeper.monitoring.filters import CheckFilter
from wardkeeper.monitoring.models import Check
from wardkeeper.network.models import InterfaceSample
from wardkeeper.network.services import throughput, whereis

VIEW = requires("network.view_interface")
VIEW_CHECKS = requires("monitoring.view_check")


class InterfaceSampleSerializer(serializers.ModelSerializer[InterfaceSample]):
    class Meta:
        model = InterfaceSample
        fields = [
            "id",
            "interface",
            "at",
            "seconds",
            "in_bps",
            "out_bps",
            "in_errors",
            "out_errors",
            "in_discards",
            "out_discards",
            "utilisation",
        ]


class InterfaceSampleFilter(django_filters.FilterSet):
    since = django_filters.IsoDateTimeFilter(field_name="at", lookup_expr="gte")
    until = django_filters.IsoDateTimeFilter(field_name="at", lookup_expr="lt")

    class Meta:
        model = InterfaceSample
        fields = ["interface"]


class InterfaceSampleViewSet(viewsets.ReadOnlyModelViewSet[InterfaceSample]):
    """Traffic samples (rates over one poll interval); filter by interface
    and time."""

    queryset = InterfaceSample.objects.order_by("-at", "-id")
    serializer_class = InterfaceSampleSerializer
    permission_classes = [VIEW]
    filter_backends = [
        django_filters.rest_framework.DjangoFilterBackend,
        StableOrderingFilter,
    ]
    filterset_class = InterfaceSampleFilter
    ordering_fields = ["id", "at", "utilisation"]


class ThroughputPathSerializer(serializers.ModelSerializer[Check]):
    # Plain text: the enum is the check API's (one name for it in the schema).
    status = serializers.CharField(read_only=True)
    origin = serializers.SerializerMethodField()
    destination = serializers.SerializerMethodField()
    size_mb = serializers.SerializerMethodField()
    last_mbps = serializers.FloatField(source="figures.last_mbps", allow_null=True)
    last_at = serializers.DateTimeField(source="figures.last_at", allow_null=True)
    median_24h_mbps = serializers.FloatField(
        source="figures.median_24h", allow_null=True
    )
    median_7d_mbps = serializers.FloatField(source="figures.median_7d", allow_null=True)

    class Meta:
        model = Check
        fields = [
            "id",
            "name",
            "status",
            "poller",
            "origin",
            "destination",
            "size_mb",
            "last_mbps",
            "last_at",
            "median_24h_mbps",
            "median_7d_mbps",
        ]
        read_only_fields = fields

    def get_origin(self, obj: Check) -> str:
        return throughput.source_of(obj)

    def get_destination(self, obj: Check) -> str:
        return throughput.target_of(obj)

    def get_size_mb(self, obj: Check) -> float:
        return throughput.size_mb(obj)


class ThroughputPathViewSet(viewsets.ReadOnlyModelViewSet[Check]):
    """Throughput paths (checks of kind "throughput"): from, to, size, the
    last Mbit/s and the medians of 24 hours and 7 days."""

    queryset = throughput.paths().order_by("name", "id")
    serializer_class = ThroughputPathSerializer
    permission_classes = [VIEW_CHECKS]
    filter_backends = [
        django_filters.rest_framework.DjangoFilterBackend,
        StableOrderingFilter,
    ]
    filterset_class = CheckFilter
    ordering_fields = ["id", "name", "status"]

    def paginate_queryset(self, queryset: Any) -> Any:
        # The figures of the page's paths only: one query for them all.
        page = super().paginate_queryset(queryset)
        return _with_figures(list(queryset if page is None else page))

    def get_object(self) -> Check:
        return _with_figures([super().get_object()])[0]


def _with_figures(checks: list[Check]) -> list[Check]:
    found = throughput.figures(checks)
    for check in checks:
        check.figures = found[check.pk]  # type: ignore[attr-defined]
    return checks


class WhereIsViewSet(viewsets.ViewSet):
    """Where is a host (IP or MAC): asks the switches live."""

    permission_classes = [VIEW]

    @extend_schema(
        parameters=[
            OpenApiParameter("q", str, required=True),
            OpenApiParameter("site", int, required=False),
        ],
        responses={200: dict},
    )
    def list(self, request: Request) -> Response:
        site = request.query_params.get("site")
        place = Location.objects.filter(pk=site).first() if site else None
        try:
            answer = whereis.locate(request.query_params.get("q", ""), place)
        except DomainError as error:
            return Response({"q": [error.message]}, status=400)
        return Response(_answer(answer))


def _answer(answer: whereis.Answer) -> dict[str, Any]:
    return {
        "ip": answer.ip,
        "mac": answer.mac,
        "arp_device": answer.arp_device.pk if answer.arp_device else None,
        "asked": answer.asked,
        "failed": {str(device.pk): reason for device, reason in answer.failed.items()},
        "sightings": [
            {
                "device": s.device.pk,
                "interface": s.interface.pk if s.interface else None,
                "if_index": s.if_index,
                "vlan": s.vlan,
                "macs_on_port": s.macs_on_port,
                "uplink": s.uplink,
                "cabled_to": s.far_end,
            }
            for s in answer.sightings
        ],
    }


def register(router: BaseRouter) -> None:
    """Add this part's viewsets to the one API router."""
    router.register("network/interface-samples", InterfaceSampleViewSet)
    router.register(
        "network/throughput-paths", ThroughputPathViewSet, basename="throughput-path"
    )
    router.register("network/whereis", WhereIsViewSet, basename="network-whereis")
