from django.urls import path

from wardkeeper.inventory.views import transfer

urlpatterns = [
    path("transfer/", transfer.placeholder, name="transfer"),
]
