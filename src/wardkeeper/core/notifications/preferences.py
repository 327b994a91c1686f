"""Each person's choices: which events reach them by e-mail, and which on a
chat robot of their own."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from django.db import transaction

from wardkeeper.core.models.notifications import (
    NotificationEvent,
    NotificationPreference,
)


def user_events() -> list[tuple[str, Any]]:
    """The events a person can choose about (the test message is not one)."""
    return [
        (code, label)
        for code, label in NotificationEvent.choices
        if code != NotificationEvent.TEST
    ]


def current(user: Any) -> dict[str, NotificationPreference]:
    return {pref.event: pref for pref in user.notification_preferences.all()}


@transaction.atomic
def save_preferences(
    user: Any,
    *,
    email: Collection[str],
    chat: Collection[str],
    webhook_kind: str = "",
    webhook_url: str = "",
) -> None:
    """Keep one row per event: e-mail on for the events in ``email``, the
    person's own robot for those in ``chat`` (only when a robot is given).
    Each row is saved through the audit trail, and only when it changed."""
    rows = current(user)
    for code, _label in user_events():
        row = rows.get(code) or NotificationPreference(user=user, event=code)
        wants_chat = code in chat and bool(webhook_kind and webhook_url)
        wanted = {
            "email": code in email,
            "webhook_kind": webhook_kind if wants_chat else "",
            "webhook_url": webhook_url if wants_chat else "",
        }
        # Compare the clear values: the trail masks the URL, so its snapshot
        # cannot tell one robot from another.
        # (An empty encrypted field reads back as None.)
        if row._state.adding or any(
            (getattr(row, name) or type(value)()) != value
            for name, value in wanted.items()
        ):
            for name, value in wanted.items():
                setattr(row, name, value)
            row.save()
