"""Network API: topology — the device graph of a site, in cytoscape's
element format (the topology page draws it as it comes)."""

from __future__ import annotations

from typing import Any

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import BaseRouter

from wardkeeper.core.api_permissions import requires
from wardkeeper.inventory.models import Location
from wardkeeper.network.services import topology

READ = "network.view_interface"


class TopologyViewSet(viewsets.ViewSet):
    """The devices of a site (a campus or building) and the links between
    them, learned from cables, LLDP or both; each device's colour is the
    worst status of its enabled checks."""

    permission_classes = [requires(READ, "network.view_cable")]

    @extend_schema(
        parameters=[
            OpenApiParameter("site", OpenApiTypes.INT, required=True),
        ],
        responses={200: OpenApiTypes.OBJECT},
    )
    def list(self, request: Request) -> Response:
        site = request.query_params.get("site", "")
        if not site.isdigit():
            raise serializers.ValidationError(
                {"site": [_("Give the id of a campus or building.")]}
            )
        place = get_object_or_404(Location, pk=int(site))
        graph: dict[str, Any] = topology.build(place).as_json()
        return Response(graph)


def register(router: BaseRouter) -> None:
    """Add this part's viewsets to the one API router."""
    router.register("network/topology", TopologyViewSet, basename="network-topology")
