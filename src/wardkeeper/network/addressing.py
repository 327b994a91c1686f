"""Addresses as sortable text, so that containment, overlap and "next free"
are plain indexed comparisons on SQLite and PostgreSQL alike.

An address's key is 32 hex digits: IPv6 as it is, IPv4 as its IPv4-mapped
IPv6 form (::ffff:a.b.c.d). A prefix is the closed range [first, last] of
its keys; prefix A contains B when A.first <= B.first and B.last <= A.last,
and they overlap when A.first <= B.last and B.first <= A.last.
"""

from __future__ import annotations

import ipaddress

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
_MAPPED = 0xFFFF << 32


def as_int(address: IPAddress) -> int:
    """The address as the 128-bit integer its key spells."""
    value = int(address)
    return value | _MAPPED if address.version == 4 else value


def key(address: IPAddress) -> str:
    return f"{as_int(address):032x}"


def from_key(text: str, version: int) -> IPAddress:
    value = int(text, 16)
    if version == 4:
        return ipaddress.IPv4Address(value & 0xFFFFFFFF)
    return ipaddress.IPv6Address(value)


def span(network: IPNetwork) -> tuple[str, str]:
    """The keys of a prefix's first and last address."""
    return key(network.network_address), key(network.broadcast_address)


def parse_interface(text: str) -> ipaddress.IPv4Interface | ipaddress.IPv6Interface:
    """'10.1.2.3/24' or '10.1.2.3' (a host: /32 or /128). Raises ValueError."""
    return ipaddress.ip_interface(text.strip())


def parse_network(text: str) -> IPNetwork:
    """'10.1.0.0/16'; host bits must be zero. Raises ValueError."""
    return ipaddress.ip_network(text.strip(), strict=True)
