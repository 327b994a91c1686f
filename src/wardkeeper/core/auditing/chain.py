"""Checking the hash chain: every entry's hash must match its content, every
``prev_hash`` the hash of the entry before it, and the head row the newest
entry. An edit made in the database behind the application's back fails one of
the three, and ``verify_chain`` names the first entry where it does.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from wardkeeper.core.models.audit import (
    GENESIS,
    AuditChainHead,
    AuditEntry,
    hash_of,
)

BATCH_SIZE = 2000


class Problem(enum.Enum):
    """What is wrong at a broken link."""

    EDITED = "edited"  # the entry's content no longer matches its own hash
    LINK = "link"  # its prev_hash is not the hash of the entry before it
    HEAD = "head"  # the head row does not name the newest entry


@dataclass(frozen=True)
class Breakage:
    """The first broken link: which entry, when it was recorded, what is wrong."""

    entry_id: int | None
    at: dt.datetime | str | None
    problem: Problem
    detail: str


@dataclass(frozen=True)
class Result:
    """How many entries were checked, and the first breakage if any."""

    checked: int
    breakage: Breakage | None = None

    @property
    def intact(self) -> bool:
        return self.breakage is None


@dataclass(frozen=True)
class _Head:
    hash: str
    last_id: int
    anchor_hash: str


def _read_head() -> _Head:
    row = AuditChainHead.objects.filter(pk=1).first()
    if row is None:
        return _Head(GENESIS, 0, GENESIS)
    return _Head(row.hash, row.last_id, row.anchor_hash)


def walk(
    queryset: QuerySet[AuditEntry] | None = None, batch_size: int = BATCH_SIZE
) -> Iterator[AuditEntry]:
    """Entries in id order, fetched in batches by id (keyset paging), so memory
    stays flat however long the trail is."""
    queryset = AuditEntry.objects.all() if queryset is None else queryset
    last = 0
    while True:
        batch = list(queryset.filter(id__gt=last).order_by("id")[:batch_size])
        yield from batch
        if len(batch) < batch_size:
            return
        last = batch[-1].id


def _edited(entry_id: int | None, at: Any) -> Breakage:
    return Breakage(
        entry_id,
        at,
        Problem.EDITED,
        _("its content was edited: it no longer matches its own hash."),
    )


def _link_broken(entry_id: int | None, at: Any, previous: int | None) -> Breakage:
    if previous is None:
        detail = _(
            "its previous hash does not match the start of the trail: "
            "an entry before it was removed or altered."
        )
    else:
        detail = _(
            "its previous hash does not match entry #%(previous)s: "
            "an entry before it was removed or altered."
        ) % {"previous": previous}
    return Breakage(entry_id, at, Problem.LINK, detail)


def verify_chain(batch_size: int = BATCH_SIZE) -> Result:
    """Recompute the whole chain in id order and report the first breakage."""
    head = _read_head()
    result = _verify_from(head, batch_size)
    if (
        result.breakage is not None
        and result.breakage.problem is Problem.LINK
        and _read_head().anchor_hash != head.anchor_hash
    ):
        # A prune ran during the walk and removed entries ahead of it: the
        # gap is its doing, not tampering. Walk again from the new anchor.
        result = _verify_from(_read_head(), batch_size)
    return result


def _verify_from(head: _Head, batch_size: int) -> Result:
    """The walk itself, against one reading of the head row."""
    expected = head.anchor_hash
    previous: AuditEntry | None = None
    reached_head = False
    checked = 0
    for entry in walk(batch_size=batch_size):
        if entry.compute_hash() != entry.hash:
            return Result(checked, _edited(entry.id, entry.at))
        # Pruning may have moved the anchor since the head was read.
        if entry.prev_hash != expected and not (
            previous is None and entry.prev_hash == _read_head().anchor_hash
        ):
            return Result(
                checked, _link_broken(entry.id, entry.at, getattr(previous, "id", None))
            )
        if head.last_id and not reached_head and entry.id >= head.last_id:
            if entry.id != head.last_id or entry.hash != head.hash:
                return Result(checked, _head_mismatch(head, entry))
            reached_head = True
        expected = entry.hash
        previous = entry
        checked += 1
    # An empty trail is intact only if the head still points at the anchor
    # (nothing recorded yet, or everything pruned).
    intact = reached_head if previous is not None else head.hash == head.anchor_hash
    if not intact:
        return Result(checked, _head_mismatch(head, previous))
    return Result(checked)


def _head_mismatch(head: _Head, entry: AuditEntry | None) -> Breakage:
    """The head names an entry that is missing, or another hash than it has."""
    detail = _(
        "the chain head names entry #%(head)s, but the trail %(found)s: "
        "the newest entries were removed or altered."
    ) % {
        "head": head.last_id,
        "found": _("ends at entry #%(id)s") % {"id": entry.id}
        if entry is not None
        else _("is empty"),
    }
    return Breakage(
        entry.id if entry else None,
        entry.at if entry else None,
        Problem.HEAD,
        detail,
    )


def verify_rows(rows: Iterable[dict[str, Any]]) -> Result:
    """Check exported rows (JSON Lines) the same way, off-system: the first
    row's ``prev_hash`` is taken as given, each later one must link."""
    expected: str | None = None
    previous: Any = None
    checked = 0
    for row in rows:
        if hash_of(row) != row.get("hash"):
            return Result(checked, _edited(row.get("id"), row.get("at")))
        if expected is not None and row["prev_hash"] != expected:
            return Result(checked, _link_broken(row.get("id"), row.get("at"), previous))
        expected = row["hash"]
        previous = row.get("id")
        checked += 1
    return Result(checked)
