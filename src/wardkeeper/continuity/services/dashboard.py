"""The backup and recovery dashboard: one row per protected system (RPO,
3-2-1, the last restore proof, the last drill, open findings) and the
headline figures above it, built from the criticality analysis's bulk
functions in a fixed number of queries per hundred systems. Whether a
system's restore is proven in time is services/proofs.py's verdict (every
enabled job passed a restore within the system's interval), the same the
NO_RESTORE_PROOF findings use."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from wardkeeper.continuity.choices import FindingState
from wardkeeper.continuity.models import Finding, ProtectedSystem
from wardkeeper.continuity.services import criticality, proofs
from wardkeeper.continuity.services.drills import COVERAGE_DAYS

__all__ = [
    "CHUNK",
    "Figure",
    "Headline",
    "SystemRow",
    "export_table",
    "headline",
    "lines",
    "rows_for",
    "summarize",
]

CHUNK = 100  # systems read together for the headline and the exports


@dataclass(frozen=True)
class SystemRow:
    """A system's line on the dashboard: the analysis row (RPO state, 3-2-1,
    newest restore run, newest finished drill) and what the dashboard flags."""

    row: criticality.Row
    drilled: bool  # a drill finished within the last twelve months
    open_findings: int

    @property
    def system(self) -> ProtectedSystem:
        return self.row.system

    @property
    def restore_proof(self) -> proofs.SystemProof:
        """Each enabled job's newest pass, judged (the analysis row's)."""
        return self.row.proven

    @property
    def proven(self) -> bool:
        """Every enabled job passed a restore test (or one recorded by hand)
        within the system's proof interval."""
        return self.row.proven.proven

    @property
    def proof_flagged(self) -> bool:
        """Flagged: a job with no successful restore in ``restore_proof_days``."""
        return not self.proven

    @property
    def unproven(self) -> str:
        """The jobs not proven and what they lack, for the flag."""
        return self.restore_proof.summary


def _drilled(row: criticality.Row, now: dt.datetime) -> bool:
    finished = row.drill.finished_at if row.drill else None
    return finished is not None and now - finished <= dt.timedelta(days=COVERAGE_DAYS)


def _open_findings(ids: list[int]) -> dict[int, int]:
    rows = (
        Finding.objects.filter(system__in=ids, state=FindingState.OPEN)
        .values("system_id")
        .annotate(n=Count("pk"))
        .values_list("system_id", "n")
    )
    return dict(rows)


def rows_for(
    systems: Iterable[ProtectedSystem], now: dt.datetime | None = None
) -> list[SystemRow]:
    """The dashboard rows of these systems, in the order given."""
    moment = now or timezone.now()
    rows = criticality.rows_for(systems, moment)
    findings = _open_findings([row.system.pk for row in rows])
    return [
        SystemRow(
            row,
            drilled=_drilled(row, moment),
            open_findings=findings.get(row.system.pk, 0),
        )
        for row in rows
    ]


def lines(systems: QuerySet[ProtectedSystem], now: dt.datetime) -> Iterator[SystemRow]:
    """Every system's dashboard row, most critical first, read a hundred
    systems at a time."""
    ordered = criticality.ordered(systems)
    for start in range(0, ordered.count(), CHUNK):
        yield from rows_for(ordered[start : start + CHUNK], now)


@dataclass(frozen=True)
class Figure:
    """A headline: how many of the systems meet one objective."""

    key: str
    label: str
    met: int
    total: int

    @property
    def percent(self) -> int | None:
        return None if not self.total else round(100 * self.met / self.total)

    @property
    def all_met(self) -> bool:
        return self.met == self.total


@dataclass(frozen=True)
class Headline:
    figures: list[Figure]
    open_findings: int


def headline(
    systems: QuerySet[ProtectedSystem], now: dt.datetime | None = None
) -> Headline:
    """Systems meeting their RPO, 3-2-1, proven and drilled, out of all."""
    return summarize(lines(systems, now or timezone.now()))


def summarize(rows: Iterable[SystemRow]) -> Headline:
    """The headline of these rows (when they are all the systems shown)."""
    counts = {"rpo": 0, "rule321": 0, "proven": 0, "drilled": 0}
    total = findings = 0
    for line in rows:
        total += 1
        findings += line.open_findings
        counts["rpo"] += line.row.rpo.is_ok
        counts["rule321"] += line.row.rule.met
        counts["proven"] += line.proven
        counts["drilled"] += line.drilled
    labels = {
        "rpo": _("Meeting their RPO"),
        "rule321": _("Meeting 3-2-1"),
        "proven": _("Restore proven in time"),
        "drilled": _("Drilled in 12 months"),
    }
    figures = [Figure(key, labels[key], counts[key], total) for key in labels]
    return Headline(figures, findings)


HEADER = [
    "system",
    "criticality",
    "rpo_minutes",
    "last_good_backup",
    "backup_age_minutes",
    "within_rpo",
    "rule_321",
    "rule_321_missing",
    "last_restore_proof",
    "restore_proof_status",
    "restore_proof_days",
    "proven_in_time",
    "last_drill",
    "drilled_in_12_months",
    "open_findings",
]


def _local(moment: dt.datetime | None) -> dt.datetime | None:
    return timezone.localtime(moment).replace(tzinfo=None) if moment else None


def cells(line: SystemRow) -> list[Any]:
    """One system's values for the CSV and the workbook (typed)."""
    row, system = line.row, line.system
    proof, drill = row.proof, row.drill
    return [
        system.name,
        system.get_criticality_display(),
        system.rpo_minutes,
        _local(row.rpo.last),
        None if row.rpo.age is None else int(row.rpo.age.total_seconds() // 60),
        row.rpo.is_ok,
        row.rule.met,
        "; ".join(row.rule.missing),
        _local(proof.started_at) if proof else None,
        proof.get_status_display() if proof else "",
        system.restore_proof_days,
        line.proven,
        _local(drill.finished_at) if drill else None,
        line.drilled,
        line.open_findings,
    ]


def export_table(
    systems: QuerySet[ProtectedSystem], now: dt.datetime | None = None
) -> tuple[list[str], Iterator[list[Any]]]:
    """Header and rows of the dashboard, a hundred systems at a time."""
    moment = now or timezone.now()
    return list(HEADER), (cells(line) for line in lines(systems, moment))


def _day(moment: dt.datetime | None) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d") if moment else "—"


def pdf_cells(line: SystemRow) -> list[str]:
    """One system's values as text for the printed dashboard."""
    row, system = line.row, line.system
    proof, drill = row.proof, row.drill
    backup = _("never")
    if row.rpo.last is not None:
        backup = _("%(age)s ago") % {"age": row.age_text}
    rpo = _("within RPO") if row.rpo.is_ok else _("late")
    shown = pgettext("restore proof", "none")
    if proof is not None:
        shown = f"{_day(proof.started_at)} {proof.get_status_display()}"
    if line.proof_flagged:
        shown += "\n" + _("flagged: not proven in %(days)d days: %(jobs)s") % {
            "days": system.restore_proof_days,
            "jobs": line.unproven,
        }
    return [
        system.name,
        system.get_criticality_display(),
        f"{backup} ({rpo})",
        pgettext("3-2-1 rule", "met") if row.rule.met else "; ".join(row.rule.missing),
        shown,
        _day(drill.finished_at) if drill else pgettext("drill", "none"),
        str(line.open_findings),
    ]
