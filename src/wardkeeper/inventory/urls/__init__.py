"""Inventory URLs, one module per part so each part's pages live together."""

from wardkeeper.inventory.urls import assets, catalog, stocktakes, transfer

app_name = "inventory"

urlpatterns = [
    *assets.urlpatterns,
    *catalog.urlpatterns,
    *stocktakes.urlpatterns,
    *transfer.urlpatterns,
]
