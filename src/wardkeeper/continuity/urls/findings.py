"""Findings, reporting runs (webhook, CSV upload) pages."""

from django.urls import URLPattern, path

from wardkeeper.continuity.views import findings, ingest

urlpatterns: list[URLPattern] = [
    path("findings/", findings.FindingList.as_view(), name="finding-list"),
    path("findings/<int:pk>/", findings.FindingDetail.as_view(), name="finding-detail"),
    path("findings/<int:pk>/resolve/", findings.resolve, name="finding-resolve"),
    # The token in a header is the documented way; in the path for tools
    # that cannot set one.
    path("hooks/", ingest.WebhookView.as_view(), name="backupjob-hooks"),
    path("hooks/<str:token>/", ingest.WebhookView.as_view(), name="backupjob-hook"),
    path("runs/upload/", ingest.upload, name="backuprun-upload"),
    path("jobs/<int:pk>/runs/upload/", ingest.upload, name="backupjob-runs-upload"),
    path("runs/upload/confirm/", ingest.confirm, name="backuprun-upload-confirm"),
    path("runs/upload/cancel/", ingest.cancel, name="backuprun-upload-cancel"),
]
