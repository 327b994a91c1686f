"""Telling people and an alert rule's own channels about an alert.

``core.notifications.notify`` reaches people (by their preferences) and the
channels subscribed to the event; an alert rule also names channels of its
own ("the ICU robot gets ICU alerts"), which get the message whatever they
subscribe to. Like ``notify``, this never raises into the caller and queues
only when the transaction commits.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from wardkeeper.core.models.notifications import Channel
from wardkeeper.core.notifications import notify


def send(
    event: str,
    people: Iterable[Any],
    channels: Iterable[Channel],
    *,
    subject: str,
    body: str,
    link: str = "",
    urgent: bool = False,
) -> None:
    """Queue the message for ``people`` and subscribed channels (``notify``)
    and for the rule's ``channels`` not already subscribed to ``event``."""
    notify(
        event,
        people,
        subject=subject,
        body=body,
        link=link,
        urgent=urgent,
        extra_channels=channels,
    )
