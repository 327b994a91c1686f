"""Zones and the flow policy between them: checking a rule's ports and
targets as a person types them, and the zone-by-zone matrix of the policy
page (rows: from, columns: to)."""

from __future__ import annotations

import ipaddress
import re
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from wardkeeper.network.choices import FlowAction, FlowProtocol
from wardkeeper.network.models import FlowRule, Zone

_PORT = re.compile(r"^(\d{1,5})(?:\s*-\s*(\d{1,5}))?$")
# A host name: labels of letters, digits and hyphens (RFC 1123), dotted.
_HOST = re.compile(
    r"^(?=.{1,253}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)"
    r"(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.?$"
)


def clean_ports(text: str, protocol: str) -> str:
    """``104, 11112, 8000-8010`` checked and written the one way; ICMP takes
    no ports. Raises ValidationError naming the entry at fault."""
    parts = [p.strip() for p in (text or "").replace(";", ",").split(",")]
    parts = [p for p in parts if p]
    if protocol == FlowProtocol.ICMP:
        if parts:
            raise ValidationError(_("ICMP has no ports: leave the ports empty."))
        return ""
    written = []
    for part in parts:
        match = _PORT.match(part)
        if not match:
            raise ValidationError(
                _("“%(value)s” is not a port or a range (write 104 or 8000-8010).")
                % {"value": part}
            )
        low = int(match.group(1))
        high = int(match.group(2)) if match.group(2) else low
        if not (1 <= low <= 65535 and 1 <= high <= 65535):
            raise ValidationError(
                _("“%(value)s”: ports run from 1 to 65535.") % {"value": part}
            )
        if low > high:
            raise ValidationError(
                _("“%(value)s”: a range starts with its lower port.") % {"value": part}
            )
        written.append(str(low) if low == high else f"{low}-{high}")
    return ", ".join(written)


def clean_targets(text: str) -> str:
    """Hosts one per line (addresses or names); commas and spaces separate
    too. Raises ValidationError naming the first host that is neither."""
    hosts: list[str] = []
    for word in (text or "").replace(",", " ").split():
        try:
            ipaddress.ip_address(word)
        except ValueError:
            if not _HOST.match(word) or word.replace(".", "").isdigit():
                raise ValidationError(
                    _("“%(value)s” is neither an IP address nor a host name.")
                    % {"value": word}
                ) from None
        if word not in hosts:
            hosts.append(word)
    return "\n".join(hosts)


@dataclass
class Cell:
    """The rules from one zone to another."""

    source: Zone
    destination: Zone
    rules: list[FlowRule] = field(default_factory=list)

    @property
    def tone(self) -> str:
        """The cell's colour: all pass, all refused, both, or none."""
        actions = {rule.action for rule in self.rules if rule.enabled}
        if actions == {FlowAction.PASS}:
            return "pass"
        if actions == {FlowAction.REFUSE}:
            return "refuse"
        return "mixed" if actions else "none"


@dataclass
class Row:
    source: Zone
    cells: list[Cell]

    @property
    def rule_count(self) -> int:
        return sum(len(cell.rules) for cell in self.cells)


def policy_matrix(zones: list[Zone], rules: list[FlowRule]) -> list[Row]:
    """One row per source zone with one cell per destination zone."""
    by_pair: dict[tuple[int, int], list[FlowRule]] = defaultdict(list)
    for rule in rules:
        by_pair[(rule.source_id, rule.destination_id)].append(rule)
    return [
        Row(
            source,
            [
                Cell(source, destination, by_pair.get((source.pk, destination.pk), []))
                for destination in zones
            ],
        )
        for source in zones
    ]
