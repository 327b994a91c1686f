from django.urls import include, path
from django.views.i18n import JavaScriptCatalog
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from wardkeeper.api import router
from wardkeeper.inventory.views.labels import scan_target
from wardkeeper.monitoring.views.metrics import metrics_view

urlpatterns = [
    path("", include("wardkeeper.core.urls")),
    path("inventory/", include("wardkeeper.inventory.urls")),
    path("desk/", include("wardkeeper.servicedesk.urls")),
    path("monitoring/", include("wardkeeper.monitoring.urls")),
    path("network/", include("wardkeeper.network.urls")),
    path("continuity/", include("wardkeeper.continuity.urls")),
    # Prometheus scrapes this with a token (docs/monitoring-reports.md).
    path("metrics", metrics_view, name="metrics"),
    # Short, stable target of the QR code on every asset label.
    path("a/<str:tag>/", scan_target, name="asset-label-target"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("api/", include(router.urls)),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path(
        "api/docs/",
        SpectacularSwaggerView.as_view(url_name="api-schema"),
        name="api-docs",
    ),
]

handler404 = "wardkeeper.core.views.errors.not_found"
