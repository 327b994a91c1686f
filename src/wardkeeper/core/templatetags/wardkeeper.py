"""Template helpers shared by every area's pages."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse
from django.utils.html import format_html

from wardkeeper.core import audit as audit_service

register = template.Library()


@register.filter
def attr(obj: Any, path: str) -> Any:
    """Follow a dotted attribute path; a choice field gives its display label."""
    value = obj
    for part in path.split("."):
        if value is None:
            return ""
        display = getattr(value, f"get_{part}_display", None)
        value = display() if callable(display) else getattr(value, part, "")
        if callable(value):
            value = value()
    return "" if value is None else value


@register.simple_tag
def badge(obj: Any, field: str) -> str:
    """A choice as a coloured badge. The model's ``badge_choices`` names the
    choices class of the field, whose members carry a ``badge`` colour."""
    raw = getattr(obj, field)
    if raw in (None, ""):
        return ""
    label = getattr(obj, f"get_{field}_display")()
    enum = getattr(obj, "badge_choices", {}).get(field)
    colour = (
        getattr(enum(raw), "badge", "secondary") if enum is not None else "secondary"
    )
    return format_html('<span class="badge text-bg-{}">{}</span>', colour, label)


@register.simple_tag
def object_url(obj: Any, action: str = "detail") -> str:
    meta = obj._meta
    return reverse(f"{meta.app_label}:{meta.model_name}-{action}", args=[obj.pk])


@register.inclusion_tag("core/includes/history.html")
def history(obj: Any, limit: int = 50) -> dict[str, Any]:
    """The audit entries about ``obj``, newest first."""
    return {"entries": list(audit_service.history(obj)[:limit])}


@register.simple_tag(takes_context=True)
def page_url(context: Any, page: int) -> str:
    query = context.get("querystring", "")
    return f"?{query}&page={page}" if query else f"?page={page}"
