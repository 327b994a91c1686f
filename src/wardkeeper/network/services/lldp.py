"""LLDP neighbours read from a device and matched to the inventory: the
remote device by chassis ID (its MAC, or an interface's) or by system name
(its hostname), the remote interface by port ID or port description."""

from __future__ import annotations

from collections.abc import Sequence

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from wardkeeper.inventory.models import Asset
from wardkeeper.monitoring.engine.probes.snmp_client import SnmpFailure
from wardkeeper.network.models import Interface, Neighbour
from wardkeeper.network.services.traffic import DeviceUnreachable, target_of
from wardkeeper.network.snmp import device as snmp
from wardkeeper.network.snmp.tables import LldpRow, read_lldp


def refresh(device: Asset) -> list[Neighbour]:
    """Replace the device's neighbours with what LLDP now reports. Raises
    DeviceUnreachable."""
    try:
        rows = snmp.run(snmp.read(target_of(device), read_lldp))
    except SnmpFailure as failure:
        raise DeviceUnreachable(device, failure) from failure
    return apply_neighbours(device, rows)


def _local(interfaces: list[Interface], row: LldpRow) -> Interface | None:
    """The device's own interface the neighbour was heard on: by the LLDP
    local port ID or description (names), else the port number as ifIndex."""
    by_name = {i.name.lower(): i for i in interfaces}
    for key in (row.local_port_id, row.local_port_descr):
        if key and key.lower() in by_name:
            return by_name[key.lower()]
    return next((i for i in interfaces if i.if_index == row.local_port), None)


def match_device(row: LldpRow) -> Asset | None:
    """The inventory device behind a neighbour, if one fits."""
    if row.chassis_id.count(":") == 5:
        found = Asset.objects.filter(
            Q(mac_address=row.chassis_id) | Q(interfaces__mac_address=row.chassis_id)
        ).first()
        if found is not None:
            return found
    name = row.system_name.strip()
    if not name:
        return None
    short = name.split(".", 1)[0]
    return (
        Asset.objects.filter(
            Q(hostname__iexact=name) | Q(hostname__iexact=short) | Q(name__iexact=name)
        )
        .order_by("pk")
        .first()
    )


def match_interface(device: Asset | None, row: LldpRow) -> Interface | None:
    if device is None:
        return None
    keys = [k for k in (row.port_id, row.port_description) if k]
    query = Q(name__in=keys) | Q(description__in=keys)
    if row.port_id.count(":") == 5:
        query |= Q(mac_address=row.port_id)
    return Interface.objects.filter(query, device=device).order_by("pk").first()


def apply_neighbours(device: Asset, rows: Sequence[LldpRow]) -> list[Neighbour]:
    """Store ``rows`` as the device's neighbours, in place of the last set."""
    interfaces = list(Interface.objects.filter(device=device))
    now = timezone.now()
    new = []
    for row in rows:
        local = _local(interfaces, row)
        if local is None:
            continue
        remote = match_device(row)
        new.append(
            Neighbour(
                interface=local,
                chassis_id=row.chassis_id[:100],
                system_name=row.system_name[:255],
                port_id=row.port_id[:100],
                port_description=row.port_description[:255],
                remote_device=remote,
                remote_interface=match_interface(remote, row),
                seen_at=now,
            )
        )
    # Derived from the device, not typed by anyone: replaced, not audited.
    with transaction.atomic():
        Neighbour.objects.filter(interface__device=device).delete()
        return Neighbour.objects.bulk_create(new)
