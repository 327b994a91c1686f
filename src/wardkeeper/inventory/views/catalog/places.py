"""Pages of the hospital's places (a campus → building → floor → room tree)
and of its departments."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required, permission_required
from django.db.models import Case, Count, F, Q, QuerySet, When
from django.http import HttpRequest, JsonResponse
from django.utils.translation import gettext_lazy as _

from wardkeeper.core.views.generic import (
    Column,
    ObjectCreate,
    ObjectDelete,
    ObjectDetail,
    ObjectList,
    ObjectUpdate,
)
from wardkeeper.inventory.choices import AssetStatus, LocationKind
from wardkeeper.inventory.filters import DepartmentFilter, LocationFilter
from wardkeeper.inventory.forms import DepartmentForm, LocationForm
from wardkeeper.inventory.models import Asset, Department, Location
from wardkeeper.inventory.services.figures import integrity_rate

ASSETS_SHOWN = 20
CHILDREN_SHOWN = 100

# The path from a place to its ancestor at a level, by the place's own kind.
BUILDING_PATH = {
    LocationKind.BUILDING: "",
    LocationKind.FLOOR: "parent__",
    LocationKind.ROOM: "parent__parent__",
}
FLOOR_PATH = {LocationKind.FLOOR: "", LocationKind.ROOM: "parent__"}


def _ancestor(paths: dict[LocationKind, str], attr: str) -> Case:
    return Case(*(When(kind=kind, then=F(f"{p}{attr}")) for kind, p in paths.items()))


def tree_order(places: QuerySet[Location]) -> QuerySet[Location]:
    """Depth first: each place right after the place it is in, siblings by name.

    Sorting by the full name would do it, but a database collation that skips
    spaces and punctuation (PostgreSQL's en_US) interleaves the levels."""
    return places.annotate(
        building_name=_ancestor(BUILDING_PATH, "name"),
        building_key=_ancestor(BUILDING_PATH, "id"),
        floor_name=_ancestor(FLOOR_PATH, "name"),
        floor_key=_ancestor(FLOOR_PATH, "id"),
        room_name=_ancestor({LocationKind.ROOM: ""}, "name"),
    ).order_by(
        "campus__name",
        "campus_id",
        F("building_name").asc(nulls_first=True),
        F("building_key").asc(nulls_first=True),
        F("floor_name").asc(nulls_first=True),
        F("floor_key").asc(nulls_first=True),
        F("room_name").asc(nulls_first=True),
        "pk",
    )


class LocationList(ObjectList):
    model = Location
    queryset = tree_order(Location.objects.all())
    filterset_class = LocationFilter
    template_name = "inventory/location_list.html"
    filter_fields = ("q", "kind", "criticality")
    paginate_by = 100
    columns = [
        Column(_("Place"), "name", template="inventory/cells/location_name.html"),
        Column(_("Code"), "code", css="wk-code"),
        Column(_("Kind"), "kind", css="wk-phone-hide"),
        Column(
            _("Clinical criticality"),
            "criticality",
            template="inventory/cells/location_criticality.html",
        ),
        Column(_("Assets"), "pk", template="inventory/cells/location_assets.html"),
    ]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        within = self.request.GET.get("within", "")
        context["within_place"] = (
            Location.objects.filter(pk=within).first() if within.isdigit() else None
        )
        return context


class LocationDetail(ObjectDetail):
    model = Location
    queryset = Location.objects.select_related("parent")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        place: Location = self.object
        assets = Asset.objects.in_place(place)
        context.update(
            children=place.children.order_by("name")[:CHILDREN_SHOWN],
            children_count=place.children.count(),
            assets=assets.with_related()[:ASSETS_SHOWN],
            assets_count=assets.count(),
        )
        return context


class LocationCreate(ObjectCreate):
    model = Location
    form_class = LocationForm

    def get_initial(self) -> dict[str, Any]:
        # "Add a place inside" links name the parent and the kind one level down.
        return {
            key: self.request.GET[key]
            for key in ("parent", "kind")
            if key in self.request.GET
        }


class LocationUpdate(ObjectUpdate):
    model = Location
    form_class = LocationForm


class LocationDelete(ObjectDelete):
    model = Location


@login_required
@permission_required("inventory.view_location", raise_exception=True)
def location_lookup(request: HttpRequest) -> JsonResponse:
    """Suggestions for a place-code input: codes starting with, names containing."""
    text = request.GET.get("q", "").strip()
    places = Location.objects.filter(
        Q(code__istartswith=text) | Q(full_name__icontains=text)
    )
    if request.GET.get("holds"):
        places = places.exclude(kind=LocationKind.ROOM)
    rows = places.values_list("code", "full_name")[:15] if len(text) >= 2 else []
    return JsonResponse(
        {"results": [{"value": code, "label": name} for code, name in rows]}
    )


class DepartmentList(ObjectList):
    model = Department
    queryset = (
        Department.objects.select_related("campus")
        .annotate(asset_count=Count("assets"))
        .order_by("name")
    )
    filterset_class = DepartmentFilter
    columns = [
        Column(_("Name"), "name", link=True),
        Column(_("Code"), "code", css="wk-code"),
        Column(_("Cost centre"), "cost_centre"),
        Column(_("Campus"), "campus"),
        Column(_("Clinical"), "is_clinical", yesno=True),
        Column(_("Assets"), "asset_count", css="text-end"),
    ]


class DepartmentDetail(ObjectDetail):
    model = Department
    queryset = Department.objects.select_related("campus")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        assets = Asset.objects.filter(department=self.object)
        counts = dict(assets.values_list("status").annotate(n=Count("id")).order_by())
        context.update(
            by_status=[(s, n) for s in AssetStatus if (n := counts.get(s.value))],
            asset_total=sum(counts.values()),
            asset_query=f"department={self.object.pk}",
            integrity=integrity_rate(assets),
        )
        return context


class DepartmentCreate(ObjectCreate):
    model = Department
    form_class = DepartmentForm


class DepartmentUpdate(ObjectUpdate):
    model = Department
    form_class = DepartmentForm


class DepartmentDelete(ObjectDelete):
    model = Department
