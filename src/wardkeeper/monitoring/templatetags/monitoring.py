"""Template helpers of monitoring's pages: status colours and labels, how
long a state has lasted."""

from __future__ import annotations

import datetime as dt

from django import template
from django.utils import timezone
from django.utils.html import format_html
from django.utils.timesince import timesince
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


def _under_a_minute(since: dt.datetime) -> bool:
    # A clock a little ahead of the monitor's gives a start in the future:
    # that too is "just now", not "0 minutes".
    return timezone.now() - since < dt.timedelta(minutes=1)


@register.filter
def lasting(since: dt.datetime | None) -> str:
    """How long a state has lasted: "for 2 hours, 5 minutes", or "for less
    than a minute" where Django's timesince would say "0 minutes"."""
    if since is None:
        return ""
    if _under_a_minute(since):
        return _("for less than a minute")
    return _("for %(since)s") % {"since": timesince(since)}


@register.filter
def ago(since: dt.datetime | None) -> str:
    """When a state began: "5 minutes ago", or "just now"."""
    if since is None:
        return ""
    if _under_a_minute(since):
        return _("just now")
    return _("%(since)s ago") % {"since": timesince(since)}


@register.filter
def downtime(value: dt.timedelta | None) -> str:
    """A length of time as hours and minutes: "2 h 05 min", "7 min"."""
    if not value:
        return "0"
    minutes = round(value.total_seconds() / 60)
    hours, minutes = divmod(minutes, 60)
    if hours:
        return _("%(hours)d h %(minutes)02d min") % {
            "hours": hours,
            "minutes": minutes,
        }
    return _("%(minutes)d min") % {"minutes": minutes}
