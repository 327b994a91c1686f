from typing import Any

from django.urls import URLPattern, URLResolver, path

from wardkeeper.monitoring.views import config as v


def crud(prefix: str, name: str, views: tuple[Any, ...]) -> list[URLPattern]:
    """List, add, detail, edit and delete pages of one model."""
    listing, create, detail, update, delete = views
    return [
        path(f"{prefix}/", listing.as_view(), name=f"{name}-list"),
        path(f"{prefix}/add/", create.as_view(), name=f"{name}-add"),
        path(f"{prefix}/<int:pk>/", detail.as_view(), name=f"{name}-detail"),
        path(f"{prefix}/<int:pk>/edit/", update.as_view(), name=f"{name}-edit"),
        path(f"{prefix}/<int:pk>/delete/", delete.as_view(), name=f"{name}-delete"),
    ]


urlpatterns: list[URLPattern | URLResolver] = [
    *crud(
        "maintenance",
        "maintenancewindow",
        (
            v.MaintenanceWindowList,
            v.MaintenanceWindowCreate,
            v.MaintenanceWindowDetail,
            v.MaintenanceWindowUpdate,
            v.MaintenanceWindowDelete,
        ),
    ),
    *crud(
        "templates",
        "checktemplate",
        (
            v.CheckTemplateList,
            v.CheckTemplateCreate,
            v.CheckTemplateDetail,
            v.CheckTemplateUpdate,
            v.CheckTemplateDelete,
        ),
    ),
    path("templates/<int:pk>/apply/", v.apply_template, name="checktemplate-apply"),
    *crud(
        "rules",
        "alertrule",
        (
            v.AlertRuleList,
            v.AlertRuleCreate,
            v.AlertRuleDetail,
            v.AlertRuleUpdate,
            v.AlertRuleDelete,
        ),
    ),
]
