"""The network's pages, one module per part."""

from wardkeeper.network.urls import (
    logical,
    physical,
    plans,
    topology,
    traffic,
    transfer,
)

app_name = "network"
urlpatterns = [
    *physical.urlpatterns,
    *logical.urlpatterns,
    *traffic.urlpatterns,
    *topology.urlpatterns,
    *plans.urlpatterns,
    *transfer.urlpatterns,
]
