"""The 3-2-1 rule per protected system: three copies of the data, on two
kinds of medium, one of them offsite.

The live data is the first copy (on disk). Each destination a job of the
system wrote successfully within max(RPO, the destination's stale days) is
one more copy; older copies do not count, as they would not bring back data
the hospital can use. Network storage is disks: it is the same kind of medium
as a disk, so a NAS copy of data living on disk is still "one kind".
"""

from __future__ import annotations

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
from wardkeeper.continuity.models import BackupDestination, ProtectedSystem
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


def medium_kind(media: str) -> str:
    return str(MEDIUM_KIND.get(Media(media), media))


@dataclass(frozen=True)
class Rule321:
    """A system's 3-2-1 result: the destinations holding a current copy,
    the counts, and what is missing (empty when the rule is met)."""

    copies: int
    media: tuple[str, ...]
    offsite: int
    destinations: tuple[BackupDestination, ...] = ()
    missing: tuple[str, ...] = field(default=())

    @property
    def met(self) -> bool:
        return not self.missing

    @property
    def message(self) -> str:
        """One line for a finding or a tooltip."""
        if self.met:
            return _("3-2-1 met: %(copies)s copies, %(media)s kinds of medium.") % {
                "copies": self.copies,
                "media": len(self.media),
            }
        return _("3-2-1 not met: %(missing)s.") % {"missing": "; ".join(self.missing)}

    @property
    def media_labels(self) -> list[str]:
        return [str(Media(kind).label) for kind in self.media]


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


def result_for(destinations: Iterable[BackupDestination]) -> Rule321:
    """The rule for the live data plus these current copies."""
    held = tuple(sorted(destinations, key=lambda d: d.name))
    kinds = {str(Media.DISK)} | {medium_kind(d.media) for d in held}
    media = tuple(sorted(kinds))
    offsite = sum(1 for d in held if d.offsite)
    copies = 1 + len(held)
    return Rule321(copies, media, offsite, held, _missing(copies, len(media), offsite))


def evaluate_many(
    systems: Iterable[ProtectedSystem], now: dt.datetime | None = None
) -> dict[int, Rule321]:
    """Each system's 3-2-1 result in two queries (for lists)."""
    moment = now or timezone.now()
    systems = list(systems)
    newest = (
        successful_runs()
        .filter(job__system__in=[s.pk for s in systems])
        .values("job__system_id", "job__destination_id")
        .annotate(last=Max(Coalesce("finished_at", "started_at")))
    )
    written: dict[int, dict[int, dt.datetime]] = defaultdict(dict)
    for row in newest:
        written[row["job__system_id"]][row["job__destination_id"]] = row["last"]
    ids = {dest for per in written.values() for dest in per}
    destinations = BackupDestination.objects.in_bulk(ids)
    results = {}
    for system in systems:
        current = [
            destinations[dest]
            for dest, last in written[system.pk].items()
            if moment - last <= _window(system, destinations[dest])
        ]
        results[system.pk] = result_for(current)
    return results


def _window(system: ProtectedSystem, destination: BackupDestination) -> dt.timedelta:
    return max(system.rpo, dt.timedelta(days=destination.stale_days))


def evaluate(system: ProtectedSystem, now: dt.datetime | None = None) -> Rule321:
    """Whether the system meets 3-2-1 now, and if not, what is missing."""
    return evaluate_many([system], now)[system.pk]
