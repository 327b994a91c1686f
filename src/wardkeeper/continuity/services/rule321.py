"""The 3-2-1 rule per data store: three copies of the data, on two kinds
of medium, one of them offsite; a protected system meets it when every one
of its data stores does, and its verdict is its worst store's.

The live data is the first copy (on disk). Each destination a job
protecting the store wrote successfully within max(RPO, the destination's
stale days) is one more copy; older copies do not count, as they would not
bring back data the hospital can use. A job naming no data store backs up
the whole system: it is a copy of every store (and a system with no data
store is judged as one). So a fresh NAS copy of the database does not stand
in for the image archive's NAS job that stopped. Network storage is disks:
it is the same kind of medium as a disk, so a NAS copy of data living on
disk is still "one kind".
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Max
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from wardkeeper.continuity.choices import Media
from wardkeeper.continuity.models import BackupDestination, DataStore, ProtectedSystem
from wardkeeper.continuity.services.rpo import successful_runs

__all__ = ["Rule321", "evaluate", "evaluate_many", "medium_kind"]

NEEDED_COPIES = 3
NEEDED_MEDIA = 2
# Kinds of medium for the "2": disks and network storage are both disks.
MEDIUM_KIND = {
    Media.DISK: Media.DISK,
    Media.NAS: Media.DISK,
    Media.TAPE: Media.TAPE,
    Media.CLOUD: Media.CLOUD,
    Media.OPTICAL: Media.OPTICAL,
}
WHOLE_SYSTEM = 0  # the copies of jobs naming no data store: of every store


def medium_kind(media: str) -> str:
    return str(MEDIUM_KIND.get(Media(media), media))


@dataclass(frozen=True)
class Rule321:
    """A 3-2-1 result: the destinations holding a current copy, the counts,
    and what is missing (empty when the rule is met). A data store's result
    names its ``store``; a system's is its worst store's (``missing`` then
    starts with that store's name) and holds every store's in ``stores``."""

    copies: int
    media: tuple[str, ...]
    offsite: int
    destinations: tuple[BackupDestination, ...] = ()
    missing: tuple[str, ...] = field(default=())
    store: str = ""
    stores: tuple[Rule321, ...] = ()

    @property
    def met(self) -> bool:
        return not self.missing

    @property
    def gaps(self) -> list[str]:
        """What each failing data store misses, one line per store
        ("Image archive: only 2 copies; no offsite copy")."""
        failing = [r for r in self.stores or (self,) if not r.met]
        return [_named(r.store, "; ".join(r.missing)) for r in failing]

    @property
    def failing_stores(self) -> list[str]:
        return [r.store for r in self.stores if not r.met and r.store]

    @property
    def message(self) -> str:
        """One line for a finding or a tooltip, naming every failing store."""
        if self.met:
            return _("3-2-1 met: %(copies)s copies, %(media)s kinds of medium.") % {
                "copies": self.copies,
                "media": len(self.media),
            }
        return _("3-2-1 not met: %(missing)s.") % {"missing": ". ".join(self.gaps)}

    @property
    def media_labels(self) -> list[str]:
        return [str(Media(kind).label) for kind in self.media]


def _named(store: str, text: str) -> str:
    if not store:
        return text
    return _("%(store)s: %(missing)s") % {"store": store, "missing": text}


def _missing(copies: int, media: int, offsite: int) -> tuple[str, ...]:
    reasons = []
    if copies < NEEDED_COPIES:
        reasons.append(
            ngettext("only %(n)s copy", "only %(n)s copies", copies) % {"n": copies}
        )
    if media < NEEDED_MEDIA:
        reasons.append(_("one kind of medium"))
    if offsite < 1:
        reasons.append(_("no offsite copy"))
    return tuple(reasons)


def result_for(destinations: Iterable[BackupDestination], store: str = "") -> Rule321:
    """The rule for the live data plus these current copies."""
    held = tuple(sorted(set(destinations), key=lambda d: d.name))
    kinds = {str(Media.DISK)} | {medium_kind(d.media) for d in held}
    media = tuple(sorted(kinds))
    offsite = sum(1 for d in held if d.offsite)
    copies = 1 + len(held)
    missing = _missing(copies, len(media), offsite)
    return Rule321(copies, media, offsite, held, missing, store)


def verdict(per_store: list[Rule321]) -> Rule321:
    """A system's result from its stores': the worst one's, naming it."""
    worst = min(
        per_store, key=lambda r: (r.met, r.copies, len(r.media), r.offsite, r.store)
    )
    missing = worst.missing
    if worst.store and missing:
        missing = (_named(worst.store, missing[0]), *missing[1:])
    return dataclasses.replace(worst, missing=missing, stores=tuple(per_store))


def _current_copies(
    systems: dict[int, ProtectedSystem], moment: dt.datetime
) -> dict[int, tuple[int, BackupDestination]]:
    """Each job of these systems whose newest successful run is recent enough
    to count: job id -> (system id, the destination holding the copy)."""
    newest = list(
        successful_runs()
        .filter(job__system__in=list(systems))
        .values("job_id", "job__system_id", "job__destination_id")
        .annotate(last=Max(Coalesce("finished_at", "started_at")))
    )
    destinations = BackupDestination.objects.in_bulk(
        {row["job__destination_id"] for row in newest}
    )
    current = {}
    for row in newest:
        system = systems[row["job__system_id"]]
        destination = destinations[row["job__destination_id"]]
        if moment - row["last"] <= _window(system, destination):
            current[row["job_id"]] = (system.pk, destination)
    return current


def evaluate_many(
    systems: Iterable[ProtectedSystem], now: dt.datetime | None = None
) -> dict[int, Rule321]:
    """Each system's 3-2-1 result, store by store, in three queries (for
    lists)."""
    moment = now or timezone.now()
    by_id = {s.pk: s for s in systems}
    current = _current_copies(by_id, moment)
    # Every data store with the jobs naming it (one row per pair; a store
    # no job names comes once, with None).
    stores: dict[int, dict[int, str]] = defaultdict(dict)
    covers: dict[int, set[int]] = defaultdict(set)
    for system_id, store_id, name, job_id in (
        DataStore.objects.filter(system__in=list(by_id))
        .order_by("name")
        .values_list("system_id", "pk", "name", "jobs")
    ):
        stores[system_id][store_id] = name
        if job_id is not None:
            covers[job_id].add(store_id)
    # (system, data store or WHOLE_SYSTEM) -> the destinations holding a copy.
    held: dict[tuple[int, int], set[BackupDestination]] = defaultdict(set)
    for job_id, (system_id, destination) in current.items():
        for store in covers[job_id] or {WHOLE_SYSTEM}:
            held[(system_id, store)].add(destination)
    results = {}
    for pk in by_id:
        whole = held[(pk, WHOLE_SYSTEM)]
        per_store = [
            result_for(whole | held[(pk, store_id)], name)
            for store_id, name in stores[pk].items()
        ]
        results[pk] = verdict(per_store) if per_store else result_for(whole)
    return results


def _window(system: ProtectedSystem, destination: BackupDestination) -> dt.timedelta:
    return max(system.rpo, dt.timedelta(days=destination.stale_days))


def evaluate(system: ProtectedSystem, now: dt.datetime | None = None) -> Rule321:
    """Whether the system meets 3-2-1 now, and if not, which data store
    misses what."""
    return evaluate_many([system], now)[system.pk]
