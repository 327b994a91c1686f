"""Network pages: plans (floor plans and their markers)."""

from django.urls import URLPattern, path

from wardkeeper.network.views import plans as v

urlpatterns: list[URLPattern] = [
    path("plans/", v.FloorPlanList.as_view(), name="plan-list"),
    # The generic list/form pages name their neighbours <model>-<action>.
    path("plans/", v.FloorPlanList.as_view(), name="floorplan-list"),
    path("plans/add/", v.FloorPlanCreate.as_view(), name="floorplan-add"),
    path("plans/<int:pk>/", v.FloorPlanDetail.as_view(), name="floorplan-detail"),
    path("plans/<int:pk>/edit/", v.FloorPlanUpdate.as_view(), name="floorplan-edit"),
    path(
        "plans/<int:pk>/delete/", v.FloorPlanDelete.as_view(), name="floorplan-delete"
    ),
    path("plans/<int:pk>/image/", v.plan_image, name="plan-image"),
    path("plans/<int:pk>/markers/", v.plan_markers, name="plan-markers"),
    path("plans/<int:pk>/markers/<int:marker>/", v.plan_marker, name="plan-marker"),
    path("plans/outlets/<int:outlet>/", v.plan_outlet, name="plan-outlet"),
]
