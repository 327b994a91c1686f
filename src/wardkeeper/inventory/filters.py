"""One FilterSet per listable model, shared by the pages, the API and exports."""

from __future__ import annotations

from typing import Any

import django_filters as filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from wardkeeper.inventory.choices import (
    AssetCategory,
    AssetStatus,
    Condition,
    ContractKind,
    Criticality,
    LocationKind,
    StocktakeStatus,
)
from wardkeeper.inventory.models import (
    Asset,
    AssetModel,
    AssetType,
    Contract,
    Department,
    Location,
    Manufacturer,
    SparePool,
    Stocktake,
    Vendor,
)
from wardkeeper.inventory.models.assets import AssetQuerySet
from wardkeeper.inventory.models.locations import subtree_q
from wardkeeper.inventory.models.vendors import ContractQuerySet


class TextSearchMixin(filters.FilterSet):
    """A ``q`` parameter searching the fields named in ``search_fields``."""

    search_fields: tuple[str, ...] = ("name",)
    q = filters.CharFilter(label=_("Search"), method="filter_q")

    def filter_q(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        from django.db.models import Q

        query = Q()
        for field in self.search_fields:
            query |= Q(**{f"{field}__icontains": value})
        return queryset.filter(query)


class LocationFilter(TextSearchMixin):
    search_fields = ("full_name", "code")
    kind = filters.ChoiceFilter(choices=LocationKind.choices)
    criticality = filters.ChoiceFilter(choices=Criticality.choices)
    within = filters.NumberFilter(label=_("Within"), method="filter_within")

    class Meta:
        model = Location
        fields = ["kind", "criticality", "parent"]

    def filter_within(
        self, queryset: QuerySet[Location], name: str, value: int
    ) -> QuerySet[Location]:
        return queryset.filter(subtree_q(int(value)))


class DepartmentFilter(TextSearchMixin):
    search_fields = ("name", "code", "cost_centre")

    class Meta:
        model = Department
        fields = ["campus", "is_clinical"]


class ManufacturerFilter(TextSearchMixin):
    class Meta:
        model = Manufacturer
        fields: list[str] = []


class AssetTypeFilter(TextSearchMixin):
    search_fields = ("name", "code")
    category = filters.ChoiceFilter(choices=AssetCategory.choices)

    class Meta:
        model = AssetType
        fields = ["category", "stores_data"]


class AssetModelFilter(TextSearchMixin):
    search_fields = ("name", "part_number", "manufacturer__name")

    class Meta:
        model = AssetModel
        fields = ["manufacturer", "asset_type"]


class VendorFilter(TextSearchMixin):
    search_fields = ("name", "contact_name", "email")

    class Meta:
        model = Vendor
        fields: list[str] = []


class ContractFilter(TextSearchMixin):
    search_fields = ("number", "title", "vendor__name")
    kind = filters.ChoiceFilter(choices=ContractKind.choices)
    expiring_within = filters.NumberFilter(
        label=_("Expiring within (days)"), method="filter_expiring"
    )

    class Meta:
        model = Contract
        fields = ["vendor", "kind"]

    def filter_expiring(
        self, queryset: ContractQuerySet, name: str, value: int
    ) -> ContractQuerySet:
        return queryset.expiring_within(int(value))


class AssetFilter(filters.FilterSet):
    q = filters.CharFilter(label=_("Search"), method="filter_q")
    # distinct=False: a status is a column of the row, so no join can repeat a
    # row; DISTINCT over every column made counting 100,000 rows slow.
    status = filters.MultipleChoiceFilter(choices=AssetStatus.choices, distinct=False)
    condition = filters.ChoiceFilter(choices=Condition.choices)
    asset_type = filters.ModelChoiceFilter(
        queryset=AssetType.objects.all(), label=_("Type")
    )
    category = filters.ChoiceFilter(
        field_name="asset_type__category",
        choices=AssetCategory.choices,
        label=_("Category"),
    )
    model = filters.ModelChoiceFilter(
        queryset=AssetModel.objects.select_related("manufacturer"), label=_("Model")
    )
    manufacturer = filters.ModelChoiceFilter(
        field_name="model__manufacturer",
        queryset=Manufacturer.objects.all(),
        label=_("Manufacturer"),
    )
    department = filters.ModelChoiceFilter(
        queryset=Department.objects.all(), label=_("Department")
    )
    location = filters.NumberFilter(
        label=_("Location (and inside it)"), method="filter_location"
    )
    campus = filters.ModelChoiceFilter(
        queryset=Location.objects.campuses(),
        label=_("Campus"),
        method="filter_campus",
    )
    vendor = filters.ModelChoiceFilter(queryset=Vendor.objects.all(), label=_("Vendor"))
    warranty_before = filters.DateFilter(
        field_name="warranty_end", lookup_expr="lt", label=_("Warranty ends before")
    )
    purchased_after = filters.DateFilter(
        field_name="purchase_date", lookup_expr="gte", label=_("Purchased on or after")
    )
    purchased_before = filters.DateFilter(
        field_name="purchase_date", lookup_expr="lte", label=_("Purchased on or before")
    )
    tag = filters.CharFilter(lookup_expr="iexact")
    serial = filters.CharFilter(lookup_expr="iexact")
    ip_address = filters.CharFilter()
    hostname = filters.CharFilter(lookup_expr="iexact")

    class Meta:
        model = Asset
        fields = ["parent"]

    def filter_q(self, queryset: AssetQuerySet, name: str, value: str) -> AssetQuerySet:
        return queryset.search(value)

    def filter_location(
        self, queryset: AssetQuerySet, name: str, value: int
    ) -> AssetQuerySet:
        return queryset.in_place(int(value))

    def filter_campus(
        self, queryset: AssetQuerySet, name: str, value: Location
    ) -> AssetQuerySet:
        # The campus's places as a list of ids, not a join: the database then
        # knows how many assets match and walks the (status, tag) index for a
        # page instead of sorting every asset of the campus.
        places = Location.objects.filter(campus=value).values_list("pk", flat=True)
        return queryset.filter(location_id__in=list(places))


class SparePoolFilter(TextSearchMixin):
    class Meta:
        model = SparePool
        fields = ["campus", "asset_model", "asset_type"]


class StocktakeFilter(TextSearchMixin):
    status = filters.ChoiceFilter(choices=StocktakeStatus.choices)

    class Meta:
        model = Stocktake
        fields = ["status"]
