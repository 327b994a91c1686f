"""Notifications: e-mail and chat webhooks, queued, retried with back-off.

Callers (the service desk, later monitoring and backups) say what happened
and to whom; this package decides the channels from each user's preferences
and queues deliveries on commit. It never raises into the caller: a failing
channel must not block the change that caused the message. The worker sends
what is queued (``delivery.deliver_due``); see docs/notifications.md.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import translation

logger = logging.getLogger(__name__)


def absolute_url(link: str) -> str:
    """A site path ("/desk/tickets/7/") as a link a mail reader can follow."""
    if link.startswith("/"):
        return settings.SITE_URL.rstrip("/") + link
    return link


def notify(
    event: str,
    recipients: Iterable[Any],
    *,
    subject: str,
    body: str,
    link: str = "",
    urgent: bool = False,
    context: dict[str, Any] | None = None,
    channels: bool = True,
    extra_channels: Iterable[Any] = (),
) -> None:
    """Queue ``event`` for each recipient (users) on the channels they chose;
    ``urgent`` (a P1) goes out whatever the preferences say. Also posts to the
    configured team/department webhooks for that event (``channels=False``
    leaves them out, for a caller that sends one text per language), and to
    ``extra_channels`` (an alert rule's own) whatever they subscribe to."""
    try:
        from wardkeeper.core.notifications.formats import Message
        from wardkeeper.core.notifications.queue import queue

        people = list(recipients)
        extra = list(extra_channels)
        # Payload wording (a card's button) in the caller's language, which
        # may be a recipient's own and is gone by the time of the commit.
        language = translation.get_language()
        message = Message(
            event=event,
            subject=str(subject)[:255],
            body=str(body),
            link=absolute_url(link),
            urgent=urgent,
            context=dict(context or {}),
        )
    except Exception:
        logger.exception("notification %s not queued", event)
        return

    def queue_after_commit() -> None:
        try:
            with translation.override(language):
                queue(message, people, channels=channels, extra_channels=extra)
        except Exception:
            logger.exception("notification %s not queued", event)

    # Only a change that happened is told; a rolled-back one queues nothing.
    transaction.on_commit(queue_after_commit)
