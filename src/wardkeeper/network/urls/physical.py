"""Network pages: physical (racks, panels, outlets, interfaces, cables, trace).

The generic pages name their neighbours ``<model>-<action>`` (``patchpanel``,
``placement``, ``cabletest``); the menu's names (``panel-list``) point at the
same views."""

from typing import Any

from django.urls import URLPattern, path
from django.views.generic import RedirectView

from wardkeeper.network.views import physical as r
from wardkeeper.network.views import physical_cables as c
from wardkeeper.network.views import physical_interfaces as i
from wardkeeper.network.views import physical_panels as p


def crud(prefix: str, name: str, views: tuple[Any, ...]) -> list[URLPattern]:
    """list, add, detail, edit and delete pages of one model."""
    listing, create, detail, update, delete = views
    return [
        path(f"{prefix}/", listing.as_view(), name=f"{name}-list"),
        path(f"{prefix}/add/", create.as_view(), name=f"{name}-add"),
        path(f"{prefix}/<int:pk>/", detail.as_view(), name=f"{name}-detail"),
        path(f"{prefix}/<int:pk>/edit/", update.as_view(), name=f"{name}-edit"),
        path(f"{prefix}/<int:pk>/delete/", delete.as_view(), name=f"{name}-delete"),
    ]


urlpatterns: list[URLPattern] = [
    *crud(
        "racks",
        "rack",
        (r.RackList, r.RackCreate, r.RackDetail, r.RackUpdate, r.RackDelete),
    ),
    path("racks/<int:rack>/place/", r.PlacementCreate.as_view(), name="placement-add"),
    path(
        "placements/",
        RedirectView.as_view(pattern_name="network:rack-list"),
        name="placement-list",
    ),
    path(
        "placements/<int:pk>/",
        r.PlacementUpdate.as_view(),
        name="placement-detail",
    ),
    path(
        "placements/<int:pk>/edit/",
        r.PlacementUpdate.as_view(),
        name="placement-edit",
    ),
    path(
        "placements/<int:pk>/delete/",
        r.PlacementDelete.as_view(),
        name="placement-delete",
    ),
    path("panels/", p.PatchPanelList.as_view(), name="panel-list"),
    *crud(
        "panels",
        "patchpanel",
        (
            p.PatchPanelList,
            p.PatchPanelCreate,
            p.PatchPanelDetail,
            p.PatchPanelUpdate,
            p.PatchPanelDelete,
        ),
    ),
    *crud(
        "outlets",
        "outlet",
        (p.OutletList, p.OutletCreate, p.OutletDetail, p.OutletUpdate, p.OutletDelete),
    ),
    *crud(
        "interfaces",
        "interface",
        (
            i.InterfaceList,
            i.InterfaceCreate,
            i.InterfaceDetail,
            i.InterfaceUpdate,
            i.InterfaceDelete,
        ),
    ),
    path("cables/due/", c.CablesDueList.as_view(), name="cable-due"),
    path("cables/points/", c.point_lookup, name="cable-point-lookup"),
    *crud(
        "cables",
        "cable",
        (c.CableList, c.CableCreate, c.CableDetail, c.CableUpdate, c.CableDelete),
    ),
    path(
        "cables/<int:cable>/tests/add/",
        c.CableTestCreate.as_view(),
        name="cabletest-add",
    ),
    path(
        "cables/tests/",
        RedirectView.as_view(pattern_name="network:cable-due"),
        name="cabletest-list",
    ),
    path("cables/tests/<int:pk>/file/", c.cable_test_file, name="cabletest-file"),
    path("trace/", c.trace_page, name="trace"),
]
