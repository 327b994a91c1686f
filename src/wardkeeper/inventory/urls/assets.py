from django.urls import path

from wardkeeper.inventory.views import assets

urlpatterns = [
    path("assets/", assets.placeholder, name="asset-list"),
    path("assets/<int:pk>/", assets.placeholder, name="asset-detail"),
]
