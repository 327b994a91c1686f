"""The notification pages, inside the core's URL namespace ("core:…").

core/urls.py adds them with ``*notifications.urls.urlpatterns``."""

from django.urls import path

from wardkeeper.core.views import notifications as views

urlpatterns = [
    path(
        "accounts/notifications/",
        views.preferences,
        name="notification-preferences",
    ),
    path(
        "admin/notifications/channels/",
        views.ChannelList.as_view(),
        name="channel-list",
    ),
    path(
        "admin/notifications/channels/new/",
        views.ChannelCreate.as_view(),
        name="channel-add",
    ),
    path(
        "admin/notifications/channels/<int:pk>/",
        views.ChannelDetail.as_view(),
        name="channel-detail",
    ),
    path(
        "admin/notifications/channels/<int:pk>/edit/",
        views.ChannelUpdate.as_view(),
        name="channel-edit",
    ),
    path(
        "admin/notifications/channels/<int:pk>/delete/",
        views.ChannelDelete.as_view(),
        name="channel-delete",
    ),
    path(
        "admin/notifications/channels/<int:pk>/test/",
        views.channel_test,
        name="channel-test",
    ),
    path(
        "admin/notifications/deliveries/",
        views.DeliveryList.as_view(),
        name="delivery-list",
    ),
    path(
        "admin/notifications/deliveries/<int:pk>/retry/",
        views.delivery_retry,
        name="delivery-retry",
    ),
]
