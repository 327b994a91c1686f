"""Storage health of the protected systems: the monitoring checks that read
the storage of the systems' servers and arrays (Redfish from a management
controller, or SNMP's storage table), one row per array for the dashboard,
and the STORAGE_DEGRADED finding of a system whose storage is degraded."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import JSONField, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from wardkeeper.continuity.choices import FindingKind, FindingState
from wardkeeper.continuity.models import Finding, ProtectedSystem
from wardkeeper.continuity.services.findings import raise_finding, resolve_finding
from wardkeeper.monitoring.choices import CheckStatus
from wardkeeper.monitoring.models import Check, Result

__all__ = ["ArrayRow", "array_rows", "storage_checks", "sweep"]

# The monitoring kinds that read storage health ("redfish" once the lead
# adds it to CheckKind; a kind string matches either way).
REDFISH = "redfish"
STORAGE = Q(kind=REDFISH) | Q(kind="snmp", params__what="storage")
BAD = (CheckStatus.DEGRADED, CheckStatus.DOWN)
HEALTH_STATUS = {
    "OK": CheckStatus.UP,
    "Warning": CheckStatus.DEGRADED,
    "Critical": CheckStatus.DOWN,
}
SHOWN = 200  # arrays on the dashboard at most


def storage_checks(systems: QuerySet[ProtectedSystem]) -> QuerySet[Check]:
    """The enabled storage checks of the systems' assets, each with the
    values of its newest result (``latest``)."""
    newest = Result.objects.filter(source=OuterRef("pk")).order_by("-at")
    return (
        Check.objects.filter(
            STORAGE, enabled=True, asset__protected_systems__in=systems
        )
        .distinct()
        .select_related("asset")
        .annotate(
            latest=Subquery(newest.values("values")[:1], output_field=JSONField())
        )
        .order_by("asset__tag", "name")
    )


def health_label(health: str | None) -> str:
    """A Redfish health word in the reader's language ("" when unknown)."""
    labels = {
        "OK": pgettext("storage health", "OK"),
        "Warning": pgettext("storage health", "warning"),
        "Critical": pgettext("storage health", "critical"),
    }
    return labels.get(health or "", "")


@dataclass(frozen=True)
class ArrayRow:
    """One array (a Redfish storage subsystem) or one SNMP storage check."""

    check: Check
    systems: list[str]
    name: str
    status: str
    array: dict[str, Any] = field(default_factory=dict)

    @property
    def status_label(self) -> str:
        return str(CheckStatus(self.status).label)

    @property
    def cache(self) -> str:
        return health_label(self.array.get("cache"))

    @property
    def battery(self) -> str:
        return health_label(self.array.get("battery"))

    @property
    def volumes(self) -> str:
        return ", ".join(
            f"{v.get('name')} {v.get('raid')}".strip()
            + ("" if v.get("health") in ("OK", "") else f" ({v.get('health')})")
            for v in self.array.get("volumes", [])
        )


def _systems_of(
    checks: list[Check], systems: QuerySet[ProtectedSystem]
) -> dict[int, list[str]]:
    through = ProtectedSystem.assets.through.objects.filter(
        asset_id__in={c.asset_id for c in checks}, protectedsystem__in=systems
    ).values_list("asset_id", "protectedsystem__name")
    names: dict[int, list[str]] = defaultdict(list)
    for asset_id, name in through.order_by("protectedsystem__name"):
        names[asset_id].append(name)
    return names


def _rows_of(check: Check, systems: list[str]) -> Iterable[ArrayRow]:
    arrays = (getattr(check, "latest", None) or {}).get("arrays") or []
    # An array's health counts while the check answers; when it does not
    # (refused, unreachable) the check's own status speaks.
    if (
        check.kind != REDFISH
        or not arrays
        or check.status
        not in (
            CheckStatus.UP,
            CheckStatus.DEGRADED,
            CheckStatus.DOWN,
        )
    ):
        yield ArrayRow(check, systems, check.name, check.status)
        return
    for array in arrays:
        status = HEALTH_STATUS.get(array.get("health"), CheckStatus.UNKNOWN)
        yield ArrayRow(check, systems, str(array.get("name")), status, array)


def array_rows(systems: QuerySet[ProtectedSystem]) -> list[ArrayRow]:
    """The arrays of the systems' storage checks, the worst first."""
    checks = list(storage_checks(systems)[:SHOWN])
    names = _systems_of(checks, systems)
    rows = [row for c in checks for row in _rows_of(c, names.get(c.asset_id or 0, []))]
    order: dict[str, int] = {CheckStatus.DOWN: 0, CheckStatus.DEGRADED: 1}
    rows.sort(key=lambda row: order.get(row.status, 2))
    return rows[:SHOWN]


def sweep(now: dt.datetime | None = None) -> dict[str, int]:
    """Open a STORAGE_DEGRADED finding (alert and ticket) for each system
    whose storage checks are degraded or down; resolve it once all are up."""
    moment = now or timezone.now()
    bad: dict[ProtectedSystem, list[Check]] = defaultdict(list)
    checks = Check.objects.filter(STORAGE, enabled=True, status__in=BAD)
    for check in checks.prefetch_related("asset__protected_systems"):
        for system in check.asset.protected_systems.all() if check.asset else []:
            bad[system].append(check)
    for system, found in bad.items():
        names = "; ".join(f"{c.name}: {c.last_message or c.status}" for c in found)
        raise_finding(
            FindingKind.STORAGE_DEGRADED,
            system=system,
            message=_("Storage degraded for %(system)s: %(checks)s")
            % {"system": system, "checks": names},
            evidence={"checks": [c.pk for c in found]},
            now=moment,
        )
    cleared = Finding.objects.filter(
        kind=FindingKind.STORAGE_DEGRADED, state=FindingState.OPEN
    ).exclude(system__in=[s.pk for s in bad])
    resolved = 0
    for finding in cleared.select_related("system"):
        note = _("Storage healthy again.")
        if resolve_finding(
            FindingKind.STORAGE_DEGRADED, system=finding.system, note=note, now=moment
        ):
            resolved += 1
    return {"raised": len(bad), "resolved": resolved}
