"""What the status board shows: counts by status, the root causes that are
down now with the checks they take down, what is degraded, and the same
counts by site, department or service. Reads only; a handful of queries
whatever the number of checks.

The statuses count the enabled checks. Paused (disabled) checks are counted
apart, in total and per group: a hospital pauses checks during a project or
a move and wants to see how many are not being watched, without them
colouring the board."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from wardkeeper.monitoring.choices import CheckStatus
from wardkeeper.monitoring.models import Check, Outage

# What a grouping reads from a check, and its heading.
GROUPINGS: dict[str, tuple[str, Any]] = {
    "site": ("asset__location__campus__name", _("Site")),
    "department": ("asset__department__name", _("Department")),
    "service": ("service", _("Service")),
}
# Children listed under a root cause; the rest are only counted.
CHILDREN_SHOWN = 25
PROBLEMS_SHOWN = 200
ORDER: list[str] = [
    CheckStatus.DOWN,
    CheckStatus.UNREACHABLE,
    CheckStatus.DEGRADED,
    CheckStatus.UNKNOWN,
    CheckStatus.UP,
]


@dataclass
class RootCause:
    check: Check
    affected: int = 0
    children: list[Check] = field(default_factory=list)


@dataclass
class GroupRow:
    name: str
    counts: dict[str, int]  # enabled checks by status
    paused: int = 0  # disabled checks

    @property
    def worst(self) -> str:
        """The worst status among the enabled checks; paused when the group
        has only paused ones."""
        for status in ORDER:
            if self.counts.get(status):
                return status
        return CheckStatus.PAUSED if self.paused else CheckStatus.UNKNOWN

    @property
    def rank(self) -> int:
        worst = self.worst
        return ORDER.index(worst) if worst in ORDER else len(ORDER)


@dataclass
class Board:
    counts: dict[str, int]
    down: list[RootCause]
    orphans: list[Check]  # unreachable with no known root cause
    degraded: list[Check]
    groups: list[GroupRow]
    grouping: str
    value: str
    total: int  # enabled checks
    paused: int  # disabled checks


def _rows() -> QuerySet[Check]:
    return Check.objects.filter(enabled=True).select_related(
        "asset", "asset__location", "asset__department"
    )


def _narrowed(rows: QuerySet[Check], grouping: str, value: str) -> QuerySet[Check]:
    if value:
        rows = rows.filter(**{GROUPINGS[grouping][0]: value})
    return rows


def scoped(grouping: str, value: str) -> QuerySet[Check]:
    """Enabled checks, narrowed to one site, department or service."""
    return _narrowed(_rows(), grouping, value)


def _counts(grouping: str, value: str) -> tuple[dict[str, int], int]:
    """The enabled checks by status, and the paused ones: one query."""
    counted = (
        _narrowed(Check.objects.all(), grouping, value)
        .order_by()
        .values("enabled", "status")
        .annotate(n=Count("pk"))
    )
    counts: dict[str, int] = defaultdict(int)
    paused = 0
    for row in counted:
        if row["enabled"]:
            counts[row["status"]] += row["n"]
        else:
            paused += row["n"]
    return counts, paused


def _groups(grouping: str) -> list[GroupRow]:
    path = GROUPINGS[grouping][0]
    per_status = {
        status.value: Count("pk", filter=Q(enabled=True, status=status.value))
        for status in CheckStatus
    }
    found = (
        Check.objects.order_by()
        .values(path)
        .annotate(
            **{f"n_{k}": v for k, v in per_status.items()},
            n_paused_checks=Count("pk", filter=Q(enabled=False)),
        )
    )
    rows = [
        GroupRow(
            name=row[path] or "",
            counts={k: row[f"n_{k}"] for k in per_status},
            paused=row["n_paused_checks"],
        )
        for row in found
    ]
    # Groups with trouble first, then by name; groups with only paused
    # checks last.
    return sorted(rows, key=lambda row: (row.rank, row.name))


def _root_causes(rows: QuerySet[Check]) -> tuple[list[RootCause], list[Check]]:
    down = list(
        rows.filter(status=CheckStatus.DOWN).order_by("status_since")[:PROBLEMS_SHOWN]
    )
    causes = {check.pk: RootCause(check) for check in down}
    # The open outages of unreachable checks name the check that took them down.
    open_children = Outage.objects.filter(
        ended_at=None, status=CheckStatus.UNREACHABLE, source__enabled=True
    ).exclude(root_cause=None)
    for row in (
        open_children.order_by()
        .values("root_cause")
        .annotate(n=Count("source", distinct=True))
    ):
        if row["root_cause"] in causes:
            causes[row["root_cause"]].affected = row["n"]
    by_root: dict[int, list[Check]] = defaultdict(list)
    placed: set[int] = set()
    unreachable = list(
        rows.filter(status=CheckStatus.UNREACHABLE).order_by("name")[:PROBLEMS_SHOWN]
    )
    roots = dict(
        open_children.filter(source__in=[c.pk for c in unreachable]).values_list(
            "source_id", "root_cause_id"
        )
    )
    for child in unreachable:
        root = roots.get(child.pk)
        if root in causes and len(by_root[root]) < CHILDREN_SHOWN:
            by_root[root].append(child)
            placed.add(child.pk)
        elif root in causes:
            placed.add(child.pk)
    for pk, children in by_root.items():
        causes[pk].children = children
    ordered = sorted(
        causes.values(),
        key=lambda c: (
            -c.affected,
            c.check.status_since or dt.datetime.max.replace(tzinfo=dt.UTC),
        ),
    )
    orphans = [child for child in unreachable if child.pk not in placed]
    return ordered, orphans


def build(grouping: str = "site", value: str = "") -> Board:
    """The board, for one grouping of the counts and optionally one group."""
    if grouping not in GROUPINGS:
        grouping = "site"
    rows = scoped(grouping, value)
    counts, paused = _counts(grouping, value)
    down, orphans = _root_causes(rows)
    degraded = list(
        rows.filter(status=CheckStatus.DEGRADED).order_by("status_since")[
            :PROBLEMS_SHOWN
        ]
    )
    return Board(
        counts={str(status): counts.get(status, 0) for status in ORDER},
        down=down,
        orphans=orphans,
        degraded=degraded,
        groups=_groups(grouping),
        grouping=grouping,
        value=value,
        total=sum(counts.values()),
        paused=paused,
    )
