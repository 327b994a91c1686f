"""Restore tests and their runs."""

from django.urls import URLPattern, path

from wardkeeper.continuity.views import proofs as v

urlpatterns: list[URLPattern] = [
    path("restore-tests/", v.RestoreTestList.as_view(), name="restoretest-list"),
    path("restore-tests/add/", v.RestoreTestCreate.as_view(), name="restoretest-add"),
    path(
        "restore-tests/<int:pk>/",
        v.RestoreTestDetail.as_view(),
        name="restoretest-detail",
    ),
    path(
        "restore-tests/<int:pk>/edit/",
        v.RestoreTestUpdate.as_view(),
        name="restoretest-edit",
    ),
    path(
        "restore-tests/<int:pk>/delete/",
        v.RestoreTestDelete.as_view(),
        name="restoretest-delete",
    ),
    path("restore-tests/<int:pk>/run/", v.run_now, name="restoretest-run"),
    path("restore-runs/", v.RestoreRunList.as_view(), name="restorerun-list"),
    path("restore-runs/record/", v.record_manual, name="restorerun-record"),
    path(
        "restore-runs/<int:pk>/files/<int:attachment>/",
        v.run_attachment,
        name="restorerun-attachment",
    ),
    path(
        "restore-runs/<int:pk>/",
        v.RestoreRunDetail.as_view(),
        name="restorerun-detail",
    ),
]
