"""The demo's flow policy: what must pass and what must be refused between
the zones, aimed at the demo's real servers (their addresses as the
inventory has them). No poller runs in the demo, so nothing probes these
yet; the policy page says so, zone by zone."""

from __future__ import annotations

from wardkeeper.inventory.demo.writer import insert
from wardkeeper.inventory.models import Asset
from wardkeeper.network.choices import FlowAction, FlowProtocol, ZoneKind
from wardkeeper.network.models import FlowRule, Zone

PASS, REFUSE = FlowAction.PASS, FlowAction.REFUSE
TCP, ICMP = FlowProtocol.TCP, FlowProtocol.ICMP
C, M, G = ZoneKind.CLINICAL, ZoneKind.MEDICAL, ZoneKind.GUEST
S, X, N = ZoneKind.SERVERS, ZoneKind.EXTERNAL, ZoneKind.MANAGEMENT
OUTSIDE = "www.example.com"
# (from, to, policy, service, protocol, ports, targets: hostnames or "@type"
#  for the first device of that type, or a name outside)
RULES = (
    (G, S, REFUSE, "HIS database", TCP, "1521", ("his-db-01",)),
    (G, S, REFUSE, "PACS DICOM", TCP, "104", ("pacs-app-01",)),
    (G, S, REFUSE, "HIS web", TCP, "443", ("his-app-01",)),
    (G, M, REFUSE, "Medical devices", ICMP, "", ("@ct", "@patient-monitor")),
    (
        G,
        C,
        REFUSE,
        "Remote desktop and file shares",
        TCP,
        "3389, 445",
        ("@workstation",),
    ),
    (G, N, REFUSE, "Device management", TCP, "22, 443", ("@switch",)),
    (G, X, PASS, "Web browsing", TCP, "443", (OUTSIDE,)),
    (C, S, PASS, "HIS web", TCP, "443", ("his-app-01",)),
    (C, S, PASS, "PACS viewer", TCP, "443", ("pacs-app-01",)),
    (C, S, REFUSE, "HIS database", TCP, "1521", ("his-db-01",)),
    (C, N, REFUSE, "Device management", TCP, "22", ("@switch",)),
    (M, S, PASS, "PACS DICOM", TCP, "104", ("pacs-app-01",)),
    (M, S, PASS, "HL7 results to the integration engine", TCP, "2575", ("esb-01",)),
    (M, X, REFUSE, "Internet", TCP, "443", (OUTSIDE,)),
    (S, X, PASS, "Vendor updates", TCP, "443", (OUTSIDE,)),
)


def _address(token: str) -> str:
    """A target's address from the inventory ("" when the demo lacks it)."""
    if "." in token:
        return token
    rows = Asset.objects.exclude(ip_address=None).order_by("hostname", "pk")
    if token.startswith("@"):
        rows = rows.filter(asset_type__code=token[1:], status="in_use")
    else:
        rows = rows.filter(hostname=token)
    return rows.values_list("ip_address", flat=True).first() or ""


def write_policy(zones: dict[str, Zone]) -> list[FlowRule]:
    """The flow rules, their targets resolved to the demo's addresses."""
    cache: dict[str, str] = {}
    rows = []
    for source, destination, action, service, protocol, ports, targets in RULES:
        hosts = [cache.setdefault(t, _address(t)) for t in targets]
        rows.append(
            FlowRule(
                source=zones[source],
                destination=zones[destination],
                action=action,
                service=service,
                protocol=protocol,
                ports=ports,
                targets="\n".join(h for h in hosts if h),
            )
        )
    return insert(FlowRule, rows)
