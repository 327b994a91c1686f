"""Storage health of the protected systems: the monitoring checks that read
the storage of the systems' servers and arrays (Redfish from a management
controller; SNMP's disk devices or storage table), one row per array for the
dashboard and its PDF, and the STORAGE_DEGRADED finding of a system whose
storage is degraded."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import JSONField, OuterRef, Q, QuerySet, Subquery
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from wardkeeper.continuity.choices import FindingKind, FindingState
from wardkeeper.continuity.models import Finding, ProtectedSystem
from wardkeeper.continuity.services.findings import raise_finding, resolve_finding
from wardkeeper.monitoring.choices import CheckStatus
from wardkeeper.monitoring.models import Check, Result

__all__ = ["ArrayRow", "array_rows", "storage_checks", "sweep"]

# The monitoring kinds that read storage health ("redfish" once the lead
# adds it to CheckKind; a kind string matches either way). Redfish checks and
# SNMP "disks" checks give their arrays in values["arrays"]; an SNMP
# "storage" check (how full the volumes are) is one row of its own.
REDFISH = "redfish"
STORAGE = Q(kind=REDFISH) | Q(kind="snmp", params__what__in=["storage", "disks"])
BAD = (CheckStatus.DEGRADED, CheckStatus.DOWN)
HEALTH_STATUS = {
    "OK": CheckStatus.UP,
    "Warning": CheckStatus.DEGRADED,
    "Critical": CheckStatus.DOWN,
}
SHOWN = 200  # arrays on the dashboard at most


def storage_checks(systems: QuerySet[ProtectedSystem]) -> QuerySet[Check]:
    """The storage checks of the systems' assets, each with the values and
    time of its newest result (``latest``, ``latest_at``). Paused ones are
    listed too, with their last reading: an array nobody watches now is
    still an array the systems stand on."""
    newest = Result.objects.filter(source=OuterRef("pk")).order_by("-at")
    return (
        Check.objects.filter(STORAGE, asset__protected_systems__in=systems)
        .distinct()
        .select_related("asset")
        .annotate(
            latest=Subquery(newest.values("values")[:1], output_field=JSONField()),
            latest_at=Subquery(newest.values("at")[:1]),
        )
        .order_by("-enabled", "asset__tag", "name")
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
    """One array (a Redfish storage subsystem, an SNMP agent's disks) or one
    check that gives no arrays. The labels are the page's and the PDF's."""

    check: Check
    systems: list[str]
    name: str
    status: str
    array: dict[str, Any] = field(default_factory=dict)

    @property
    def status_label(self) -> str:
        return str(CheckStatus(self.status).label)

    @property
    def paused(self) -> bool:
        """The check is paused: the row is its last reading, not now's."""
        return not self.check.enabled

    @property
    def read_at(self) -> Any:
        """When the reading shown was taken (None when never)."""
        return getattr(self.check, "latest_at", None)

    @property
    def paused_note(self) -> str:
        """ "check paused; last reading …" for a paused check, else ""."""
        if not self.paused:
            return ""
        if self.read_at is None:
            return _("check paused; never read")
        at = date_format(timezone.localtime(self.read_at), "SHORT_DATETIME_FORMAT")
        return _("check paused; last reading %(at)s") % {"at": at}

    @property
    def cache(self) -> str:
        return health_label(self.array.get("cache"))

    @property
    def battery(self) -> str:
        return health_label(self.array.get("battery"))

    @property
    def volumes(self) -> str:
        return ", ".join(_volume(v) for v in self.array.get("volumes", []))

    @property
    def problems(self) -> str:
        """What is wrong: the array's problems, else the check's message
        while it is not up."""
        found = "; ".join(self.array.get("problems") or [])
        if found or self.status == CheckStatus.UP:
            return found
        return self.check.last_message

    @property
    def place(self) -> str:
        """Where the check reads: its asset, else its host."""
        return str(self.check.asset or self.check.host)

    @property
    def drives(self) -> str:
        n = self.array.get("drives")
        if n is None:
            return ""
        return ngettext("%(n)s drive", "%(n)s drives", n) % {"n": n}

    @property
    def failed(self) -> str:
        n = self.array.get("failed_drives") or 0
        return ngettext("%(n)s failed", "%(n)s failed", n) % {"n": n} if n else ""

    @property
    def hot_spares(self) -> str:
        """How many hot spares ("" for a check without arrays; SNMP's
        standard MIBs do not tell)."""
        if not self.array:
            return ""
        n = self.array.get("hot_spares")
        if n is None:
            return _("hot spares not reported")
        return ngettext("%(n)s hot spare", "%(n)s hot spares", n) % {"n": n}

    @property
    def cache_and_battery(self) -> str:
        parts = [
            _("cache %(health)s") % {"health": self.cache} if self.cache else "",
            _("battery %(health)s") % {"health": self.battery} if self.battery else "",
        ]
        return ", ".join(part for part in parts if part)


def _volume(volume: dict[str, Any]) -> str:
    """A volume's name, RAID level and size, with its health unless OK."""
    size = volume.get("capacity_kb")
    words = [volume.get("name"), volume.get("raid")]
    # A plain space: the PDF's font has no no-break space.
    words.append(filesizeformat(size * 1024).replace("\xa0", " ") if size else "")
    health = volume.get("health")
    text = " ".join(str(word) for word in words if word)
    return text if health in ("OK", "", None) else f"{text} ({health})"


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
    # (refused, unreachable, nothing to judge) the check's own status speaks.
    # A paused check's last reading stands (shown as such).
    answered = (CheckStatus.UP, CheckStatus.DEGRADED, CheckStatus.DOWN)
    if not arrays or (check.enabled and check.status not in answered):
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
