"""Template helpers shared by every area's pages."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django import template
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils.html import format_html

from wardkeeper.core import audit as audit_service
from wardkeeper.core.auditing.display import describe

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


@register.inclusion_tag("core/includes/history.html", takes_context=True)
def history(context: Any, obj: Any, limit: int = 50) -> dict[str, Any]:
    """The audit entries about ``obj``, newest first, each change readable
    (field names, choice labels, related names, secrets masked); audit
    administrators also get a link to the object's full trail."""
    entries = describe(list(audit_service.history(obj)[:limit]))
    request = context.get("request")
    trail_url = ""
    if request is not None and request.user.has_perm("core.view_auditentry"):
        meta = ContentType.objects.get_for_model(obj, for_concrete_model=True)
        query = urlencode(
            {"object_type": f"{meta.app_label}.{meta.model}", "object_id": obj.pk}
        )
        trail_url = f"{reverse('core:audit-list')}?{query}"
    return {"entries": entries, "trail_url": trail_url, "limit": limit}


@register.simple_tag(takes_context=True)
def page_url(context: Any, page: int) -> str:
    query = context.get("querystring", "")
    return f"?{query}&page={page}" if query else f"?page={page}"
