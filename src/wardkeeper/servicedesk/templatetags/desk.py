"""Template filters of the service desk."""

from __future__ import annotations

from django import template
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def duration(seconds: float | None) -> str:
    """A length of time in the unit that reads best: 40 min, 3.5 h, 2.1 d."""
    if seconds is None:
        return "—"
    minutes = seconds / 60
    if minutes < 90:
        return _("%(n)s min") % {"n": round(minutes)}
    hours = minutes / 60
    if hours < 48:
        return _("%(n)s h") % {"n": round(hours, 1)}
    return _("%(n)s d") % {"n": round(hours / 24, 1)}


@register.filter
def percent(value: float | None) -> str:
    return "—" if value is None else f"{value:g}%"
