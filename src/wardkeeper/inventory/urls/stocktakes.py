from django.urls import path

from wardkeeper.inventory.views import stocktakes

urlpatterns = [
    path("stocktakes/", stocktakes.placeholder, name="stocktake-list"),
]
