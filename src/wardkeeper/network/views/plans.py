"""Floor plans: the list, upload and replace an image, the plan page with its
markers, the small JSON endpoint the page saves markers through, the image
itself (signed-in readers only) and an outlet's cable path."""

from __future__ import annotations

import json
from typing import Any

from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import FileResponse, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from wardkeeper.core.errors import DomainError
from wardkeeper.core.views.generic import (
    Column,
    ObjectCreate,
    ObjectDelete,
    ObjectDetail,
    ObjectList,
    ObjectUpdate,
)
from wardkeeper.network.choices import MarkerKind
from wardkeeper.network.forms_plans import FloorPlanFilter, FloorPlanForm
from wardkeeper.network.models import FloorPlan, Marker, Outlet
from wardkeeper.network.services import plans
from wardkeeper.network.services.topology import legend


class FloorPlanList(ObjectList):
    model = FloorPlan
    queryset = (
        FloorPlan.objects.select_related("floor")
        .annotate(marker_count=Count("markers"))
        .order_by("floor__full_name")
    )
    filterset_class = FloorPlanFilter
    columns = [
        Column(_("Floor"), "floor", link=True),
        Column(_("Markers"), "marker_count", css="text-end"),
    ]


class FloorPlanCreate(ObjectCreate):
    model = FloorPlan
    form_class = FloorPlanForm


class FloorPlanUpdate(ObjectUpdate):
    model = FloorPlan
    form_class = FloorPlanForm


class FloorPlanDelete(ObjectDelete):
    model = FloorPlan


class FloorPlanDetail(ObjectDetail):
    model = FloorPlan
    template_name = "network/plans/detail.html"

    def get_template_names(self) -> list[str]:
        return [self.template_name]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context.update(
            markers=[view.as_json() for view in plans.markers_of(self.object)],
            kinds=MarkerKind.choices,
            statuses=legend(),
            can_place=user.has_perm("network.add_marker"),
            can_move=user.has_perm("network.change_marker"),
            can_remove=user.has_perm("network.delete_marker"),
            lookups=lookup_urls(),
        )
        return context


@login_required
@permission_required("network.view_floorplan", raise_exception=True)
def plan_image(request: HttpRequest, pk: int) -> FileResponse:
    """The plan's drawing, to signed-in readers only (not under /media/)."""
    plan = get_object_or_404(FloorPlan, pk=pk)
    response = FileResponse(plan.image.open("rb"))
    response["Cache-Control"] = "private, max-age=3600"
    return response


def _refused(error: DomainError) -> JsonResponse:
    return JsonResponse(
        {"error": {"field": error.field, "message": error.message}}, status=400
    )


def _body(request: HttpRequest) -> dict[str, Any]:
    try:
        data = json.loads(request.body or b"{}")
    except ValueError:
        raise plans.MarkerRefused(str(_("The request is not JSON."))) from None
    if not isinstance(data, dict):
        raise plans.MarkerRefused(str(_("The request is not JSON.")))
    return data


@login_required
@require_http_methods(["GET", "POST"])
def plan_markers(request: HttpRequest, pk: int) -> JsonResponse:
    """GET: the plan's markers; POST {kind, ref, x, y}: place one."""
    plan = get_object_or_404(FloorPlan, pk=pk)
    needed = "network.view_marker" if request.method == "GET" else "network.add_marker"
    if not request.user.has_perm(needed):
        raise PermissionDenied
    if request.method == "GET":
        return JsonResponse({"markers": _views(plan)})
    try:
        data = _body(request)
        marker = plans.place_marker(
            plan,
            str(data.get("kind", "")),
            str(data.get("ref", "")),
            data.get("x"),
            data.get("y"),
        )
    except DomainError as error:
        return _refused(error)
    found = next(v for v in _views(plan) if v["id"] == marker.pk)
    return JsonResponse({"marker": found}, status=201)


@login_required
@require_http_methods(["POST", "DELETE"])
def plan_marker(request: HttpRequest, pk: int, marker: int) -> JsonResponse:
    """POST {x, y}: move the marker; DELETE: remove it."""
    found = get_object_or_404(Marker, pk=marker, plan_id=pk)
    needed = (
        "network.change_marker" if request.method == "POST" else "network.delete_marker"
    )
    if not request.user.has_perm(needed):
        raise PermissionDenied
    if request.method == "DELETE":
        plans.remove_marker(found)
        return JsonResponse({"deleted": marker})
    try:
        data = _body(request)
        plans.move_marker(found, data.get("x"), data.get("y"))
    except DomainError as error:
        return _refused(error)
    return JsonResponse({"marker": {"id": found.pk, "x": found.x, "y": found.y}})


def _views(plan: FloorPlan) -> list[dict[str, Any]]:
    return [view.as_json() for view in plans.markers_of(plan)]


@login_required
@permission_required("network.view_outlet", raise_exception=True)
def plan_outlet(request: HttpRequest, outlet: int) -> HttpResponse:
    """An outlet's cable path to its switch port: a fragment for the plan's
    side panel, or a page of its own when opened from a link."""
    found = get_object_or_404(Outlet.objects.select_related("location"), pk=outlet)
    context = {"outlet": found, "path": plans.outlet_trace(found)}
    context["hops"] = hops = _hops(context["path"])
    context["end"] = hops[-1]["to"] if hops else ""
    fragment = request.headers.get("HX-Request") or request.GET.get("fragment")
    template = "network/plans/trace.html" if fragment else "network/plans/outlet.html"
    return render(request, template, context)


def _hops(path: Any) -> list[dict[str, str]]:
    if path is None:
        return []
    return [
        {"cable": str(cable), "from": _point(start), "to": _point(end)}
        for cable, start, end in path.hops
    ]


def _point(point: Any) -> str:
    """An interface, an outlet or a (panel port, face) as a person reads it."""
    if isinstance(point, tuple):
        port, face = point
        return f"{port} ({face})"
    return str(point)


def lookup_urls() -> dict[str, str]:
    return {
        MarkerKind.ROOM: reverse("inventory:location-lookup"),
        MarkerKind.OUTLET: reverse("network:cable-point-lookup") + "?kind=outlet",
        MarkerKind.DEVICE: reverse("inventory:asset-lookup"),
    }
