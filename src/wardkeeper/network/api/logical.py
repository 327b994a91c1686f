"""Network API: logical — zones, VLANs, prefixes (with utilisation and
``next-free``), IP addresses (flagged when recorded twice) and flow rules.

Writes go through the models' audited ``save()``; the checks on prefixes,
addresses, ports and targets are the pages' own (``forms_logical``,
``services.zones``)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import BaseRouter

from wardkeeper.core.api_pagination import StableOrderingFilter
from wardkeeper.core.errors import DomainError
from wardkeeper.network import addressing
from wardkeeper.network.choices import FlowProtocol
from wardkeeper.network.forms_logical import (
    AddressFilter,
    FlowRuleFilter,
    PrefixFilter,
    VLANFilter,
    ZoneFilter,
    _prefix_error,
)
from wardkeeper.network.models import VLAN, FlowRule, IPAddress, Prefix, Zone
from wardkeeper.network.services import ipam, zones


def _django_error(error: DjangoValidationError) -> serializers.ValidationError:
    return serializers.ValidationError(error.messages)


class ZoneSerializer(serializers.ModelSerializer[Zone]):
    class Meta:
        model = Zone
        fields = ["id", *Zone.editable_fields]

    def validate_colour(self, value: str) -> str:
        if value and not (len(value) == 7 and value.startswith("#")):
            raise serializers.ValidationError("Write a colour as #rrggbb.")
        return value.lower()


class VLANSerializer(serializers.ModelSerializer[VLAN]):
    class Meta:
        model = VLAN
        fields = ["id", *VLAN.editable_fields]

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        vid = attrs.get("vid", getattr(self.instance, "vid", None))
        site = attrs.get("site", getattr(self.instance, "site", None))
        twins = VLAN.objects.filter(site=site, vid=int(vid or 0))
        if self.instance is not None:
            twins = twins.exclude(pk=self.instance.pk)
        if twins.exists():
            raise serializers.ValidationError({"vid": f"VLAN {vid} exists there."})
        return attrs


class PrefixSerializer(serializers.ModelSerializer[Prefix]):
    used = serializers.SerializerMethodField()
    usable = serializers.SerializerMethodField()
    utilisation = serializers.SerializerMethodField(
        help_text="Percent of usable addresses recorded; null for huge prefixes."
    )

    class Meta:
        model = Prefix
        fields = [
            "id",
            "prefix",
            "family",
            "length",
            "site",
            "vlan",
            "zone",
            "is_pool",
            "description",
            "used",
            "usable",
            "utilisation",
        ]
        read_only_fields = ["family", "length"]

    def validate_prefix(self, value: str) -> str:
        try:
            return str(addressing.parse_network(value))
        except ValueError:
            raise serializers.ValidationError(_prefix_error(value.strip())) from None

    def get_used(self, obj: Prefix) -> int:
        return ipam.usage(obj).used

    def get_usable(self, obj: Prefix) -> int:
        return ipam.usage(obj).usable

    def get_utilisation(self, obj: Prefix) -> float | None:
        return ipam.usage(obj).percent


class IPAddressSerializer(serializers.ModelSerializer[IPAddress]):
    is_duplicate = serializers.SerializerMethodField()
    prefix = serializers.SerializerMethodField(
        help_text="The smallest prefix holding the address; null: none."
    )

    class Meta:
        model = IPAddress
        fields = [
            "id",
            "address",
            "family",
            "status",
            "interface",
            "dns_name",
            "description",
            "prefix",
            "is_duplicate",
        ]
        read_only_fields = ["family"]

    def get_is_duplicate(self, obj: IPAddress) -> bool:
        if hasattr(obj, "is_duplicate"):
            return bool(obj.is_duplicate)
        return ipam.duplicates_of(obj).exists()

    def get_prefix(self, obj: IPAddress) -> int | None:
        if hasattr(obj, "prefix_pk"):
            return obj.prefix_pk
        holder = ipam.smallest_prefix(obj)
        return holder.pk if holder else None

    def validate_address(self, value: str) -> str:
        try:
            return str(addressing.parse_interface(value))
        except ValueError:
            raise serializers.ValidationError(
                f"“{value}” is not an IP address: write 10.20.3.7/24."
            ) from None


class FlowRuleSerializer(serializers.ModelSerializer[FlowRule]):
    class Meta:
        model = FlowRule
        fields = ["id", *FlowRule.editable_fields]

    def validate_targets(self, value: str) -> str:
        try:
            return zones.clean_targets(value)
        except DjangoValidationError as error:
            raise _django_error(error) from None

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        protocol = attrs.get(
            "protocol", getattr(self.instance, "protocol", FlowProtocol.TCP)
        )
        ports = attrs.get("ports", getattr(self.instance, "ports", ""))
        try:
            attrs["ports"] = zones.clean_ports(ports, protocol)
        except DjangoValidationError as error:
            raise serializers.ValidationError({"ports": error.messages}) from None
        return attrs


class LogicalViewSet(viewsets.ModelViewSet[Any]):
    filter_backends = [DjangoFilterBackend, StableOrderingFilter]


class ZoneViewSet(LogicalViewSet):
    """Security zones, each with its kind and criticality."""

    queryset = Zone.objects.all()
    serializer_class = ZoneSerializer
    filterset_class = ZoneFilter
    ordering_fields = ["name", "kind", "criticality"]


class VLANViewSet(LogicalViewSet):
    """VLANs per site (or global: ``site`` null)."""

    queryset = VLAN.objects.all()
    serializer_class = VLANSerializer
    filterset_class = VLANFilter
    ordering_fields = ["vid", "name"]


NEXT_FREE = inline_serializer(
    "NextFree",
    {
        "address": serializers.CharField(allow_null=True, required=False),
        "prefix": serializers.CharField(allow_null=True, required=False),
    },
)


class PrefixViewSet(LogicalViewSet):
    """Prefixes with their utilisation; ``next-free`` gives the next free
    address, or with ``?length=N`` the next free prefix of that length."""

    serializer_class = PrefixSerializer
    filterset_class = PrefixFilter
    ordering_fields = ["first", "length", "prefix"]

    def get_queryset(self) -> QuerySet[Prefix]:
        rows = ipam.with_usage(Prefix.objects.all())
        return rows.order_by("first", "length", "pk")

    @extend_schema(
        parameters=[OpenApiParameter("length", OpenApiTypes.INT, required=False)],
        responses={200: NEXT_FREE},
    )
    @action(detail=True, methods=["get"], url_path="next-free", filter_backends=[])
    def next_free(self, request: Request, pk: Any = None) -> Response:
        prefix = self.get_object()
        length = request.query_params.get("length", "").strip().lstrip("/")
        if not length:
            free = ipam.next_free_address(prefix)
            return Response(
                {"address": f"{free}/{prefix.length}" if free is not None else None}
            )
        if not length.isdigit():
            raise DomainError("Write a length: 24.", field="length")
        found = ipam.next_free_prefix(prefix, int(length))
        return Response({"prefix": str(found) if found is not None else None})


class IPAddressViewSet(LogicalViewSet):
    """IP addresses, each with the smallest prefix holding it (null: none)
    and whether it is recorded more than once."""

    serializer_class = IPAddressSerializer
    filterset_class = AddressFilter
    ordering_fields = ["key", "dns_name", "status"]

    def get_queryset(self) -> QuerySet[IPAddress]:
        return ipam.with_flags(IPAddress.objects.all()).order_by("key", "pk")


class FlowRuleViewSet(LogicalViewSet):
    """The flow policy's rules: from zone, to zone, must pass or be refused."""

    queryset = FlowRule.objects.all()
    serializer_class = FlowRuleSerializer
    filterset_class = FlowRuleFilter
    ordering_fields = ["source__name", "destination__name", "id"]


def register(router: BaseRouter) -> None:
    """Add this part's viewsets to the one API router."""
    router.register("network/zones", ZoneViewSet, basename="network-zone")
    router.register("network/vlans", VLANViewSet, basename="network-vlan")
    router.register("network/prefixes", PrefixViewSet, basename="network-prefix")
    router.register("network/addresses", IPAddressViewSet, basename="network-address")
    router.register("network/flow-rules", FlowRuleViewSet, basename="network-flowrule")
