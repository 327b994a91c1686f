"""Pages of the equipment catalogue: manufacturers, asset types and models."""

from __future__ import annotations

from typing import Any

from django.db.models import Count
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _

from wardkeeper.core.views.generic import (
    Column,
    ObjectCreate,
    ObjectDelete,
    ObjectDetail,
    ObjectList,
    ObjectUpdate,
)
from wardkeeper.inventory.choices import AssetStatus
from wardkeeper.inventory.filters import (
    AssetModelFilter,
    AssetTypeFilter,
    ManufacturerFilter,
)
from wardkeeper.inventory.forms import (
    AssetModelForm,
    AssetTypeForm,
    ManufacturerForm,
)
from wardkeeper.inventory.models import Asset, AssetModel, AssetType, Manufacturer

MODELS_SHOWN = 50


def status_counts(assets: Any) -> list[tuple[AssetStatus, int]]:
    """How many of these assets are in each state, in one grouped query."""
    counts = dict(assets.values_list("status").annotate(n=Count("id")).order_by())
    return [(s, counts.get(s.value, 0)) for s in AssetStatus if counts.get(s.value)]


class ManufacturerList(ObjectList):
    model = Manufacturer
    queryset = Manufacturer.objects.annotate(model_count=Count("models")).order_by(
        "name"
    )
    filterset_class = ManufacturerFilter
    columns = [
        Column(_("Name"), "name", link=True),
        Column(_("Website"), "website"),
        Column(_("Support phone"), "support_phone"),
        Column(_("Models"), "model_count", css="text-end"),
    ]


class ManufacturerDetail(ObjectDetail):
    model = Manufacturer

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["products"] = (
            self.object.models.select_related("asset_type")
            .annotate(asset_count=Count("assets"))
            .order_by("name")[:MODELS_SHOWN]
        )
        return context


class ManufacturerCreate(ObjectCreate):
    model = Manufacturer
    form_class = ManufacturerForm


class ManufacturerUpdate(ObjectUpdate):
    model = Manufacturer
    form_class = ManufacturerForm


class ManufacturerDelete(ObjectDelete):
    model = Manufacturer


class AssetTypeList(ObjectList):
    model = AssetType
    queryset = AssetType.objects.annotate(asset_count=Count("assets")).order_by("name")
    filterset_class = AssetTypeFilter
    columns = [
        Column(_("Name"), "display_name", link=True),
        Column(_("Code"), "code", css="wk-code"),
        Column(_("Category"), "category"),
        Column(_("Depreciation years"), "depreciation_years", css="text-end"),
        Column(_("Stores data"), "stores_data", yesno=True),
        Column(_("Built in"), "is_builtin", yesno=True),
        Column(_("Assets"), "asset_count", css="text-end"),
    ]


class AssetTypeDetail(ObjectDetail):
    model = AssetType

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        kind: AssetType = self.object
        context.update(
            products=kind.models.select_related("manufacturer")[:MODELS_SHOWN],
            model_count=kind.models.count(),
            by_status=status_counts(Asset.objects.filter(asset_type=kind)),
            asset_query=f"asset_type={kind.pk}",
            can_delete=context["can_delete"] and not kind.is_builtin,
        )
        return context


class AssetTypeCreate(ObjectCreate):
    model = AssetType
    form_class = AssetTypeForm


class AssetTypeUpdate(ObjectUpdate):
    model = AssetType
    form_class = AssetTypeForm


class AssetTypeDelete(ObjectDelete):
    model = AssetType

    def refusal(self, obj: AssetType) -> str:
        if obj.is_builtin:
            return _t("%(type)s is built in and cannot be deleted.") % {"type": obj}
        return ""


class AssetModelList(ObjectList):
    model = AssetModel
    queryset = (
        AssetModel.objects.select_related("manufacturer", "asset_type")
        .annotate(asset_count=Count("assets"))
        .order_by("manufacturer__name", "name")
    )
    filterset_class = AssetModelFilter
    columns = [
        Column(_("Model"), "name", link=True),
        Column(_("Manufacturer"), "manufacturer.name"),
        Column(_("Type"), "asset_type.display_name"),
        Column(_("Part number"), "part_number", css="wk-code"),
        Column(_("End of support"), "end_of_support"),
        Column(_("Assets"), "asset_count", css="text-end"),
    ]


class AssetModelDetail(ObjectDetail):
    model = AssetModel
    queryset = AssetModel.objects.select_related("manufacturer", "asset_type")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        product: AssetModel = self.object
        counts = status_counts(Asset.objects.filter(model=product))
        context.update(
            by_status=counts,
            asset_total=sum(n for _status, n in counts),
            asset_query=f"model={product.pk}",
            pools=product.spare_pools.select_related("campus"),
        )
        return context


class AssetModelCreate(ObjectCreate):
    model = AssetModel
    form_class = AssetModelForm


class AssetModelUpdate(ObjectUpdate):
    model = AssetModel
    form_class = AssetModelForm


class AssetModelDelete(ObjectDelete):
    model = AssetModel
