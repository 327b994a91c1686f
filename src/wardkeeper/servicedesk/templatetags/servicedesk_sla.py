"""What the ticket page's SLA panel shows."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils import timezone

from wardkeeper.servicedesk.services.sla import Target, targets

register = template.Library()


@register.simple_tag
def sla_targets(ticket: Any) -> list[Target]:
    """Response and restore: due, and met, missed, paused, time left or late."""
    return targets(ticket, timezone.now())
