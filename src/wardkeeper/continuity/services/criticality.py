"""The criticality analysis: protected systems, most critical first, each
with its objectives and how far its protection meets them (last good
backup against the RPO, 3-2-1, the last restore proof, the last drill).
Built for a page of systems at a time in a fixed number of queries."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from wardkeeper.continuity.choices import DrillState, ProofStatus
from wardkeeper.continuity.models import Drill, ProtectedSystem, RestoreRun
from wardkeeper.continuity.services import proofs, rule321
from wardkeeper.continuity.services.rpo import RpoState, rpo_states

__all__ = ["Row", "export_table", "ordered", "rows_for", "span_text"]


def span_text(value: dt.timedelta | int | None) -> str:
    """A span as people say it: "15 min", "4 h", "2 d 6 h" (minutes given as
    an int)."""
    if value is None:
        return "\u2013"  # an en dash: nothing
    minutes = value if isinstance(value, int) else int(value.total_seconds() // 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    if days:
        text = _("%(days)d d") % {"days": days}
        return f"{text} {_('%(hours)d h') % {'hours': hours}}" if hours else text
    if hours:
        text = _("%(hours)d h") % {"hours": hours}
        return (
            f"{text} {_('%(minutes)d min') % {'minutes': minutes}}" if minutes else text
        )
    if minutes < 1:
        return _("under a minute")
    return _("%(minutes)d min") % {"minutes": minutes}


@dataclass(frozen=True)
class Row:
    system: ProtectedSystem
    rpo: RpoState
    rule: rule321.Rule321
    proof: RestoreRun | None  # the newest run, shown
    drill: Drill | None
    proven: proofs.SystemProof  # every job's restore proof, judged

    @property
    def proof_is_due(self) -> bool:
        """A job of the system lacks a passed restore within its interval."""
        return not self.proven.proven

    @property
    def age_text(self) -> str:
        return span_text(self.rpo.age) if self.rpo.age is not None else _("never")


def ordered(systems: QuerySet[ProtectedSystem]) -> QuerySet[ProtectedSystem]:
    """Most critical first, then the shortest RTO, then the shortest RPO."""
    return systems.select_related("owner", "team").order_by(
        "criticality", "rto_minutes", "rpo_minutes", "name"
    )


def _last_proofs(ids: list[int]) -> dict[int, RestoreRun]:
    runs = (
        RestoreRun.objects.filter(test__job__system__in=ids)
        .exclude(status=ProofStatus.RUNNING)
        .select_related("test__job")
        .order_by("-started_at")
    )
    found: dict[int, RestoreRun] = {}
    # Newest first: each system keeps its first (newest) run. A system has a
    # handful of tests run weekly, so this reads a few hundred rows at most.
    for run in runs[: 50 * max(1, len(ids))]:
        found.setdefault(run.test.job.system_id, run)
    return found


def _last_drills(ids: list[int]) -> dict[int, Drill]:
    drills = (
        Drill.objects.filter(runbook__system__in=ids, state=DrillState.FINISHED)
        .select_related("runbook")
        .order_by("-finished_at", "-scheduled_for")
    )
    found: dict[int, Drill] = {}
    for drill in drills[: 20 * max(1, len(ids))]:
        found.setdefault(drill.runbook.system_id, drill)
    return found


def rows_for(
    systems: Iterable[ProtectedSystem], now: dt.datetime | None = None
) -> list[Row]:
    """The analysis rows of these systems, in the order given."""
    systems = list(systems)
    ids = [s.pk for s in systems]
    states = rpo_states(systems, now)
    rules = rule321.evaluate_many(systems, now)
    last, drills = _last_proofs(ids), _last_drills(ids)
    proven = proofs.proof_states(systems, now)
    return [
        Row(
            s,
            states[s.pk],
            rules[s.pk],
            last.get(s.pk),
            drills.get(s.pk),
            proven[s.pk],
        )
        for s in systems
    ]


HEADER = [
    "system",
    "criticality",
    "rpo_minutes",
    "rto_minutes",
    "last_good_backup",
    "backup_age_minutes",
    "within_rpo",
    "rule_321",
    "rule_321_missing",
    "last_restore_proof",
    "restore_proof_status",
    "last_drill",
    "owner",
    "team",
]


def _minutes(span: dt.timedelta | None) -> int | None:
    return None if span is None else int(span.total_seconds() // 60)


def _cells(row: Row) -> list[Any]:
    system, proof, drill = row.system, row.proof, row.drill
    local = timezone.localtime
    return [
        system.name,
        system.get_criticality_display(),
        system.rpo_minutes,
        system.rto_minutes,
        local(row.rpo.last).replace(tzinfo=None) if row.rpo.last else None,
        _minutes(row.rpo.age),
        row.rpo.is_ok,
        row.rule.met,
        "; ".join(row.rule.missing),
        local(proof.started_at).replace(tzinfo=None) if proof else None,
        proof.get_status_display() if proof else "",
        local(drill.finished_at).date() if drill and drill.finished_at else None,
        str(system.owner or ""),
        str(system.team or ""),
    ]


def export_table(
    systems: QuerySet[ProtectedSystem], now: dt.datetime | None = None
) -> tuple[list[str], Iterator[list[Any]]]:
    """Header and rows of the analysis, a hundred systems at a time."""

    def rows() -> Iterator[list[Any]]:
        chunk = 100
        ordered_rows = ordered(systems)
        for start in range(0, ordered_rows.count(), chunk):
            for row in rows_for(ordered_rows[start : start + chunk], now):
                yield _cells(row)

    return list(HEADER), rows()


def summary(rows: list[Row]) -> str:
    """How many of the shown systems miss their RPO (for the page's heading)."""
    late = sum(1 for row in rows if not row.rpo.is_ok)
    return ngettext(
        "%(n)s system outside its RPO", "%(n)s systems outside their RPO", late
    ) % {"n": late}
