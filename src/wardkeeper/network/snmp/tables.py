"""What the network area reads from a device, as frozen dataclasses: the
interface table (IF-MIB ifTable + ifXTable, EtherLike-MIB duplex), interface
counters, LLDP neighbours (LLDP-MIB), ARP (IP-MIB) and forwarding tables
(BRIDGE-MIB, Q-BRIDGE-MIB). Each reader raises SnmpFailure."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from typing import Any

from wardkeeper.monitoring.engine.probes import snmp_client
from wardkeeper.monitoring.engine.probes.snmp_client import Oid, Session
from wardkeeper.network.snmp.walk import walk


def oid(text: str) -> Oid:
    return tuple(int(part) for part in text.strip(".").split("."))


SYS_UPTIME = oid("1.3.6.1.2.1.1.3.0")
IF_ENTRY = "1.3.6.1.2.1.2.2.1."
IF_X_ENTRY = "1.3.6.1.2.1.31.1.1.1."
IF_DESCR, IF_TYPE, IF_SPEED = (oid(IF_ENTRY + n) for n in ("2", "3", "5"))
IF_MAC, IF_ADMIN, IF_OPER = (oid(IF_ENTRY + n) for n in ("6", "7", "8"))
IF_NAME, IF_HIGH_SPEED, IF_ALIAS = (oid(IF_X_ENTRY + n) for n in ("1", "15", "18"))
DOT3_DUPLEX = oid("1.3.6.1.2.1.10.7.2.1.19")
# (64-bit column, 32-bit column) per direction; errors and discards are 32-bit.
IN_OCTETS = (oid(IF_X_ENTRY + "6"), oid(IF_ENTRY + "10"))
OUT_OCTETS = (oid(IF_X_ENTRY + "10"), oid(IF_ENTRY + "16"))
ERRORS = {
    "in_discards": oid(IF_ENTRY + "13"),
    "in_errors": oid(IF_ENTRY + "14"),
    "out_discards": oid(IF_ENTRY + "19"),
    "out_errors": oid(IF_ENTRY + "20"),
}
LLDP_REM = "1.0.8802.1.1.2.1.4.1.1."
LLDP_CHASSIS_SUBTYPE, LLDP_CHASSIS = oid(LLDP_REM + "4"), oid(LLDP_REM + "5")
LLDP_PORT_SUBTYPE, LLDP_PORT = oid(LLDP_REM + "6"), oid(LLDP_REM + "7")
LLDP_PORT_DESCR, LLDP_SYS_NAME = oid(LLDP_REM + "8"), oid(LLDP_REM + "9")
LLDP_LOC_PORT_ID = oid("1.0.8802.1.1.2.1.3.7.1.3")
LLDP_LOC_PORT_DESCR = oid("1.0.8802.1.1.2.1.3.7.1.4")
ARP_PHYSICAL = oid("1.3.6.1.2.1.4.35.1.4")  # ipNetToPhysicalPhysAddress
ARP_MEDIA = oid("1.3.6.1.2.1.4.22.1.2")  # ipNetToMediaPhysAddress
BASE_PORT_IFINDEX = oid("1.3.6.1.2.1.17.1.4.1.2")  # dot1dBasePortIfIndex
FDB_PORT = oid("1.3.6.1.2.1.17.4.3.1.2")  # dot1dTpFdbPort, index = MAC
FDB_STATUS = oid("1.3.6.1.2.1.17.4.3.1.3")
QFDB_PORT = oid("1.3.6.1.2.1.17.7.1.2.2.1.2")  # dot1qTpFdbPort, (fdbId, MAC)
QFDB_STATUS = oid("1.3.6.1.2.1.17.7.1.2.2.1.3")
FDB_SELF = 4  # dot1dTpFdbStatus self: the switch's own address


def mac_text(value: Any) -> str:
    """Six octets as ``aa:bb:cc:dd:ee:ff``; anything else as ``""``."""
    if isinstance(value, bytes) and len(value) == 6:
        return ":".join(f"{octet:02x}" for octet in value)
    if isinstance(value, tuple) and len(value) == 6:
        return ":".join(f"{octet:02x}" for octet in value)
    return ""


def text(value: Any) -> str:
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace").rstrip("\x00").strip()
    return "" if value is None else str(value)


@dataclass(frozen=True, slots=True)
class IfRow:
    if_index: int
    name: str
    descr: str
    alias: str
    if_type: int
    speed_mbps: int | None
    mac: str
    admin_up: bool
    oper_up: bool
    duplex: str  # "full", "half" or ""


async def read_interfaces(session: Session) -> list[IfRow]:
    """The device's interfaces (ifTable, ifXTable where the agent has it)."""
    base = await walk(session, [IF_DESCR, IF_TYPE, IF_SPEED, IF_MAC, IF_ADMIN, IF_OPER])
    extra = await walk(session, [IF_NAME, IF_HIGH_SPEED, IF_ALIAS])
    duplex = (await walk(session, [DOT3_DUPLEX]))[DOT3_DUPLEX]
    rows = []
    for index, descr in base[IF_DESCR].items():
        high = extra[IF_HIGH_SPEED].get(index)
        low = base[IF_SPEED].get(index)
        speed = high if high else (low // 1_000_000 if low else None)
        rows.append(
            IfRow(
                if_index=index[0],
                name=text(extra[IF_NAME].get(index)) or text(descr),
                descr=text(descr),
                alias=text(extra[IF_ALIAS].get(index)),
                if_type=int(base[IF_TYPE].get(index) or 1),
                speed_mbps=int(speed) if speed else None,
                mac=mac_text(base[IF_MAC].get(index)),
                admin_up=base[IF_ADMIN].get(index) == 1,
                oper_up=base[IF_OPER].get(index) == 1,
                duplex={2: "half", 3: "full"}.get(duplex.get(index) or 0, ""),
            )
        )
    return sorted(rows, key=lambda row: row.if_index)


@dataclass(frozen=True, slots=True)
class Counters:
    """One interface's raw counters at one reading."""

    if_index: int
    bits: int  # 64 (ifHC*) or 32 (ifIn/OutOctets)
    in_octets: int | None
    out_octets: int | None
    errors: dict[str, int | None]
    oper_up: bool | None


async def read_counters(session: Session) -> tuple[int, list[Counters]]:
    """(sysUpTime in ticks, each interface's counters)."""
    uptime = (await snmp_client.get(session, [SYS_UPTIME]))[SYS_UPTIME]
    wide = await walk(session, [IN_OCTETS[0], OUT_OCTETS[0]])
    narrow = await walk(
        session, [IN_OCTETS[1], OUT_OCTETS[1], IF_OPER, *ERRORS.values()]
    )
    readings = []
    for index in narrow[IF_OPER]:
        has_hc = index in wide[IN_OCTETS[0]] and index in wide[OUT_OCTETS[0]]
        source, position = (wide, 0) if has_hc else (narrow, 1)
        readings.append(
            Counters(
                if_index=index[0],
                bits=64 if has_hc else 32,
                in_octets=source[IN_OCTETS[position]].get(index),
                out_octets=source[OUT_OCTETS[position]].get(index),
                errors={k: narrow[c].get(index) for k, c in ERRORS.items()},
                oper_up=narrow[IF_OPER].get(index) == 1,
            )
        )
    return int(uptime or 0), readings


@dataclass(frozen=True, slots=True)
class LldpRow:
    local_port: int  # lldpRemLocalPortNum
    local_port_id: str  # lldpLocPortId for that port (often the ifName)
    local_port_descr: str
    chassis_id: str  # a MAC as aa:bb:…, else the text
    system_name: str
    port_id: str
    port_description: str


def _lldp_id(is_mac: bool, value: Any) -> str:
    # The subtype saying "MAC address" is 4 for chassis IDs, 3 for port IDs.
    return (mac_text(value) or text(value)) if is_mac else text(value)


async def read_lldp(session: Session) -> list[LldpRow]:
    """The neighbours LLDP has learnt on each local port."""
    rem = await walk(
        session,
        [
            LLDP_CHASSIS_SUBTYPE,
            LLDP_CHASSIS,
            LLDP_PORT_SUBTYPE,
            LLDP_PORT,
            LLDP_PORT_DESCR,
            LLDP_SYS_NAME,
        ],
    )
    loc = await walk(session, [LLDP_LOC_PORT_ID, LLDP_LOC_PORT_DESCR])
    rows = []
    for index, chassis in rem[LLDP_CHASSIS].items():
        port = index[1]  # (timeMark, localPortNum, remIndex)
        rows.append(
            LldpRow(
                local_port=port,
                local_port_id=text(loc[LLDP_LOC_PORT_ID].get((port,))),
                local_port_descr=text(loc[LLDP_LOC_PORT_DESCR].get((port,))),
                chassis_id=_lldp_id(rem[LLDP_CHASSIS_SUBTYPE].get(index) == 4, chassis),
                system_name=text(rem[LLDP_SYS_NAME].get(index)),
                port_id=_lldp_id(
                    rem[LLDP_PORT_SUBTYPE].get(index) == 3, rem[LLDP_PORT].get(index)
                ),
                port_description=text(rem[LLDP_PORT_DESCR].get(index)),
            )
        )
    return rows


@dataclass(frozen=True, slots=True)
class ArpRow:
    if_index: int
    ip: str
    mac: str


def _ip_from(octets: tuple[int, ...]) -> str:
    if len(octets) == 4:
        return ".".join(str(o) for o in octets)
    if len(octets) == 16:
        return str(ipaddress.IPv6Address(bytes(octets)))
    return ""


async def read_arp(session: Session) -> list[ArpRow]:
    """The device's IP-to-MAC table: ipNetToPhysicalTable, else the older
    ipNetToMediaTable."""
    rows = []
    physical = (await walk(session, [ARP_PHYSICAL]))[ARP_PHYSICAL]
    for index, value in physical.items():
        # (ifIndex, addressType, length, address octets…)
        if len(index) >= 3 and len(index) == 3 + index[2]:
            rows.append(ArpRow(index[0], _ip_from(index[3:]), mac_text(value)))
    if not rows:
        media = (await walk(session, [ARP_MEDIA]))[ARP_MEDIA]
        for index, value in media.items():
            rows.append(ArpRow(index[0], _ip_from(index[1:5]), mac_text(value)))
    return [row for row in rows if row.ip and row.mac]


@dataclass(frozen=True, slots=True)
class FdbRow:
    mac: str
    vlan: int | None  # the Q-BRIDGE filtering database (the VLAN ID on most)
    if_index: int | None
    bridge_port: int


async def read_fdb(session: Session) -> list[FdbRow]:
    """Learnt MAC addresses and the port each was seen on: Q-BRIDGE-MIB's
    per-VLAN table, else BRIDGE-MIB's; the switch's own addresses left out."""
    ports = (await walk(session, [BASE_PORT_IFINDEX]))[BASE_PORT_IFINDEX]
    if_of = {index[0]: value for index, value in ports.items()}
    rows = []
    q = await walk(session, [QFDB_PORT, QFDB_STATUS])
    for index, port in q[QFDB_PORT].items():
        if q[QFDB_STATUS].get(index) != FDB_SELF and port and len(index) == 7:
            rows.append(FdbRow(mac_text(index[1:]), index[0], if_of.get(port), port))
    if not rows:
        plain = await walk(session, [FDB_PORT, FDB_STATUS])
        for index, port in plain[FDB_PORT].items():
            if plain[FDB_STATUS].get(index) != FDB_SELF and port and len(index) == 6:
                rows.append(FdbRow(mac_text(index), None, if_of.get(port), port))
    return rows
