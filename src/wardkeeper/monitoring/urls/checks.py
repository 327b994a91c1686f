from django.urls import URLPattern, URLResolver, path

from wardkeeper.monitoring.urls import alerts, config
from wardkeeper.monitoring.views import checks as v

urlpatterns: list[URLPattern | URLResolver] = [
    path("checks/", v.CheckList.as_view(), name="check-list"),
    path("checks/add/", v.CheckCreate.as_view(), name="check-add"),
    path("checks/<int:pk>/", v.CheckDetail.as_view(), name="check-detail"),
    path("checks/<int:pk>/edit/", v.CheckUpdate.as_view(), name="check-edit"),
    path("checks/<int:pk>/delete/", v.CheckDelete.as_view(), name="check-delete"),
    # Alerts and configuration pages ride along here, so the lead's
    # urls/__init__.py needs no change.
    *alerts.urlpatterns,
    *config.urlpatterns,
]
