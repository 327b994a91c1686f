"""Cables: the list (by kind, status, site and test result), a cable's page
with its ends and tests, the connect form, test reports with the
instrument's file (to signed-in readers only), and the trace page."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.contrib.auth.decorators import login_required, permission_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from wardkeeper.core.views.generic import (
    Column,
    ObjectCreate,
    ObjectDelete,
    ObjectDetail,
    ObjectList,
    ObjectUpdate,
)
from wardkeeper.network.forms_physical import CableFilter, CableForm, CableTestForm
from wardkeeper.network.models import Cable, CableTest, Interface, Outlet
from wardkeeper.network.services import physical_cables, physical_points
from wardkeeper.network.services import trace as tracing
from wardkeeper.network.services.physical_points import start_point

CELLS = "network/physical/cells"


class CableList(ObjectList):
    model = Cable
    filterset_class = CableFilter
    filter_fields: Sequence[str] = ("q", "kind", "status", "tested")
    filter_more = ("site",)
    columns = [
        Column(pgettext_lazy("network", "Label"), "__str__", link=True, css="wk-code"),
        Column(_("Type"), "get_kind_display"),
        Column(_("Status"), "get_status_display"),
        Column(_("Length (m)"), "length_m", css="text-end"),
        Column(_("Latest test"), "last_passed", template=f"{CELLS}/tested.html"),
        Column(_("Ends"), "pk", template=f"{CELLS}/cable_ends.html"),
    ]

    def get_queryset(self) -> Any:
        rows = Cable.objects.prefetch_related(
            "ends__interface__device", "ends__outlet", "ends__port__panel"
        ).order_by("label", "pk")
        return physical_cables.latest_test_passed(rows)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        for cable in context.get("object_list", []):
            ends = {end.side: tracing.point_of(end) for end in cable.ends.all()}
            cable.end_a = tracing.point_label(ends.get("a"))
            cable.end_b = tracing.point_label(ends.get("b"))
        return context


class CableDetail(ObjectDetail):
    model = Cable

    def get_template_names(self) -> list[str]:
        return ["network/physical/cable_detail.html"]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        ends = physical_cables.current_ends(self.object)
        context.update(
            ends=[
                {
                    "side": side,
                    "label": tracing.point_label(ends.get(side)),
                    "url": tracing.point_url(ends.get(side)),
                    "query": _trace_query(ends.get(side)),
                }
                for side in ("a", "b")
            ],
            tests=self.object.tests.select_related("recorded_by")[:50],
            can_test=self.request.user.has_perm("network.add_cabletest"),
        )
        return context


def _trace_query(point: Any) -> str:
    if isinstance(point, Interface):
        return f"interface={point.pk}"
    if isinstance(point, Outlet):
        return f"outlet={point.pk}"
    if point is not None:
        return f"port={point[0].pk}&face={point[1]}"
    return ""


class CableCreate(ObjectCreate):
    """Connect two points; ?a_kind=&a=&a_face= (and b_…) fill in an end."""

    model = Cable
    form_class = CableForm
    template_name = "network/physical/cable_form.html"

    initial_from_query = ("a_kind", "a", "a_face", "b_kind", "b", "b_face")


class CableUpdate(ObjectUpdate):
    model = Cable
    form_class = CableForm
    template_name = "network/physical/cable_form.html"


class CableDelete(ObjectDelete):
    model = Cable


class CableTestCreate(ObjectCreate):
    model = CableTest
    form_class = CableTestForm

    def cable(self) -> Cable:
        return get_object_or_404(Cable, pk=self.kwargs["cable"])

    def get_form(self, form_class: Any = None) -> Any:
        form = super().get_form(form_class)
        form.instance.cable = self.cable()
        form.instance.recorded_by = self.request.user
        return form

    def get_success_url(self) -> str:
        return reverse("network:cable-detail", args=[self.kwargs["cable"]])


class CablesDueList(CableList):
    """Cables never tested or whose latest test failed."""

    template_name = "network/physical/cables_due.html"
    filter_fields = ("q", "kind", "status")

    def get_queryset(self) -> Any:
        return physical_cables.needing_test(super().get_queryset())


@login_required
@permission_required("network.view_cabletest", raise_exception=True)
def cable_test_file(request: HttpRequest, pk: int) -> FileResponse:
    """The instrument's file of a test, to readers of cable tests only (the
    upload is not under a public URL)."""
    test = get_object_or_404(CableTest, pk=pk)
    if not test.file:
        raise Http404
    name = test.file.name.rsplit("/", 1)[-1]
    return FileResponse(test.file.open("rb"), as_attachment=True, filename=name)


@login_required
@permission_required("network.view_cable", raise_exception=True)
def point_lookup(request: HttpRequest) -> JsonResponse:
    """Suggestions for a cable end: interfaces, panel ports or outlets."""
    found = physical_points.suggest(
        request.GET.get("kind", "interface"), request.GET.get("q", "")
    )
    return JsonResponse({"results": found})


@login_required
@permission_required("network.view_cable", raise_exception=True)
def trace_page(request: HttpRequest) -> HttpResponse:
    """Where a cable path goes, from ?outlet=, ?interface= or ?port=&face=."""
    start = start_point(request.GET)
    path = tracing.trace(start) if start is not None else None
    context: dict[str, Any] = {
        "path": path,
        "start_label": tracing.point_label(start),
    }
    if path is not None:
        context["hops"] = [
            {
                "cable": cable,
                "from": tracing.point_label(a),
                "from_url": tracing.point_url(a),
                "to": tracing.point_label(b),
                "to_url": tracing.point_url(b),
            }
            for cable, a, b in path.hops
        ]
        context["start_url"] = tracing.point_url(start)
        context["end_label"] = tracing.point_label(path.end)
    return render(request, "network/physical/trace.html", context)
