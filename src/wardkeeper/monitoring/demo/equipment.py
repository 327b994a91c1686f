"""Which of the demo's equipment is watched, and with which checks: the
templates per asset type, and a spread of devices across both campuses,
their buildings and floors, and the clinical services the servers carry."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from wardkeeper.inventory.choices import AssetStatus
from wardkeeper.inventory.demo.writer import insert
from wardkeeper.inventory.models import Asset, AssetType
from wardkeeper.inventory.models.locations import SEPARATOR
from wardkeeper.monitoring.choices import CheckKind, Severity
from wardkeeper.monitoring.models import Check, CheckTemplate
from wardkeeper.monitoring.services.templates import COPIED, host_of

T = TypeVar("T")

# (asset type, name, kind, params, interval, severity)
TEMPLATES: tuple[tuple[str, str, str, dict[str, Any], int, int], ...] = (
    ("switch", "Ping", CheckKind.ICMP, {"count": 3}, 60, Severity.MAJOR),
    ("switch", "SNMP uptime", CheckKind.SNMP, {"what": "uptime"}, 300, Severity.MINOR),
    (
        "switch",
        "SNMP interfaces",
        CheckKind.SNMP,
        {"what": "interfaces", "interfaces": ["GE*", "XGE*"]},
        300,
        Severity.MINOR,
    ),
    ("server", "Ping", CheckKind.ICMP, {"count": 3}, 60, Severity.MAJOR),
    ("server", "SSH", CheckKind.TCP, {"port": 22}, 60, Severity.MINOR),
    ("server", "HTTPS port", CheckKind.TCP, {"port": 443}, 60, Severity.MAJOR),
    ("ups", "Ping", CheckKind.ICMP, {"count": 3}, 60, Severity.MINOR),
    ("ups", "UPS battery", CheckKind.SNMP, {"what": "ups"}, 300, Severity.MAJOR),
    ("infusion-gateway", "Ping", CheckKind.ICMP, {"count": 3}, 60, Severity.MAJOR),
    ("ct", "Ping", CheckKind.ICMP, {"count": 3}, 60, Severity.MAJOR),
    (
        "ct",
        "DICOM echo",
        CheckKind.DICOM_ECHO,
        {"port": 104, "calling_ae": "WARDKEEPER", "called_ae": "CT_SCU"},
        300,
        Severity.MAJOR,
    ),
    ("mr", "Ping", CheckKind.ICMP, {"count": 3}, 60, Severity.MAJOR),
    (
        "mr",
        "DICOM echo",
        CheckKind.DICOM_ECHO,
        {"port": 104, "calling_ae": "WARDKEEPER", "called_ae": "MR_SCU"},
        300,
        Severity.MAJOR,
    ),
)
# How many of each type get checks.
SUBSET = {
    "switch": 16,
    "server": 24,
    "ups": 8,
    "infusion-gateway": 6,
    "ct": 4,
    "mr": 2,
}
DATA_CENTRE_SWITCHES = 6  # of the switches; the rest one per floor
# Server hostname stem → the clinical service it carries.
SERVICES = {
    "his": "HIS",
    "emr": "EMR",
    "lis": "LIS",
    "pacs": "PACS",
    "ris": "RIS",
    "esb": "Integration engine",
    "web": "Hospital website",
}
TYPE_SERVICE = {
    "switch": "Network",
    "ups": "Power",
    "ct": "Imaging",
    "mr": "Imaging",
    "infusion-gateway": "Infusion",
}
INFRASTRUCTURE = "Infrastructure"


def templates() -> dict[str, list[CheckTemplate]]:
    """The templates, inactive: active, the periodic template job would give
    every one of the demo's devices checks of its made-up address."""
    types = {t.code: t for t in AssetType.objects.filter(code__in=SUBSET)}
    rows = [
        CheckTemplate(
            name=name,
            asset_type=types[code],
            kind=kind,
            params=params,
            interval=interval,
            timeout=10,
            severity=severity,
            is_active=False,
        )
        for code, name, kind, params, interval, severity in TEMPLATES
        if code in types
    ]
    by_type: dict[str, list[CheckTemplate]] = defaultdict(list)
    for template in insert(CheckTemplate, rows):
        by_type[template.asset_type.code].append(template)
    return by_type


def place(asset: Asset, depth: int) -> str:
    """The first ``depth`` levels of the asset's place: 1 its campus, 3 its
    floor."""
    location = asset.location if asset.location_id else None
    full = location.full_name if location is not None else ""
    return SEPARATOR.join(full.split(SEPARATOR)[:depth])


def round_robin(groups: Iterable[list[T]]) -> list[T]:
    """The first of each group, then the second of each, and so on."""
    lists = [group for group in groups if group]
    longest = max((len(group) for group in lists), default=0)
    return [group[n] for n in range(longest) for group in lists if n < len(group)]


def grouped(rows: Iterable[T], key: Callable[[T], Any]) -> list[list[T]]:
    """``rows`` in groups by ``key``, the groups in the key's order."""
    groups: dict[Any, list[T]] = defaultdict(list)
    for row in rows:
        groups[key(row)].append(row)
    return [groups[k] for k in sorted(groups)]


def spread(rows: Iterable[Asset]) -> list[Asset]:
    """Campus by campus in turn, each taking its floors in turn."""
    return round_robin(
        round_robin(grouped(campus, lambda a: place(a, 3)))
        for campus in grouped(rows, lambda a: place(a, 1))
    )


def service(code: str, asset: Asset) -> str:
    if code == "server":
        stem = asset.hostname.removeprefix("ec-").split("-", 1)[0]
        return SERVICES.get(stem, INFRASTRUCTURE)
    return TYPE_SERVICE.get(code, "")


def _ranked(code: str, rows: list[Asset], count: int) -> list[Asset]:
    if code == "switch":
        inside = [a for a in rows if "-DC-" in a.hostname]
        floors = [a for a in rows if "-ASW" in a.hostname]
        # One access switch per floor before any floor's second.
        chosen = spread(inside)[:DATA_CENTRE_SWITCHES] + spread(floors)
        return chosen + [a for a in rows if a not in chosen]
    if code == "server":
        # The clinical services in turn (one HIS, one EMR … then the second
        # of each), each service's servers from both campuses in turn.
        by_service = grouped(rows, lambda a: service(code, a))
        clinical = [g for g in by_service if service(code, g[0]) != INFRASTRUCTURE]
        infrastructure = [a for a in rows if service(code, a) == INFRASTRUCTURE]
        return round_robin(spread(g) for g in clinical) + spread(infrastructure)
    return spread(rows)


def pick(excluded_floor: str = "") -> dict[str, list[Asset]]:
    """The equipment watched: up to SUBSET of each type in use with an
    address, spread over the campuses (none from ``excluded_floor``, the
    standing fault's floor, whose devices it takes down)."""
    picked: dict[str, list[Asset]] = {}
    for code, count in SUBSET.items():
        rows = (
            Asset.objects.filter(asset_type__code=code, status=AssetStatus.IN_USE)
            .exclude(ip_address=None)
            .select_related("location", "asset_type")
            .order_by("hostname", "pk")
        )
        usable = [
            a for a in rows if not excluded_floor or place(a, 3) != excluded_floor
        ]
        picked[code] = _ranked(code, usable, count)[:count]
    return picked


def check_of(asset: Asset, code: str, **fields: Any) -> Check:
    return Check(
        asset=asset, host=host_of(asset), service=service(code, asset), **fields
    )


def rows(
    by_type: dict[str, list[CheckTemplate]], picked: dict[str, list[Asset]]
) -> list[Check]:
    """The templates' checks on the picked equipment and the checks no
    template gives, unsaved, each on the device's real address."""
    made = [
        check_of(
            asset,
            code,
            name=f"{template.name} · {asset.name}",
            template=template,
            **{name: getattr(template, name) for name in COPIED},
        )
        for code, assets in picked.items()
        for asset in assets
        for template in by_type.get(code, [])
    ]
    return made + _extra(picked)


def _extra(picked: dict[str, list[Asset]]) -> list[Check]:
    """What no template gives: the PACS archive's DICOM echo and the
    hospital website's page and certificate."""
    rows = []
    for asset in picked.get("server", []):
        kind = service("server", asset)
        if kind == "PACS" and "app" in asset.hostname:
            rows.append(
                check_of(
                    asset,
                    "server",
                    name=f"DICOM echo · {asset.name}",
                    kind=CheckKind.DICOM_ECHO,
                    params={
                        "port": 104,
                        "calling_ae": "WARDKEEPER",
                        "called_ae": "PACS",
                    },
                    interval=120,
                    severity=Severity.CRITICAL,
                )
            )
        if kind == "Hospital website":
            url = "https://www.hospital.example/"
            rows += [
                check_of(
                    asset,
                    "server",
                    name=f"Website · {asset.name}",
                    kind=CheckKind.HTTP,
                    params={"url": url, "expect_text": "Appointments"},
                    interval=60,
                ),
                check_of(
                    asset,
                    "server",
                    name=f"Website certificate · {asset.name}",
                    kind=CheckKind.TLS,
                    params={"server_name": "www.hospital.example", "warn_days": 30},
                    interval=3600,
                    severity=Severity.MINOR,
                ),
            ]
    return rows
