"""Network API: traffic samples (read-only) and where-is-this-host."""

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
from wardkeeper.network.models import InterfaceSample
from wardkeeper.network.services import whereis

VIEW = requires("network.view_interface")


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
    router.register("network/whereis", WhereIsViewSet, basename="network-whereis")
