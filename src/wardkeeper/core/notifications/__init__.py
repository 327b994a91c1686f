"""Notifications: e-mail and chat webhooks, queued, retried with back-off
(contract; the notifications work implements it).

Callers (the service desk, later monitoring and backups) say what happened
and to whom; this package decides the channels from each user's preferences
and queues deliveries on commit. It never raises into the caller: a failing
channel must not block the change that caused the message.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any


def notify(
    event: str,
    recipients: Iterable[Any],
    *,
    subject: str,
    body: str,
    link: str = "",
    urgent: bool = False,
    context: dict[str, Any] | None = None,
) -> None:
    """Queue ``event`` for each recipient (users) on the channels they chose;
    ``urgent`` (a P1) goes out whatever the preferences say. Also posts to the
    configured team/department webhooks for that event."""
