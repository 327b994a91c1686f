"""Inventory API: a viewset per inventory model, and the asset lifecycle.

Lists filter with the FilterSets of ``filters.py`` (the same ones the pages
use), order by the fields each viewset names, and fetch every relation a row
shows in the page's own queries, so a page of 500 costs what a page of 5 does.
"""

from __future__ import annotations

from typing import Any

import django_filters as filters
from django.db.models import (
    Case,
    Count,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    When,
)
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter
from rest_framework.serializers import BaseSerializer

from wardkeeper.core import audit
from wardkeeper.core.api_pagination import StableOrderingFilter
from wardkeeper.core.api_permissions import requires
from wardkeeper.core.api_serializers import CompactRelatedField, choice_display
from wardkeeper.core.models import AuditEntry
from wardkeeper.inventory import filters as inventory_filters
from wardkeeper.inventory import serializers as s
from wardkeeper.inventory.asset_rows import with_row_relations
from wardkeeper.inventory.choices import AssetStatus
from wardkeeper.inventory.models import (
    Asset,
    AssetModel,
    AssetType,
    Contract,
    DataWipeRecord,
    Department,
    LifecycleEvent,
    Location,
    Manufacturer,
    SparePool,
    Vendor,
)
from wardkeeper.inventory.services.lifecycle import WipeDetails, move_asset


# The request and response shapes of the asset's lifecycle actions.
class WipeSerializer(s.DataWipeRecordSerializer):
    """The data wipe recorded with a move (the asset is the one moving)."""

    class Meta(s.DataWipeRecordSerializer.Meta):
        fields = ["method", "performed_at", "performed_by", "certificate", "notes"]


class MoveSerializer(serializers.Serializer[Any]):
    """A lifecycle move: the state to go to, why, and for disposal the wipe."""

    to = serializers.ChoiceField(choices=AssetStatus.choices)
    reason = serializers.CharField(allow_blank=True)
    wipe = WipeSerializer(required=False, allow_null=True)


class LifecycleEventSerializer(serializers.ModelSerializer[LifecycleEvent]):
    """One move of the asset, with who made it and why."""

    from_status_display = choice_display("from_status")
    to_status_display = choice_display("to_status")
    actor = CompactRelatedField(read_only=True)

    class Meta:
        model = LifecycleEvent
        fields = [
            "id",
            "at",
            "from_status",
            "from_status_display",
            "to_status",
            "to_status_display",
            "reason",
            "actor",
        ]


class HistoryEntrySerializer(serializers.ModelSerializer[AuditEntry]):
    """One entry of an asset's history, as its page shows it (no hashes or
    client addresses: those are for the audit administrator)."""

    source_display = choice_display("source")
    action_display = choice_display("action")

    class Meta:
        model = AuditEntry
        fields = [
            "id",
            "at",
            "actor_name",
            "source",
            "source_display",
            "action",
            "action_display",
            "changes",
            "message",
        ]


class InventoryViewSet(viewsets.ModelViewSet[Any]):
    """Shared list behaviour: the area's FilterSet, ordering, stable pages."""

    filter_backends = [DjangoFilterBackend, StableOrderingFilter]


class LocationViewSet(InventoryViewSet):
    """Campuses, buildings, floors and rooms, with clinical criticality."""

    queryset = Location.objects.select_related("parent", "campus")
    serializer_class = s.LocationSerializer
    filterset_class = inventory_filters.LocationFilter
    ordering_fields = ["full_name", "name", "code", "kind", "criticality"]


class DepartmentViewSet(InventoryViewSet):
    """Clinical and administrative departments, with their cost centres."""

    queryset = Department.objects.select_related("campus")
    serializer_class = s.DepartmentSerializer
    filterset_class = inventory_filters.DepartmentFilter
    ordering_fields = ["name", "code", "cost_centre"]


class ManufacturerViewSet(InventoryViewSet):
    """Makers of equipment."""

    queryset = Manufacturer.objects.all()
    serializer_class = s.ManufacturerSerializer
    filterset_class = inventory_filters.ManufacturerFilter
    ordering_fields = ["name"]


class AssetTypeViewSet(InventoryViewSet):
    """Kinds of equipment: depreciation years, data-bearing, own fields."""

    queryset = AssetType.objects.all()
    serializer_class = s.AssetTypeSerializer
    filterset_class = inventory_filters.AssetTypeFilter
    ordering_fields = ["name", "code", "category", "depreciation_years"]


class AssetModelViewSet(InventoryViewSet):
    """Product models of a manufacturer, each of one asset type."""

    queryset = AssetModel.objects.select_related("manufacturer", "asset_type")
    serializer_class = s.AssetModelSerializer
    filterset_class = inventory_filters.AssetModelFilter
    ordering_fields = ["name", "manufacturer__name", "part_number", "end_of_support"]


class VendorViewSet(InventoryViewSet):
    """Companies the hospital buys from or that repair its equipment."""

    queryset = Vendor.objects.all()
    serializer_class = s.VendorSerializer
    filterset_class = inventory_filters.VendorFilter
    ordering_fields = ["name"]


class ContractViewSet(InventoryViewSet):
    """Purchase, warranty, maintenance and support contracts;
    ``expiring_within=N`` lists those in force that end within N days."""

    # Only the ids of the covered assets are shown: one query for the page.
    queryset = Contract.objects.select_related("vendor").prefetch_related(
        Prefetch("assets", queryset=Asset.objects.only("id"))
    )
    serializer_class = s.ContractSerializer
    filterset_class = inventory_filters.ContractFilter
    ordering_fields = ["ends_on", "starts_on", "number", "title", "cost"]


def with_available(pools: QuerySet[SparePool]) -> QuerySet[SparePool]:
    """Pools annotated with ``available_now``: the spares in stock that fit each,
    counted in the database (the same rule as ``available_counts``), so that a
    filter on it pages correctly."""
    in_stock = Asset.objects.filter(
        status=AssetStatus.IN_STOCK, location__campus=OuterRef("campus_id")
    ).order_by()

    def count(rows: QuerySet[Asset]) -> Coalesce:
        grouped = rows.values("location__campus").annotate(n=Count("pk"))
        return Coalesce(Subquery(grouped.values("n")[:1]), 0)

    return pools.annotate(
        available_now=Case(
            When(
                asset_model__isnull=False,
                then=count(in_stock.filter(model=OuterRef("asset_model_id"))),
            ),
            default=count(in_stock.filter(asset_type=OuterRef("asset_type_id"))),
        )
    )


class SparePoolApiFilter(inventory_filters.SparePoolFilter):
    """The pages' spare-pool filter plus ``below_minimum``."""

    below_minimum = filters.BooleanFilter(
        label=_("Below minimum"), method="filter_below_minimum"
    )

    def filter_below_minimum(
        self, queryset: QuerySet[SparePool], name: str, value: bool
    ) -> QuerySet[SparePool]:
        below = Q(available_now__lt=F("minimum_level"))
        return with_available(queryset).filter(below if value else ~below)


class SparePoolViewSet(InventoryViewSet):
    """Spares kept per campus with a minimum level; ``below_minimum=true``
    lists the pools to restock."""

    queryset = SparePool.objects.select_related(
        "campus", "asset_model__manufacturer", "asset_type", "storage"
    )
    serializer_class = s.SparePoolSerializer
    filterset_class = SparePoolApiFilter
    ordering_fields = ["name", "minimum_level", "campus__name"]


class DataWipeRecordViewSet(
    mixins.CreateModelMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet[DataWipeRecord],
):
    """Proof of data destruction: recorded and read, never changed or deleted."""

    queryset = DataWipeRecord.objects.select_related("asset", "verified_by")
    serializer_class = s.DataWipeRecordSerializer
    filter_backends = [DjangoFilterBackend, StableOrderingFilter]
    filterset_fields = ["asset", "method"]
    ordering_fields = ["performed_at", "method"]

    def perform_create(self, serializer: BaseSerializer[Any]) -> None:
        serializer.save(verified_by=self.request.user)


class AssetViewSet(InventoryViewSet):
    """Assets; their status changes only through ``move/``."""

    queryset = with_row_relations(Asset.objects.all())  # no joins: see asset_rows
    filterset_class = inventory_filters.AssetFilter
    ordering_fields = [
        "tag",
        "name",
        "serial",
        "status",
        "condition",
        "hostname",
        "ip_address",
        "purchase_date",
        "purchase_cost",
        "warranty_end",
        "created_at",
        "updated_at",
        "location__full_name",
        "department__name",
    ]

    def get_serializer_class(self) -> type[BaseSerializer[Any]]:
        if self.action in ("update", "partial_update"):
            return s.AssetUpdateSerializer
        return s.AssetSerializer

    @extend_schema(request=MoveSerializer, responses=s.AssetSerializer)
    @action(
        detail=True,
        methods=["post"],
        permission_classes=[requires("inventory.view_asset", "inventory.move_asset")],
        filter_backends=[],
    )
    def move(self, request: Request, pk: str | None = None) -> Response:
        """Move the asset through its lifecycle, with the reason (and, to dispose
        of a device that stores data, the data wipe) in one transaction."""
        asset = self.get_object()
        move = MoveSerializer(data=request.data, context=self.get_serializer_context())
        move.is_valid(raise_exception=True)
        wipe = move.validated_data.get("wipe")
        if wipe is not None and not request.user.has_perm(
            "inventory.add_datawiperecord"
        ):
            self.permission_denied(request, str(_("You may not record data wipes.")))
        move_asset(
            asset,
            move.validated_data["to"],
            reason=move.validated_data["reason"],
            actor=request.user,
            wipe=WipeDetails(**wipe) if wipe is not None else None,
        )
        fresh = self.get_queryset().get(pk=asset.pk)
        return Response(
            s.AssetSerializer(fresh, context=self.get_serializer_context()).data
        )

    @extend_schema(responses=HistoryEntrySerializer(many=True))
    @action(detail=True, methods=["get"], filter_backends=[])
    def history(self, request: Request, pk: str | None = None) -> Response:
        """The asset's audit trail, newest first."""
        return self._paged(audit.history(self.get_object()), HistoryEntrySerializer)

    @extend_schema(responses=LifecycleEventSerializer(many=True))
    @action(detail=True, methods=["get"], filter_backends=[])
    def moves(self, request: Request, pk: str | None = None) -> Response:
        """The asset's lifecycle moves, newest first."""
        events = self.get_object().lifecycle_events.select_related("actor")
        return self._paged(events, LifecycleEventSerializer)

    def _paged(
        self, rows: QuerySet[Any], serializer: type[BaseSerializer[Any]]
    ) -> Response:
        page = self.paginate_queryset(rows)
        data = serializer(page, many=True, context=self.get_serializer_context()).data
        return self.get_paginated_response(data)


def register(router: DefaultRouter) -> None:
    """Add the inventory viewsets to the API router."""
    router.register("locations", LocationViewSet)
    router.register("departments", DepartmentViewSet)
    router.register("manufacturers", ManufacturerViewSet)
    router.register("asset-types", AssetTypeViewSet)
    router.register("models", AssetModelViewSet)
    router.register("vendors", VendorViewSet)
    router.register("contracts", ContractViewSet)
    router.register("assets", AssetViewSet)
    router.register("spare-pools", SparePoolViewSet)
    router.register("data-wipe-records", DataWipeRecordViewSet)
