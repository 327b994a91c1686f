"""Pages of the spare pools: the spares kept per campus and their minimum."""

from __future__ import annotations

from typing import Any

import django_filters as filters
from django.db.models import (
    Case,
    Count,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _
from django_filters.widgets import BooleanWidget

from wardkeeper.core.views.generic import (
    Column,
    ObjectCreate,
    ObjectDelete,
    ObjectDetail,
    ObjectList,
    ObjectUpdate,
)
from wardkeeper.inventory.choices import AssetStatus
from wardkeeper.inventory.filters import SparePoolFilter
from wardkeeper.inventory.forms import SparePoolForm
from wardkeeper.inventory.models import Asset, SparePool
from wardkeeper.inventory.models.assets import AssetQuerySet
from wardkeeper.inventory.models.spares import available_counts

SPARES_SHOWN = 50


def _in_stock_count(**match: Any) -> Coalesce:
    spares = (
        Asset.objects.filter(
            status=AssetStatus.IN_STOCK, location__campus=OuterRef("campus"), **match
        )
        .order_by()
        .values("status")
        .annotate(n=Count("id"))
        .values("n")
    )
    return Coalesce(Subquery(spares, output_field=IntegerField()), Value(0))


def with_available(pools: QuerySet[SparePool]) -> QuerySet[SparePool]:
    """Annotate ``available``: the rule of ``available_counts`` as a subquery,
    so the list can filter on it in the database."""
    return pools.annotate(
        available=Case(
            When(
                asset_model__isnull=False,
                then=_in_stock_count(model=OuterRef("asset_model")),
            ),
            default=_in_stock_count(asset_type=OuterRef("asset_type")),
            output_field=IntegerField(),
        )
    )


class SparePoolListFilter(SparePoolFilter):
    # BooleanWidget reads ?below_minimum=1, the link on the home page.
    below_minimum = filters.BooleanFilter(
        label=_("Below minimum"),
        method="filter_below_minimum",
        widget=BooleanWidget(),
    )

    def filter_below_minimum(
        self, queryset: QuerySet[SparePool], name: str, value: bool | None
    ) -> QuerySet[SparePool]:
        if value is None:
            return queryset
        # A Q object: the typing plugin cannot see the annotated field.
        below = with_available(queryset).filter(Q(available__lt=F("minimum_level")))
        return below if value else queryset.exclude(pk__in=below.values("pk"))


class SparePoolList(ObjectList):
    model = SparePool
    queryset = SparePool.objects.select_related(
        "campus", "asset_model__manufacturer", "asset_type", "storage"
    )
    filterset_class = SparePoolListFilter
    filter_fields = ("q", "campus", "below_minimum")
    columns = [
        Column(_("Name"), "name", link=True),
        Column(_("Campus"), "campus"),
        Column(_("Spares of"), "pk", template="inventory/cells/pool_kind.html"),
        Column(_("Minimum"), "minimum_level", css="text-end"),
        Column(_("Available"), "available", template="inventory/cells/pool_level.html"),
        Column(_("Kept in"), "storage.name"),
    ]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        pools = list(context["object_list"])
        counts = available_counts(pools)  # one grouped query for the whole page
        for pool in pools:
            pool.available = counts[pool.pk]
            if pool.available < pool.minimum_level:
                pool.row_css = "table-danger"
        context["object_list"] = pools
        return context


def spares_of(pool: SparePool) -> AssetQuerySet:
    """The spares that count in this pool (the rule of ``available_counts``)."""
    match: dict[str, int | None] = (
        {"model": pool.asset_model_id}
        if pool.asset_model_id
        else {"asset_type": pool.asset_type_id}
    )
    return Asset.objects.spares().filter(location__campus=pool.campus_id, **match)


class SparePoolDetail(ObjectDetail):
    model = SparePool
    queryset = SparePool.objects.select_related(
        "campus", "asset_model__manufacturer", "asset_type", "storage"
    )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        pool: SparePool = self.object
        spares = spares_of(pool)
        available = spares.count()
        context.update(
            spares=spares.with_related()[:SPARES_SHOWN],
            available=available,
            below=available < pool.minimum_level,
        )
        return context


class SparePoolCreate(ObjectCreate):
    model = SparePool
    form_class = SparePoolForm


class SparePoolUpdate(ObjectUpdate):
    model = SparePool
    form_class = SparePoolForm


class SparePoolDelete(ObjectDelete):
    model = SparePool
