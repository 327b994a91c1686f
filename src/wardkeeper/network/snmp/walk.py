"""Table walks that keep octet strings as bytes.

The monitoring client's ``walk`` turns every OCTET STRING into text, which
loses MAC addresses (ifPhysAddress, LLDP chassis IDs, ARP entries); this is
that walk with OCTET STRING kept as ``bytes``, and more rounds (a busy
switch's forwarding table).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pysnmp.proto import rfc1902

from wardkeeper.monitoring.engine.probes import snmp_client
from wardkeeper.monitoring.engine.probes.snmp_client import Oid, Session

_MAX_ROUNDS = 400  # 400 x 25 rows: a busy switch's forwarding table fits


def raw(value: Any) -> Any:
    """Like ``snmp_client.plain`` but an OCTET STRING stays bytes."""
    if isinstance(value, rfc1902.OctetString) and not isinstance(
        value, rfc1902.IpAddress
    ):
        return bytes(value)
    return snmp_client.plain(value)


async def walk(
    session: Session, columns: Sequence[Oid], repetitions: int = 25
) -> dict[Oid, dict[Oid, Any]]:
    """Walk columns side by side: {column: {row index: value}}, octet strings
    as bytes. Raises SnmpFailure."""
    return await snmp_client.walk(
        session, columns, repetitions, convert=raw, rounds=_MAX_ROUNDS
    )
