"""Pruning the trail past its retention period, without breaking the chain.

Only the oldest entries go, in id order, so what survives is still one
unbroken chain; the head row keeps the hash of the newest removed entry (the
anchor) for the oldest surviving entry to link to.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from wardkeeper.core import audit
from wardkeeper.core.models.audit import AuditAction, AuditChainHead, AuditEntry

# The trail is kept at least this long whatever the setting says (the
# classified-protection rules hospitals work under ask for 180 days).
MIN_RETENTION_DAYS = 180
BATCH_SIZE = 5000


@dataclass(frozen=True)
class PruneResult:
    """How many entries went (or would go), and the cut-off applied."""

    count: int
    cutoff: dt.datetime
    until: dt.datetime | None  # time of the newest entry removed


def retention_days() -> int:
    """The configured retention, never below the legal floor."""
    return max(int(settings.AUDIT_RETENTION_DAYS), MIN_RETENTION_DAYS)


def _limit_id(cutoff: dt.datetime) -> int | None:
    """Entries with an id below this are all older than the cut-off.

    The first entry at or after the cut-off bounds the prefix; an older entry
    recorded just after it (clocks of concurrent writers) is kept a little
    longer rather than leaving a hole in the chain."""
    kept = AuditEntry.objects.filter(at__gte=cutoff).order_by("id")
    first_kept = kept.values_list("id", flat=True).first()
    if first_kept is not None:
        return int(first_kept)
    newest = AuditEntry.objects.order_by("-id").values_list("id", flat=True).first()
    return None if newest is None else int(newest) + 1


def prune(
    *,
    now: dt.datetime | None = None,
    dry_run: bool = False,
    batch_size: int = BATCH_SIZE,
) -> PruneResult:
    """Delete entries older than the retention period, oldest first, moving the
    chain's anchor with each batch so ``verify`` passes at every moment."""
    cutoff = (now or timezone.now()) - dt.timedelta(days=retention_days())
    limit = _limit_id(cutoff)
    if limit is None:
        return PruneResult(0, cutoff, None)
    if dry_run:
        return PruneResult(
            AuditEntry.objects.filter(id__lt=limit).count(), cutoff, None
        )
    total, until = 0, None
    while True:  # one short transaction per batch: appenders wait only briefly
        deleted, newest_at = _prune_batch(limit, batch_size)
        if not deleted:
            break
        total, until = total + deleted, newest_at
    if total and until is not None:
        _record_prune(total, until)
    return PruneResult(total, cutoff, until)


def _record_prune(total: int, until: dt.datetime) -> None:
    """A security entry saying how many entries went and up to when."""
    audit.record(
        AuditAction.SECURITY,
        message=(
            f"pruned {total} audit entries recorded up to {until.isoformat()} "
            f"(retention {retention_days()} days)"
        ),
        changes={
            "pruned_entries": [None, total],
            "pruned_until": [None, until.isoformat()],
        },
    )


def _prune_batch(limit: int, batch_size: int) -> tuple[int, dt.datetime | None]:
    """Remove the oldest ``batch_size`` entries below ``limit`` in one
    transaction holding the chain head, and anchor the chain at the last one."""
    with transaction.atomic():
        head = AuditChainHead.objects.select_for_update().filter(pk=1).first()
        if head is None:
            return 0, None
        oldest = AuditEntry.objects.filter(id__lt=limit).order_by("id")
        rows = list(oldest.values_list("id", "hash", "at")[:batch_size])
        if not rows:
            return 0, None
        last_id, last_hash, last_at = rows[-1]
        # The queryset's delete() refuses (append-only); pruning is the one
        # deliberate exception and goes through the raw delete on purpose.
        doomed = AuditEntry.objects.filter(id__lte=last_id)
        deleted = doomed._raw_delete(doomed.db)
        head.anchor_hash = last_hash
        head.anchor_at = last_at
        head.entries = max(0, head.entries - deleted)
        head.save(update_fields=["anchor_hash", "anchor_at", "entries"])
    return int(deleted), last_at
