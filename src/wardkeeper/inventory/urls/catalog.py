from django.urls import path

from wardkeeper.inventory.views import catalog

urlpatterns = [
    path("locations/", catalog.placeholder, name="location-list"),
    path("departments/", catalog.placeholder, name="department-list"),
    path("assetmodels/", catalog.placeholder, name="assetmodel-list"),
    path("assettypes/", catalog.placeholder, name="assettype-list"),
    path("manufacturers/", catalog.placeholder, name="manufacturer-list"),
    path("vendors/", catalog.placeholder, name="vendor-list"),
    path("contracts/", catalog.placeholder, name="contract-list"),
    path("sparepools/", catalog.placeholder, name="sparepool-list"),
]
