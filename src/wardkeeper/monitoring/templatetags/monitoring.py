"""Template helpers of monitoring's pages: status colours and labels."""

from __future__ import annotations

import datetime as dt

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _

from wardkeeper.monitoring.choices import CheckStatus

register = template.Library()


@register.filter
def status_colour(value: str) -> str:
    """The Bootstrap colour of a check status."""
    try:
        return CheckStatus(value).badge
    except ValueError:
        return "secondary"


@register.filter
def status_label(value: str) -> str:
    try:
        return str(CheckStatus(value).label)
    except ValueError:
        return value


@register.filter
def status_short(value: str) -> str:
    """A status in one word (for the board's counts)."""
    if value == CheckStatus.UNREACHABLE:
        return str(_("unreachable"))
    return status_label(value)


@register.simple_tag
def status_badge(value: str) -> str:
    """A check status as a coloured badge (text colour chosen by Bootstrap)."""
    return format_html(
        '<span class="badge text-bg-{} wk-status-{}">{}</span>',
        status_colour(value),
        value,
        status_short(value),
    )


@register.filter
def downtime(value: dt.timedelta | None) -> str:
    """A length of time as hours and minutes: "2 h 05 min", "7 min"."""
    if not value:
        return "0"
    minutes = round(value.total_seconds() / 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes:02d} min" if hours else f"{minutes} min"
