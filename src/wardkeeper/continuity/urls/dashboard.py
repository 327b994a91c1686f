"""The backup and recovery dashboard and its exports."""

from django.urls import URLPattern, path

from wardkeeper.continuity.views import dashboard as v

urlpatterns: list[URLPattern] = [
    path("", v.Dashboard.as_view(), name="dashboard"),
    path("export.<str:fmt>", v.dashboard_export, name="dashboard-export"),
]
