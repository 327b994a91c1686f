from django.urls import URLPattern, URLResolver, path

from wardkeeper.monitoring.views import pollers as v

urlpatterns: list[URLPattern | URLResolver] = [
    path("pollers/", v.PollerList.as_view(), name="poller-list"),
    path("pollers/add/", v.PollerCreate.as_view(), name="poller-add"),
    path("pollers/<int:pk>/", v.PollerDetail.as_view(), name="poller-detail"),
    path("pollers/<int:pk>/edit/", v.PollerUpdate.as_view(), name="poller-edit"),
    path("pollers/<int:pk>/token/", v.new_token, name="poller-token"),
]
