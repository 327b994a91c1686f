"""Turning one message into delivery rows: one per person and medium they
chose, one per active channel subscribed to the event."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wardkeeper.core import audit
from wardkeeper.core.models.audit import AuditAction
from wardkeeper.core.models.notifications import (
    Channel,
    ChannelKind,
    Delivery,
    NotificationEvent,
    NotificationPreference,
)
from wardkeeper.core.notifications.delivery import retry_now
from wardkeeper.core.notifications.formats import Message, payload_for


def _unique_people(recipients: Iterable[Any]) -> list[Any]:
    seen: dict[int, Any] = {}
    for person in recipients:
        if person is not None and person.pk not in seen and person.is_active:
            seen[person.pk] = person
    return list(seen.values())


def _for_person(
    person: Any, pref: NotificationPreference | None, message: Message
) -> list[Delivery]:
    """No preference row means e-mail only; urgent means e-mail whatever."""
    rows = []
    wants_email = pref is None or pref.email or message.urgent
    if wants_email and person.email:
        rows.append(_row(message, ChannelKind.EMAIL, user=person, address=person.email))
    if pref is not None and pref.webhook_kind and pref.webhook_url:
        rows.append(
            _row(message, pref.webhook_kind, user=person, address=pref.webhook_url)
        )
    return rows


def _row(message: Message, kind: str, **where: Any) -> Delivery:
    return Delivery(
        event=message.event,
        kind=kind,
        subject=message.subject,
        body=message.body,
        link=message.link,
        urgent=message.urgent,
        payload=payload_for(kind, message),
        next_attempt_at=timezone.now(),
        **where,
    )


def subscribed_channels(event: str) -> list[Channel]:
    # Channels are few; filtering the JSON list in Python works on every database.
    return [
        channel
        for channel in Channel.objects.filter(is_active=True)
        if event in channel.events
    ]


def queue(
    message: Message,
    recipients: Iterable[Any],
    *,
    channels: bool = True,
    extra_channels: Iterable[Channel] = (),
) -> list[Delivery]:
    """Store the deliveries for ``message`` (the worker sends them) and
    record them in the audit trail, in one transaction. ``extra_channels``
    (an alert rule's own) get it whatever events they subscribe to."""
    people = _unique_people(recipients)
    prefs = {
        pref.user_id: pref
        for pref in NotificationPreference.objects.filter(
            user__in=people, event=message.event
        )
    }
    rows = [
        row
        for person in people
        for row in _for_person(person, prefs.get(person.pk), message)
    ]
    targets = list(subscribed_channels(message.event)) if channels else []
    targets += [
        channel
        for channel in extra_channels
        if channel.is_active and channel.pk not in {c.pk for c in targets}
    ]
    rows += [_row(message, channel.kind, channel=channel) for channel in targets]
    with transaction.atomic():
        created = Delivery.objects.bulk_create(rows)
        audit.append(
            audit.build_entry(
                AuditAction.CREATE,
                row,
                changes={"event": [None, row.event], "kind": [None, row.kind]},
                message=row.subject,
            )
            for row in created
        )
    return created


def send_test(channel: Channel) -> Delivery:
    """Queue a test message to ``channel`` and try it at once; the returned
    delivery says whether it got through (and is retried like any other)."""
    message = Message(
        event=NotificationEvent.TEST,
        subject=_("Wardkeeper test message"),
        body=_("If you read this, the channel “%(name)s” works.")
        % {"name": channel.name},
    )
    with transaction.atomic():
        delivery = _row(message, channel.kind, channel=channel)
        delivery.save()
        audit.record(AuditAction.CREATE, delivery, message=message.subject)
    return retry_now(delivery)
