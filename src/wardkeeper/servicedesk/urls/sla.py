"""SLA pages: ``workingcalendar-*`` and ``slapolicy-*`` (list, add, detail,
edit, delete) under /desk/sla/."""

from __future__ import annotations

from typing import Any

from django.urls import URLPattern, URLResolver, path

from wardkeeper.servicedesk.views import sla


def pages(prefix: str, name: str, view: str) -> list[URLPattern]:
    def of(kind: str) -> Any:
        return getattr(sla, f"{view}{kind}").as_view()

    return [
        path(f"{prefix}/", of("List"), name=f"{name}-list"),
        path(f"{prefix}/add/", of("Create"), name=f"{name}-add"),
        path(f"{prefix}/<int:pk>/", of("Detail"), name=f"{name}-detail"),
        path(f"{prefix}/<int:pk>/edit/", of("Update"), name=f"{name}-edit"),
        path(f"{prefix}/<int:pk>/delete/", of("Delete"), name=f"{name}-delete"),
    ]


urlpatterns: list[URLPattern | URLResolver] = [
    *pages("sla/calendars", "workingcalendar", "WorkingCalendar"),
    *pages("sla/policies", "slapolicy", "SlaPolicy"),
]
