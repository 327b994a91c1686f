"""Backup and recovery pages, one module per part."""

from wardkeeper.continuity.urls import (
    backups,
    dashboard,
    findings,
    plans,
    proofs,
    systems,
)

app_name = "continuity"
urlpatterns = [
    *dashboard.urlpatterns,
    *systems.urlpatterns,
    *backups.urlpatterns,
    *proofs.urlpatterns,
    *plans.urlpatterns,
    *findings.urlpatterns,
]
