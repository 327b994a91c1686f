"""Interfaces and their traffic, read from devices over SNMP.

A device is an inventory asset with an enabled SNMP check: the check's host,
params and (decrypted) secrets are how the network area reaches it, so the
community or v3 keys are kept in one place. ``discover`` makes the device's
Interface rows from its ifTable; ``poll`` reads counters and stores
InterfaceSample rows; ``prune`` drops samples past the retention.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F, QuerySet
from django.utils import timezone

from wardkeeper.core import audit
from wardkeeper.core.models.audit import AuditAction
from wardkeeper.inventory.models import Asset
from wardkeeper.inventory.models.locations import subtree_q
from wardkeeper.monitoring.choices import CheckKind
from wardkeeper.monitoring.engine.probes.snmp_client import SnmpFailure
from wardkeeper.monitoring.models import Check
from wardkeeper.network.choices import Duplex, InterfaceKind
from wardkeeper.network.models import Interface, InterfaceSample
from wardkeeper.network.snmp import device as snmp
from wardkeeper.network.snmp.rates import rates
from wardkeeper.network.snmp.tables import Counters, IfRow, read_counters
from wardkeeper.network.snmp.tables import read_interfaces as read_if_table

DEFAULT_SAMPLE_DAYS = 30
# IANAifType numbers (RFC 2863) for kinds that are not plain Ethernet.
_VIRTUAL_TYPES = frozenset({53, 131, 135, 136, 150, 166})
_SKIPPED_TYPES = frozenset({24})  # softwareLoopback: never a port
_ETHERNET_BY_SPEED = (
    (100, InterfaceKind.COPPER_100M),
    (1000, InterfaceKind.COPPER_1G),
    (2500, InterfaceKind.COPPER_2G5),
    (10000, InterfaceKind.SFP_10G),
    (25000, InterfaceKind.SFP_25G),
    (40000, InterfaceKind.QSFP_40G),
    (100000, InterfaceKind.QSFP_100G),
)


def sample_days() -> int:
    """How many days of samples are kept (WARDKEEPER_NETWORK_SAMPLE_DAYS)."""
    return int(getattr(settings, "NETWORK_SAMPLE_DAYS", DEFAULT_SAMPLE_DAYS))


def snmp_checks() -> QuerySet[Check]:
    """Enabled SNMP checks tied to an asset, the server's own first."""
    return (
        Check.objects.filter(kind=CheckKind.SNMP, enabled=True, asset__isnull=False)
        .order_by("asset_id", F("poller").asc(nulls_first=True), "pk")
        .only("pk", "asset_id", "host", "params", "secrets", "poller_id")
    )


def targets(devices: Iterable[Asset] | None = None) -> list[snmp.Target]:
    """How to reach each device (every device with an SNMP check when
    ``devices`` is None), one target per device."""
    checks = snmp_checks()
    if devices is not None:
        checks = checks.filter(asset__in=[d.pk for d in devices])
    found: dict[int, snmp.Target] = {}
    for check in checks:
        assert check.asset_id is not None
        if check.asset_id not in found:
            params = {**check.params, **check.secret_values()}
            found[check.asset_id] = snmp.Target(check.asset_id, check.host, params)
    return list(found.values())


def devices_in(site: Any = None) -> QuerySet[Asset]:
    """Assets with an SNMP check, optionally within a place (campus …)."""
    rows = Asset.objects.filter(
        checks__kind=CheckKind.SNMP, checks__enabled=True
    ).distinct()
    if site is not None:
        rows = rows.filter(subtree_q(site.pk, "location"))
    return rows


def kind_of(row: IfRow) -> InterfaceKind:
    if row.if_type == 161:
        return InterfaceKind.LAG
    if row.if_type == 71:
        return InterfaceKind.WIRELESS
    if row.if_type in _VIRTUAL_TYPES:
        return InterfaceKind.VIRTUAL
    if row.if_type in (6, 62, 117) and row.speed_mbps:
        for ceiling, kind in _ETHERNET_BY_SPEED:
            if row.speed_mbps <= ceiling:
                return kind
    if row.if_type in (6, 62, 117):
        return InterfaceKind.COPPER_1G
    return InterfaceKind.OTHER


@dataclass(frozen=True)
class Discovery:
    created: list[Interface]
    updated: list[Interface]


class DeviceUnreachable(Exception):
    """The device did not answer usably; ``reason`` as SnmpFailure's."""

    def __init__(self, device: Asset, failure: SnmpFailure) -> None:
        super().__init__(f"{device}: {failure}")
        self.reason = failure.reason


def target_of(device: Asset) -> snmp.Target:
    found = targets([device])
    if not found:
        raise DeviceUnreachable(device, SnmpFailure("config", "no SNMP check"))
    return found[0]


def discover(device: Asset) -> Discovery:
    """Read the device's interface table and create or update its Interface
    rows to match (by ifIndex, else by name). Raises DeviceUnreachable."""
    try:
        rows = snmp.run(snmp.read(target_of(device), read_if_table))
    except SnmpFailure as failure:
        raise DeviceUnreachable(device, failure) from failure
    return apply_interfaces(device, rows)


def _fields(row: IfRow) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "if_index": row.if_index,
        "speed_mbps": row.speed_mbps,
        "mac_address": row.mac,
        "enabled": row.admin_up,
        "oper_up": row.oper_up,
    }
    if row.duplex:
        fields["duplex"] = Duplex(row.duplex)
    if row.alias:
        fields["description"] = row.alias[:200]
    return fields


def apply_interfaces(device: Asset, rows: Sequence[IfRow]) -> Discovery:
    """Make the device's Interface rows match what it reported, in one
    transaction, with one audit entry per created or changed interface.
    Interfaces the device no longer reports are left alone (a line card out
    for repair is not a deleted port)."""
    rows = [row for row in rows if row.if_type not in _SKIPPED_TYPES and row.name]
    have = list(Interface.objects.filter(device=device))
    by_index = {i.if_index: i for i in have if i.if_index is not None}
    by_name = {i.name: i for i in have}
    new: list[Interface] = []
    changed: list[tuple[Interface, dict[str, Any]]] = []
    for row in rows:
        name = row.name[:64]
        found = by_index.get(row.if_index) or by_name.get(name)
        if found is None:
            new.append(
                Interface(device=device, name=name, kind=kind_of(row), **_fields(row))
            )
            continue
        before = found.audit_values()
        for field, value in _fields(row).items():
            setattr(found, field, value)
        changes = audit.diff(before, found.audit_values())
        changed.append((found, changes))
    fields = ["if_index", "speed_mbps", "mac_address", "enabled", "oper_up"]
    with transaction.atomic():
        created = Interface.objects.bulk_create(new, batch_size=500)
        Interface.objects.bulk_update(
            [i for i, _c in changed], [*fields, "duplex", "description"], 500
        )
        audit.append(
            [
                audit.build_entry(
                    AuditAction.CREATE, i, changes=audit.diff(None, i.audit_values())
                )
                for i in created
            ]
            + [
                audit.build_entry(AuditAction.UPDATE, i, changes=changes)
                for i, changes in changed
                if changes
            ]
        )
    return Discovery(created, [i for i, changes in changed if changes])


def _reading(counters: Counters, uptime: int, at: float) -> dict[str, Any]:
    return {
        "at": at,
        "uptime": uptime,
        "bits": counters.bits,
        "in_octets": counters.in_octets,
        "out_octets": counters.out_octets,
        **counters.errors,
    }


def store_counters(
    device_id: int, uptime: int, readings: Sequence[Counters], now: dt.datetime
) -> list[InterfaceSample]:
    """Keep the new readings on the device's interfaces and store a sample
    for each interface that has a usable earlier reading."""
    at = now.timestamp()
    by_index = {r.if_index: r for r in readings}
    interfaces = list(
        Interface.objects.filter(device_id=device_id, if_index__in=list(by_index))
    )
    samples = []
    for interface in interfaces:
        counters = by_index[interface.if_index]  # type: ignore[index]
        reading = _reading(counters, uptime, at)
        found = rates(interface.counters, reading, interface.speed_mbps)
        if found is not None:
            samples.append(
                InterfaceSample(interface=interface, at=now, **asdict(found))
            )
        interface.counters, interface.polled_at = reading, now
        interface.oper_up = counters.oper_up
    with transaction.atomic():
        Interface.objects.bulk_update(
            interfaces, ["counters", "polled_at", "oper_up"], batch_size=500
        )
        InterfaceSample.objects.bulk_create(samples, batch_size=1000)
    return samples


@dataclass(frozen=True)
class PollSummary:
    devices: int
    samples: int
    failed: dict[int, str]


def poll(devices: Iterable[Asset] | None = None) -> PollSummary:
    """Read every device's counters at once (bounded) and store the samples."""
    found = targets(devices)
    answers = snmp.run(snmp.read_many(found, read_counters))
    now = timezone.now()
    samples, failed = 0, {}
    for key, answer in answers.items():
        if isinstance(answer, SnmpFailure):
            failed[key] = answer.reason
            continue
        samples += len(store_counters(key, answer[0], answer[1], now))
    return PollSummary(len(found), samples, failed)


def prune(now: dt.datetime | None = None) -> int:
    """Delete samples older than the retention; returns how many."""
    cutoff = (now or timezone.now()) - dt.timedelta(days=sample_days())
    deleted, _ = InterfaceSample.objects.filter(at__lt=cutoff).delete()
    return deleted
