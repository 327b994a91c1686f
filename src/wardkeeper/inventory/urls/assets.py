from django.urls import path

from wardkeeper.inventory.views import assets

urlpatterns = [
    path("assets/", assets.AssetList.as_view(), name="asset-list"),
    path("assets/add/", assets.AssetCreate.as_view(), name="asset-add"),
    path("assets/lookup/", assets.asset_lookup, name="asset-lookup"),
    path("assets/own-fields/", assets.asset_extra_fields, name="asset-extra-fields"),
    path("assets/<int:pk>/", assets.AssetDetail.as_view(), name="asset-detail"),
    path("assets/<int:pk>/edit/", assets.AssetUpdate.as_view(), name="asset-edit"),
    path("assets/<int:pk>/delete/", assets.AssetDelete.as_view(), name="asset-delete"),
    path("assets/<int:pk>/move/", assets.AssetMove.as_view(), name="asset-move"),
    path(
        "assets/<int:pk>/attachments/",
        assets.AssetAttach.as_view(),
        name="asset-attach",
    ),
    path(
        "assets/<int:pk>/attachments/<int:attachment>/",
        assets.asset_attachment,
        name="asset-attachment",
    ),
]
