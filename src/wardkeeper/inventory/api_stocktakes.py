"""Stocktake API: open a count, send it scans (JSON or a scanner's CSV file),
reconcile, close, and read its result lines.

Every write calls the same service function the pages call; a refusal comes
back as the standard error body, naming the scan or the file line at fault.
"""

from __future__ import annotations

from typing import Any

import django_filters as filters
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter
from rest_framework.serializers import BaseSerializer

from wardkeeper.core.api_pagination import StableOrderingFilter
from wardkeeper.core.api_permissions import requires
from wardkeeper.inventory.choices import Reconciliation
from wardkeeper.inventory.filters import StocktakeFilter
from wardkeeper.inventory.models import Location, Stocktake, StocktakeLine
from wardkeeper.inventory.services import stocktakes as service


class StocktakeSerializer(serializers.ModelSerializer):
    opened_by = serializers.CharField(
        source="opened_by.username", read_only=True, default=None
    )
    closed_by = serializers.CharField(
        source="closed_by.username", read_only=True, default=None
    )

    class Meta:
        model = Stocktake
        fields = [
            "id",
            "name",
            "status",
            "locations",
            "opened_by",
            "opened_at",
            "closed_by",
            "closed_at",
            "reconciled_at",
        ]
        read_only_fields = fields


class StocktakeDetailSerializer(StocktakeSerializer):
    counts = serializers.SerializerMethodField()

    class Meta(StocktakeSerializer.Meta):
        fields = [*StocktakeSerializer.Meta.fields, "counts"]
        read_only_fields = fields

    def get_counts(self, stocktake: Stocktake) -> dict[str, int]:
        """Lines of each result as of the last reconciliation."""
        return service.result_counts(stocktake)


class OpenStocktakeSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=150)
    locations = serializers.PrimaryKeyRelatedField(
        queryset=Location.objects.all(), many=True, required=False
    )
    location_codes = serializers.SlugRelatedField(
        slug_field="code", queryset=Location.objects.all(), many=True, required=False
    )


class ScanSerializer(serializers.Serializer):
    tag = serializers.CharField(
        max_length=300, help_text=gettext_lazy("An asset tag, or the URL of its label.")
    )
    location = serializers.CharField(
        required=False,
        allow_null=True,
        allow_blank=True,
        help_text=gettext_lazy("The code (or id) of the place it was read in."),
    )


class ScanFileSerializer(serializers.Serializer):
    file = serializers.FileField(help_text=gettext_lazy("A scanner's CSV file."))


class StocktakeLineSerializer(serializers.ModelSerializer):
    asset_name = serializers.CharField(source="asset.name", default=None)
    expected_location_name = serializers.CharField(
        source="expected_location.full_name", default=None
    )
    found_location_name = serializers.CharField(
        source="found_location.full_name", default=None
    )

    class Meta:
        model = StocktakeLine
        fields = [
            "id",
            "result",
            "tag",
            "asset",
            "asset_name",
            "expected_location",
            "expected_location_name",
            "found_location",
            "found_location_name",
        ]
        read_only_fields = fields


class StocktakeLineFilter(filters.FilterSet):
    result = filters.ChoiceFilter(choices=Reconciliation.choices)
    tag = filters.CharFilter(lookup_expr="icontains")

    class Meta:
        model = StocktakeLine
        fields = ["result", "tag"]


def resolve_scans(rows: list[dict[str, Any]]) -> list[tuple[str, int | None]]:
    """(tag, location id) pairs from JSON scans; unknown places are reported
    by their index in the list, and then nothing is recorded."""
    values = {str(row.get("location") or "").strip() for row in rows} - {""}
    by_code = dict(Location.objects.filter(code__in=values).values_list("code", "pk"))
    ids = {v for v in values if v.isdigit()}
    by_id = {
        str(pk): pk
        for pk in Location.objects.filter(pk__in=ids).values_list("pk", flat=True)
    }
    errors: list[dict[str, Any]] = []
    scans: list[tuple[str, int | None]] = []
    for row in rows:
        value = str(row.get("location") or "").strip()
        place = by_code.get(value) or by_id.get(value)
        if value and place is None:
            message = _("No place has the code or id %(value)s.") % {"value": value}
            errors.append({"location": [message]})
        else:
            errors.append({})
        scans.append((service.tag_from_text(row["tag"]), place))
    if any(errors):
        raise ValidationError(errors)
    return scans


CHANGE = requires("inventory.view_stocktake", "inventory.change_stocktake")


class StocktakeViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Stocktakes. They are opened here and changed only by their actions."""

    queryset = Stocktake.objects.select_related(
        "opened_by", "closed_by"
    ).prefetch_related("locations")
    filter_backends = [DjangoFilterBackend, StableOrderingFilter]
    filterset_class = StocktakeFilter
    ordering_fields = ["opened_at", "closed_at", "name", "status"]

    def get_serializer_class(self) -> type[BaseSerializer[Any]]:
        if self.action == "create":
            return OpenStocktakeSerializer
        if self.action == "list":
            return StocktakeSerializer
        return StocktakeDetailSerializer

    def _detail(self, stocktake: Stocktake, code: int = status.HTTP_200_OK) -> Response:
        fresh = self.get_queryset().get(pk=stocktake.pk)
        context = self.get_serializer_context()
        return Response(StocktakeDetailSerializer(fresh, context=context).data, code)

    @extend_schema(request=OpenStocktakeSerializer, responses=StocktakeDetailSerializer)
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Open a stocktake of places given by id (``locations``) or code."""
        opening = OpenStocktakeSerializer(data=request.data)
        opening.is_valid(raise_exception=True)
        data = opening.validated_data
        places = [*data.get("locations", []), *data.get("location_codes", [])]
        stocktake = service.open_stocktake(
            name=data["name"], locations=places, actor=request.user
        )
        return self._detail(stocktake, status.HTTP_201_CREATED)

    @extend_schema(
        request={
            "application/json": ScanSerializer(many=True),
            "multipart/form-data": ScanFileSerializer,
        },
        responses={
            201: inline_serializer(
                "ScansRecorded", {"recorded": serializers.IntegerField()}
            )
        },
    )
    @action(
        detail=True,
        methods=["post"],
        permission_classes=[CHANGE],
        parser_classes=[JSONParser, MultiPartParser],
        filter_backends=[],
    )
    def scans(self, request: Request, pk: str | None = None) -> Response:
        """Record scans: a JSON list of {tag, location} or a CSV ``file``.
        A bad scan or file line refuses all of them."""
        stocktake = self.get_object()
        upload = request.FILES.get("file")
        if upload is not None:
            try:
                recorded = service.record_scan_file(
                    stocktake, upload, filename=upload.name or "", actor=request.user
                )
            except service.ScanFileError as exc:
                raise ValidationError({"file": exc.errors}) from None
        else:
            rows = ScanSerializer(data=request.data, many=True)
            rows.is_valid(raise_exception=True)
            recorded = service.record_scans(
                stocktake,
                resolve_scans(rows.validated_data),
                source="upload",
                actor=request.user,
            )
        return Response({"recorded": recorded}, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=StocktakeDetailSerializer)
    @action(
        detail=True, methods=["post"], permission_classes=[CHANGE], filter_backends=[]
    )
    def reconcile(self, request: Request, pk: str | None = None) -> Response:
        """Compare the scans with the books now; the counts come back."""
        stocktake = self.get_object()
        service.reconcile(stocktake)
        return self._detail(stocktake)

    @extend_schema(request=None, responses=StocktakeDetailSerializer)
    @action(
        detail=True, methods=["post"], permission_classes=[CHANGE], filter_backends=[]
    )
    def close(self, request: Request, pk: str | None = None) -> Response:
        """Reconcile a last time and close: the stocktake takes no more scans."""
        stocktake = self.get_object()
        service.close_stocktake(stocktake, actor=request.user)
        return self._detail(stocktake)

    @extend_schema(
        responses=StocktakeLineSerializer(many=True),
        parameters=[
            OpenApiParameter("result", enum=Reconciliation.values),
            OpenApiParameter("tag", description="Part of the asset tag."),
        ],
    )
    @action(detail=True, methods=["get"], filter_backends=[])
    def lines(self, request: Request, pk: str | None = None) -> Response:
        """The result lines (``?result=missing``), by result then tag."""
        stocktake = self.get_object()
        rows: QuerySet[StocktakeLine] = StocktakeLine.objects.filter(
            stocktake=stocktake
        ).select_related("asset", "expected_location", "found_location")
        # The viewset's filters are for stocktakes; lines have their own.
        wanted = StocktakeLineFilter(request.query_params, queryset=rows)
        if not wanted.is_valid():
            raise ValidationError(wanted.errors)
        page = self.paginate_queryset(wanted.qs.order_by("result", "tag", "pk"))
        data = StocktakeLineSerializer(page, many=True).data
        return self.get_paginated_response(data)


def register(router: DefaultRouter) -> None:
    """Add the stocktake viewset to the API router."""
    router.register("stocktakes", StocktakeViewSet)
