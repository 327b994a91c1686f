"""Protected systems, their data stores and the criticality analysis."""

from django.urls import URLPattern, path

from wardkeeper.continuity.views import systems as v

urlpatterns: list[URLPattern] = [
    path("systems/", v.SystemList.as_view(), name="protectedsystem-list"),
    path("systems/add/", v.SystemCreate.as_view(), name="protectedsystem-add"),
    path("systems/<int:pk>/", v.SystemDetail.as_view(), name="protectedsystem-detail"),
    path(
        "systems/<int:pk>/edit/", v.SystemUpdate.as_view(), name="protectedsystem-edit"
    ),
    path(
        "systems/<int:pk>/delete/",
        v.SystemDelete.as_view(),
        name="protectedsystem-delete",
    ),
    path(
        "systems/<int:system>/stores/add/",
        v.DataStoreCreate.as_view(),
        name="datastore-add",
    ),
    path("stores/", v.DataStoreList.as_view(), name="datastore-list"),
    path("stores/<int:pk>/", v.data_store_detail, name="datastore-detail"),
    path("stores/<int:pk>/edit/", v.DataStoreUpdate.as_view(), name="datastore-edit"),
    path(
        "stores/<int:pk>/delete/", v.DataStoreDelete.as_view(), name="datastore-delete"
    ),
    path("criticality/", v.CriticalityAnalysis.as_view(), name="criticality"),
    path(
        "criticality/export.<str:fmt>",
        v.criticality_export,
        name="criticality-export",
    ),
]
