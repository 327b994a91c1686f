"""Backup destinations and jobs."""

from django.urls import URLPattern, path

from wardkeeper.continuity.views import backups as v

urlpatterns: list[URLPattern] = [
    path("destinations/", v.DestinationList.as_view(), name="backupdestination-list"),
    path(
        "destinations/add/",
        v.DestinationCreate.as_view(),
        name="backupdestination-add",
    ),
    path(
        "destinations/<int:pk>/",
        v.DestinationDetail.as_view(),
        name="backupdestination-detail",
    ),
    path(
        "destinations/<int:pk>/edit/",
        v.DestinationUpdate.as_view(),
        name="backupdestination-edit",
    ),
    path(
        "destinations/<int:pk>/delete/",
        v.DestinationDelete.as_view(),
        name="backupdestination-delete",
    ),
    path("jobs/", v.JobList.as_view(), name="backupjob-list"),
    path("jobs/add/", v.JobCreate.as_view(), name="backupjob-add"),
    path("jobs/<int:pk>/", v.JobDetail.as_view(), name="backupjob-detail"),
    path("jobs/<int:pk>/edit/", v.JobUpdate.as_view(), name="backupjob-edit"),
    path("jobs/<int:pk>/delete/", v.JobDelete.as_view(), name="backupjob-delete"),
    path("jobs/<int:pk>/token/", v.regenerate_token, name="backupjob-token"),
    path("jobs/<int:pk>/read/", v.read_now, name="backupjob-read"),
]
