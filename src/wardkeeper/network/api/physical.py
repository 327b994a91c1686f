"""Network API: physical — racks, placements, patch panels (and their ports),
outlets, interfaces, cables with their ends, cable tests, and the trace.

Writes go through the same services as the pages (placement overlap, panel
ports, cable points), so a refusal comes back as a field error.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_field,
)
from rest_framework import serializers, viewsets
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import BaseRouter

from wardkeeper.core.api_pagination import StableOrderingFilter
from wardkeeper.core.api_permissions import requires
from wardkeeper.core.api_serializers import (
    CleanModelSerializer,
    CompactRelatedField,
    choice_display,
)
from wardkeeper.core.errors import DomainError
from wardkeeper.inventory.models import Asset, Location
from wardkeeper.network.choices import Face
from wardkeeper.network.forms_physical import (
    CableFilter,
    CableTestFilter,
    InterfaceFilter,
    OutletFilter,
    PatchPanelFilter,
    PlacementFilter,
    RackFilter,
)
from wardkeeper.network.models import (
    VLAN,
    Cable,
    CableTest,
    Interface,
    Outlet,
    PanelPort,
    PatchPanel,
    Placement,
    Rack,
)
from wardkeeper.network.services import physical, physical_cables
from wardkeeper.network.services import trace as tracing
from wardkeeper.network.services.physical_points import start_point


class RackSerializer(CleanModelSerializer):
    location = CompactRelatedField(queryset=Location.objects.all())
    kind_display = choice_display("kind")

    class Meta:
        model = Rack
        fields = ["id", *Rack.editable_fields, "kind_display"]


class PlacementSerializer(CleanModelSerializer):
    rack = CompactRelatedField(queryset=Rack.objects.all())
    asset = CompactRelatedField(queryset=Asset.objects.all())

    class Meta:
        model = Placement
        fields = ["id", "rack", "asset", "position", "height_u", "face", "full_depth"]

    def save(self, **kwargs: Any) -> Placement:
        placement = self.instance or Placement()
        for name, value in {**self.validated_data, **kwargs}.items():
            setattr(placement, name, value)
        self.instance = physical.place_device(placement)
        return self.instance


class PatchPanelSerializer(CleanModelSerializer):
    location = CompactRelatedField(queryset=Location.objects.all())
    rack = CompactRelatedField(
        queryset=Rack.objects.all(), required=False, allow_null=True
    )

    class Meta:
        model = PatchPanel
        fields = ["id", *PatchPanel.editable_fields]

    def save(self, **kwargs: Any) -> PatchPanel:
        panel = self.instance or PatchPanel()
        for name, value in {**self.validated_data, **kwargs}.items():
            setattr(panel, name, value)
        self.instance = physical.save_panel(panel)
        return self.instance


class PanelPortSerializer(serializers.ModelSerializer[PanelPort]):
    front = serializers.SerializerMethodField()
    rear = serializers.SerializerMethodField()

    class Meta:
        model = PanelPort
        fields = ["id", "panel", "number", "label", "front", "rear"]

    def _cable(self, port: PanelPort, face: str) -> dict[str, Any] | None:
        for end in port.cable_ends.all():  # prefetched
            if end.face == face:
                return {"id": end.cable_id, "name": str(end.cable)}
        return None

    def get_front(self, port: PanelPort) -> dict[str, Any] | None:
        return self._cable(port, Face.FRONT)

    def get_rear(self, port: PanelPort) -> dict[str, Any] | None:
        return self._cable(port, Face.REAR)


class OutletSerializer(CleanModelSerializer):
    location = CompactRelatedField(queryset=Location.objects.all())

    class Meta:
        model = Outlet
        fields = ["id", *Outlet.editable_fields]


class InterfaceSerializer(CleanModelSerializer):
    device = CompactRelatedField(queryset=Asset.objects.all())
    untagged_vlan = CompactRelatedField(
        queryset=VLAN.objects.all(), required=False, allow_null=True
    )
    tagged_vlans = serializers.PrimaryKeyRelatedField(
        queryset=VLAN.objects.all(), many=True, required=False
    )

    class Meta:
        model = Interface
        fields = ["id", *Interface.editable_fields, "oper_up", "polled_at"]
        read_only_fields = ["oper_up", "polled_at"]


@extend_schema_field(OpenApiTypes.OBJECT)
class PointField(serializers.Field):
    """A cable end: {"kind": "interface"|"outlet"|"port", "id", "face"}."""

    def to_representation(self, value: Any) -> dict[str, Any]:
        return tracing.describe(value)

    def to_internal_value(self, data: Any) -> Any:
        if not isinstance(data, dict) or not str(data.get("id", "")).isdigit():
            raise serializers.ValidationError(
                _('Write {"kind": "interface", "id": 12} (a port also needs "face").')
            )
        kind, pk = data.get("kind"), int(data["id"])
        if kind == "interface":
            return _get(Interface.objects.select_related("device"), pk)
        if kind == "outlet":
            return _get(Outlet.objects.all(), pk)
        if kind == "port":
            port = _get(PanelPort.objects.select_related("panel"), pk)
            if data.get("face") not in Face.values:
                raise serializers.ValidationError(_('"face" is "front" or "rear".'))
            return (port, data["face"])
        raise serializers.ValidationError(
            _('"kind" is "interface", "port" or "outlet".')
        )


def _get(rows: Any, pk: int) -> Any:
    found = rows.filter(pk=pk).first()
    if found is None:
        raise serializers.ValidationError(_("No such point: %(id)s.") % {"id": pk})
    return found


class CableSerializer(serializers.ModelSerializer[Cable]):
    a = PointField()
    b = PointField()
    kind_display = choice_display("kind")
    status_display = choice_display("status")

    class Meta:
        model = Cable
        fields = [
            "id",
            "label",
            "kind",
            "kind_display",
            "status",
            "status_display",
            "length_m",
            "colour",
            "description",
            "a",
            "b",
        ]

    def to_representation(self, instance: Cable) -> dict[str, Any]:
        ends = {e.side: tracing.point_of(e) for e in instance.ends.all()}
        instance.a, instance.b = ends.get("a"), ends.get("b")  # type: ignore[attr-defined]
        return super().to_representation(instance)

    def save(self, **kwargs: Any) -> Cable:
        data = {**self.validated_data, **kwargs}
        cable = self.instance or Cable()
        if self.instance is not None:
            ends = physical_cables.current_ends(cable)
            data.setdefault("a", ends.get("a"))
            data.setdefault("b", ends.get("b"))
        a, b = data.pop("a"), data.pop("b")
        for name, value in data.items():
            setattr(cable, name, value)
        self.instance = physical_cables.connect(cable, a, b)
        return self.instance


class CableTestSerializer(CleanModelSerializer):
    cable = CompactRelatedField(queryset=Cable.objects.all())

    class Meta:
        model = CableTest
        fields = ["id", "cable", *CableTest.editable_fields]

    def to_representation(self, instance: CableTest) -> dict[str, Any]:
        data = super().to_representation(instance)
        # The file is not under a public URL: point at the guarded download.
        data["file"] = (
            reverse("network:cabletest-file", args=[instance.pk])
            if instance.file
            else None
        )
        return data


class PhysicalViewSet(viewsets.ModelViewSet[Any]):
    filter_backends = [DjangoFilterBackend, StableOrderingFilter]


class RackViewSet(PhysicalViewSet):
    """Racks, distribution frames and wall cabinets in rooms."""

    queryset = Rack.objects.select_related("location")
    serializer_class = RackSerializer
    filterset_class = RackFilter
    ordering_fields = ["id", "name", "height_u"]


class PlacementViewSet(PhysicalViewSet):
    """Devices mounted in racks (position = lowest U, face, full depth)."""

    queryset = Placement.objects.select_related("rack", "asset")
    serializer_class = PlacementSerializer
    filterset_class = PlacementFilter
    ordering_fields = ["id", "position"]


class PatchPanelViewSet(PhysicalViewSet):
    """Patch panels; their ports 1…N follow ``ports``."""

    queryset = PatchPanel.objects.select_related("location", "rack")
    serializer_class = PatchPanelSerializer
    filterset_class = PatchPanelFilter
    ordering_fields = ["id", "name"]


class PanelPortViewSet(viewsets.ReadOnlyModelViewSet[PanelPort]):
    """Panel ports with the cable on each face (read-only: the panel's port
    count makes and drops them)."""

    queryset = PanelPort.objects.prefetch_related("cable_ends__cable").order_by(
        "panel_id", "number"
    )
    serializer_class = PanelPortSerializer
    # Ports are part of their panel: reading the panel reads its ports.
    permission_classes = [requires("network.view_panelport")]
    filterset_fields = ["panel"]
    filter_backends = [DjangoFilterBackend, StableOrderingFilter]
    ordering_fields = ["id", "number"]


class OutletViewSet(PhysicalViewSet):
    """Wall and floor outlets in rooms."""

    queryset = Outlet.objects.select_related("location")
    serializer_class = OutletSerializer
    filterset_class = OutletFilter
    ordering_fields = ["id", "label"]


class InterfaceViewSet(PhysicalViewSet):
    """Device interfaces, with their VLANs."""

    queryset = Interface.objects.select_related(
        "device", "untagged_vlan"
    ).prefetch_related("tagged_vlans")
    serializer_class = InterfaceSerializer
    filterset_class = InterfaceFilter
    ordering_fields = ["id", "name", "device_id"]


class CableViewSet(PhysicalViewSet):
    """Cables with their two ends; a point already cabled is refused."""

    queryset = Cable.objects.prefetch_related(
        "ends__interface__device", "ends__outlet", "ends__port__panel"
    )
    serializer_class = CableSerializer
    filterset_class = CableFilter
    ordering_fields = ["id", "label"]

    def perform_destroy(self, instance: Cable) -> None:
        physical_cables.delete_cable(instance)


class CableTestViewSet(PhysicalViewSet):
    """Cable test reports; the instrument's file is a multipart upload."""

    queryset = CableTest.objects.select_related("cable")
    serializer_class = CableTestSerializer
    filterset_class = CableTestFilter
    parser_classes = [JSONParser, MultiPartParser, FormParser]
    ordering_fields = ["id", "tested_on"]

    def perform_create(self, serializer: Any) -> None:
        with transaction.atomic():
            serializer.save(recorded_by=self.request.user)


class TraceViewSet(viewsets.ViewSet):
    """The cable path from ?outlet=, ?interface= or ?port=&face=."""

    permission_classes = [requires("network.view_cable")]

    @extend_schema(
        parameters=[
            OpenApiParameter("outlet", int, required=False),
            OpenApiParameter("interface", int, required=False),
            OpenApiParameter("port", int, required=False),
            OpenApiParameter("face", str, required=False, enum=["front", "rear"]),
        ],
        responses={200: dict},
    )
    def list(self, request: Request) -> Response:
        start = start_point(request.query_params)
        if start is None:
            raise DomainError(
                _("Give outlet, interface or port (with face)."), field="outlet"
            )
        path = tracing.trace(start)
        return Response(
            {
                "start": tracing.describe(path.start),
                "end": tracing.describe(path.end),
                "complete": path.complete,
                "looped": path.looped,
                "blocked_by": path.blocked_by.pk if path.blocked_by else None,
                "total_length_m": str(path.total_length_m),
                "hops": [
                    {
                        "cable": {
                            "id": cable.pk,
                            "label": cable.label,
                            "kind": cable.kind,
                            "status": cable.status,
                            "length_m": cable.length_m,
                        },
                        "from": tracing.describe(a),
                        "to": tracing.describe(b),
                    }
                    for cable, a, b in path.hops
                ],
            }
        )


def register(router: BaseRouter) -> None:
    """Add this part's viewsets to the one API router."""
    router.register("network/racks", RackViewSet, basename="network-rack")
    router.register(
        "network/placements", PlacementViewSet, basename="network-placement"
    )
    router.register("network/panels", PatchPanelViewSet, basename="network-panel")
    router.register(
        "network/panel-ports", PanelPortViewSet, basename="network-panel-port"
    )
    router.register("network/outlets", OutletViewSet, basename="network-outlet")
    router.register(
        "network/interfaces", InterfaceViewSet, basename="network-interface"
    )
    router.register("network/cables", CableViewSet, basename="network-cable")
    router.register(
        "network/cable-tests", CableTestViewSet, basename="network-cable-test"
    )
    router.register("network/trace", TraceViewSet, basename="network-trace")
