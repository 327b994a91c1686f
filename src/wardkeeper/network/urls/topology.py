"""Network pages: topology."""

from django.urls import URLPattern, path

from wardkeeper.network.views import topology

urlpatterns: list[URLPattern] = [
    path("topology/", topology.topology_page, name="topology"),
]
