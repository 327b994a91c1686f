"""Network pages: traffic."""

from django.urls import URLPattern, path

from wardkeeper.network.views import traffic, traffic_throughput

urlpatterns: list[URLPattern] = [
    path("traffic/", traffic.top, name="traffic"),
    path("traffic/mismatches/", traffic.mismatches, name="traffic-mismatches"),
    path(
        "interfaces/<int:pk>/traffic/",
        traffic.interface_traffic,
        name="interface-traffic",
    ),
    path("whereis/", traffic.whereis, name="whereis"),
    path(
        "traffic/throughput/",
        traffic_throughput.ThroughputList.as_view(),
        name="throughput-paths",
    ),
]
