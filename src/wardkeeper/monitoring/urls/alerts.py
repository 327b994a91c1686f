from django.urls import URLPattern, URLResolver, path

from wardkeeper.monitoring.views import alerts as v

urlpatterns: list[URLPattern | URLResolver] = [
    path("alerts/", v.AlertList.as_view(), name="alert-list"),
    path("alerts/<int:pk>/acknowledge/", v.acknowledge, name="alert-acknowledge"),
    path("alerts/<int:pk>/silence/", v.silence, name="alert-silence"),
    path("alerts/<int:pk>/unsilence/", v.unsilence, name="alert-unsilence"),
]
