"""Sending queued deliveries, with retries and back-off.

``deliver_due`` is the worker's step (every ~10 s): it claims each due row
with a conditional update, sends it outside any transaction, and records the
outcome. A failure is tried again after 1, 2, 4, 8, … minutes (capped), and
given up after ``NOTIFY_MAX_ATTEMPTS`` tries; ``last_error`` says why.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.conf import settings
from django.db.models import F
from django.utils import timezone

from wardkeeper.core import audit
from wardkeeper.core.models.audit import AuditAction, AuditEntry
from wardkeeper.core.models.notifications import ChannelKind, Delivery, DeliveryState
from wardkeeper.core.notifications.formats import signed_url
from wardkeeper.core.notifications.transport import SendFailed, post_json, send_email

logger = logging.getLogger(__name__)

# A claimed row is hidden from other workers this long; a worker killed
# mid-send leaves it to be picked up again afterwards.
LEASE = dt.timedelta(minutes=5)
BATCH = 100


def max_attempts() -> int:
    return int(getattr(settings, "NOTIFY_MAX_ATTEMPTS", 8))


def backoff(attempts: int) -> dt.timedelta:
    """Wait after the ``attempts``-th failure: 1, 2, 4, 8, … minutes, capped."""
    cap = int(getattr(settings, "NOTIFY_BACKOFF_CAP_MINUTES", 60))
    return dt.timedelta(minutes=min(cap, 2 ** max(0, attempts - 1)))


def _send(delivery: Delivery) -> None:
    """Send one delivery to its address; raises SendFailed."""
    address, secret = delivery.address, ""
    if delivery.channel_id is not None:
        channel = delivery.channel
        assert channel is not None
        if not channel.is_active:
            raise SendFailed("the channel is switched off")
        address, secret = channel.url or "", channel.secret or ""
    if delivery.kind == ChannelKind.EMAIL:
        text = f"{delivery.body}\n\n{delivery.link}".strip()
        send_email(address, delivery.subject, text)
        return
    if delivery.kind == ChannelKind.DINGTALK and secret:
        address = signed_url(address, secret)
    post_json(address, delivery.payload)


def _claim(delivery: Delivery, now: dt.datetime) -> bool:
    """Take the row for this attempt; False when another worker got it first
    (the update must change exactly the row we read)."""
    claimed = Delivery.objects.filter(
        pk=delivery.pk, state=delivery.state, attempts=delivery.attempts
    ).update(attempts=F("attempts") + 1, next_attempt_at=now + LEASE)
    if claimed == 1:
        delivery.attempts += 1
    return claimed == 1


def attempt(delivery: Delivery, now: dt.datetime) -> AuditEntry | None:
    """Try one delivery once and record the outcome on its row. Returns the
    audit entry to append (None when another worker had claimed it)."""
    if not _claim(delivery, now):
        return None
    before = delivery.state
    try:
        _send(delivery)
    except Exception as error:  # any failure is retried, never raised
        delivery.last_error = str(error)[:2000] or type(error).__name__
        if delivery.attempts >= max_attempts():
            delivery.state, delivery.next_attempt_at = DeliveryState.GAVE_UP, None
        else:
            delivery.state = DeliveryState.FAILED
            delivery.next_attempt_at = now + backoff(delivery.attempts)
        logger.warning("delivery %s failed: %s", delivery.pk, delivery.last_error)
    else:
        delivery.state, delivery.sent_at = DeliveryState.SENT, now
        delivery.next_attempt_at, delivery.last_error = None, ""
    Delivery.objects.filter(pk=delivery.pk).update(
        state=delivery.state,
        next_attempt_at=delivery.next_attempt_at,
        last_error=delivery.last_error,
        sent_at=delivery.sent_at,
    )
    return _entry(delivery, before)


def _entry(delivery: Delivery, before: str) -> AuditEntry:
    return audit.build_entry(
        AuditAction.UPDATE,
        delivery,
        changes={
            "state": [before, delivery.state],
            "attempts": [delivery.attempts - 1, delivery.attempts],
        },
        message=delivery.last_error,
    )


def deliver_due(now: dt.datetime | None = None) -> dict[str, int]:
    """Send every due delivery once; the summary counts each outcome."""
    now = now or timezone.now()
    due = list(
        Delivery.objects.due(now)
        .select_related("channel")
        .order_by("-urgent", "next_attempt_at", "id")[:BATCH]
    )
    summary = {state.value: 0 for state in DeliveryState}
    entries = []
    for delivery in due:
        entry = attempt(delivery, now)
        if entry is not None:
            entries.append(entry)
            summary[delivery.state] += 1
    audit.append(entries)
    return summary


def retry_now(delivery: Delivery, now: dt.datetime | None = None) -> Delivery:
    """An administrator's "retry now": a fresh round of attempts, the first
    one at once. Returns the delivery with the outcome."""
    now = now or timezone.now()
    before: dict[str, Any] = {"state": delivery.state, "attempts": delivery.attempts}
    Delivery.objects.filter(pk=delivery.pk).update(
        state=DeliveryState.PENDING, attempts=0, next_attempt_at=now
    )
    delivery.refresh_from_db()
    changes = {
        key: [value, getattr(delivery, key)]
        for key, value in before.items()
        if value != getattr(delivery, key)
    }
    if changes:
        audit.record(AuditAction.UPDATE, delivery, changes=changes, message="retry now")
    entry = attempt(delivery, now)
    if entry is not None:
        audit.append([entry])
    return delivery
