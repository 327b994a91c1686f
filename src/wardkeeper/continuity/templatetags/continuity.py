"""Template filters of the backup and recovery pages."""

from __future__ import annotations

from django import template

from wardkeeper.continuity.services.criticality import span_text

register = template.Library()


@register.filter
def span(minutes: int | None) -> str:
    """Minutes as people say them ("15 min", "4 h", "1 d"), like the lists."""
    return span_text(None if minutes is None else int(minutes))
