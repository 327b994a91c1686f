from django.urls import URLPattern, URLResolver, path, re_path

from wardkeeper.servicedesk.views import figures

urlpatterns: list[URLPattern | URLResolver] = [
    path("figures/", figures.dashboard, name="figures"),
    re_path(
        r"^figures/export\.(?P<fmt>csv|xlsx)$", figures.export, name="figures-export"
    ),
]
