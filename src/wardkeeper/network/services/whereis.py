"""Where is this host? From an IP or MAC address, the switch port it is
plugged into, read live from the switches' and routers' tables over SNMP.

One bounded pass asks every SNMP device of the site at once for its ARP table
(IP-MIB) and forwarding table (Q-BRIDGE-MIB, else BRIDGE-MIB). The ARP
answers give the MAC of an IP (or the IP of a MAC); the forwarding tables give
each port the MAC was learnt on. Of these, the access port is the answer: a
port facing another managed switch (an LLDP neighbour) or carrying many
addresses is an uplink the host is merely seen through.
"""

from __future__ import annotations

import importlib
import ipaddress
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from wardkeeper.core.errors import DomainError
from wardkeeper.inventory.models import Asset
from wardkeeper.inventory.models.assets import normalise_mac
from wardkeeper.monitoring.engine.probes.snmp_client import Session, SnmpFailure
from wardkeeper.network.models import Interface, Neighbour
from wardkeeper.network.services.traffic import devices_in, targets
from wardkeeper.network.snmp import device as snmp
from wardkeeper.network.snmp.tables import ArpRow, FdbRow, read_arp, read_fdb

WAIT = 2.0  # seconds per request, retries included
DEADLINE = 15.0  # seconds for the whole pass
CONCURRENCY = 16


@dataclass
class Sighting:
    """The host's MAC learnt on one port of one switch."""

    device: Asset
    interface: Interface | None
    if_index: int | None
    bridge_port: int
    vlan: int | None
    macs_on_port: int
    uplink: bool
    trace: Any = None  # the cable trace from the port, where cabled

    @property
    def far_end(self) -> str:
        """Where the port's cabling ends (an outlet's label), or ""."""
        end = getattr(self.trace, "end", None)
        if isinstance(end, tuple):
            return f"{end[0]} ({end[1]})"
        return "" if end is None or end == self.interface else str(end)

    @property
    def room(self) -> Any:
        """The room of the outlet the cabling ends at, if it does."""
        return getattr(getattr(self.trace, "end", None), "location", None)


@dataclass
class Answer:
    query: str
    ip: str = ""
    mac: str = ""
    arp_device: Asset | None = None
    sightings: list[Sighting] = field(default_factory=list)
    failed: dict[Asset, str] = field(default_factory=dict)
    asked: int = 0

    @property
    def best(self) -> Sighting | None:
        return self.sightings[0] if self.sightings else None


def parse(query: str) -> tuple[str, str]:
    """(ip, mac) from what was typed; raises DomainError when it is neither."""
    text = query.strip()
    try:
        return str(ipaddress.ip_address(text)), ""
    except ValueError:
        pass
    try:
        return "", normalise_mac(text)
    except DomainError:
        raise DomainError(
            _("Give an IP address or a MAC address."), field="q"
        ) from None


async def _tables(session: Session) -> tuple[list[ArpRow], list[FdbRow]]:
    # A router has no bridge table and an access switch may have no ARP: an
    # absent table walks empty, so both are always asked.
    return await read_arp(session), await read_fdb(session)


def locate(query: str, site: Any = None) -> Answer:
    """Ask the site's devices where ``query`` (an IP or MAC) is. Raises
    DomainError for a query that is neither."""
    ip, mac = parse(query)
    devices = {d.pk: d for d in devices_in(site)}
    found = targets(devices.values())
    answers = snmp.run(
        snmp.read_many(
            found, _tables, wait=WAIT, concurrency=CONCURRENCY, deadline=DEADLINE
        )
    )
    answer = Answer(query=query.strip(), ip=ip, mac=mac, asked=len(found))
    tables: dict[int, tuple[list[ArpRow], list[FdbRow]]] = {}
    for key, result in answers.items():
        if isinstance(result, SnmpFailure):
            answer.failed[devices[key]] = result.reason
        else:
            tables[key] = result
    _resolve(answer, tables, devices)
    if answer.mac:
        answer.sightings = _sightings(answer.mac, tables, devices)
    return answer


def _resolve(
    answer: Answer,
    tables: dict[int, tuple[list[ArpRow], list[FdbRow]]],
    devices: dict[int, Asset],
) -> None:
    """Fill in the missing half of (IP, MAC) from the ARP tables, else from
    the inventory's own record of the host."""
    for key, (arp, _fdb) in tables.items():
        for row in arp:
            if (answer.ip and row.ip == answer.ip) or (
                answer.mac and row.mac == answer.mac and not answer.ip
            ):
                answer.ip, answer.mac = row.ip, row.mac
                answer.arp_device = devices[key]
                return
    if answer.ip and not answer.mac:
        known = Asset.objects.filter(ip_address=answer.ip).exclude(mac_address="")
        answer.mac = known.values_list("mac_address", flat=True).first() or ""


def _sightings(
    mac: str,
    tables: dict[int, tuple[list[ArpRow], list[FdbRow]]],
    devices: dict[int, Asset],
) -> list[Sighting]:
    seen: list[tuple[int, FdbRow, int]] = []
    for key, (_arp, fdb) in tables.items():
        per_port = Counter(row.bridge_port for row in fdb)
        seen += [(key, row, per_port[row.bridge_port]) for row in fdb if row.mac == mac]
    interfaces = _interfaces([(key, row.if_index) for key, row, _n in seen])
    uplinks = _uplink_ids(list(interfaces.values()), set(devices))
    sightings = []
    for key, row, count in seen:
        interface = interfaces.get((key, row.if_index))
        sightings.append(
            Sighting(
                device=devices[key],
                interface=interface,
                if_index=row.if_index,
                bridge_port=row.bridge_port,
                vlan=row.vlan,
                macs_on_port=count,
                uplink=interface is not None and interface.pk in uplinks,
            )
        )
    sightings.sort(key=lambda s: (s.uplink, s.macs_on_port, s.device.pk))
    if sightings and sightings[0].interface is not None:
        sightings[0].trace = trace_from(sightings[0].interface)
    return sightings


def _interfaces(
    keys: Sequence[tuple[int, int | None]],
) -> dict[tuple[int, int | None], Interface]:
    wanted = [(d, i) for d, i in keys if i is not None]
    if not wanted:
        return {}
    rows = Interface.objects.filter(
        device_id__in={d for d, _i in wanted}, if_index__in={i for _d, i in wanted}
    ).select_related("device")
    return {(i.device_id, i.if_index): i for i in rows}


def _uplink_ids(interfaces: list[Interface], managed: set[int]) -> set[int]:
    """Interfaces whose LLDP neighbour is another managed switch or router."""
    return set(
        Neighbour.objects.filter(
            interface__in=interfaces, remote_device_id__in=managed
        ).values_list("interface_id", flat=True)
    )


def trace_from(interface: Interface) -> Any:
    """The cable trace from the port (``services.trace``, where installed and
    the port is cabled), else None."""
    try:
        tracing = importlib.import_module("wardkeeper.network.services.trace")
    except ImportError:
        return None
    follow = getattr(tracing, "trace", None)
    if follow is None or not interface.cable_ends.exists():
        return None
    try:
        return follow(interface)
    except DomainError:
        return None
