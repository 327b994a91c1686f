"""The service desk's pages, one module per part."""

from wardkeeper.servicedesk.urls import (
    figures,
    maintenance,
    restore,
    sla,
    teams,
    tickets,
)

app_name = "servicedesk"
urlpatterns = [
    *tickets.urlpatterns,
    *teams.urlpatterns,
    *sla.urlpatterns,
    *restore.urlpatterns,
    *maintenance.urlpatterns,
    *figures.urlpatterns,
]
