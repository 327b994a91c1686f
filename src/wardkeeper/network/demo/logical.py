"""The demo's logical network: the zones, each campus's VLANs, the address
plan as prefixes (a /16 per building, cut by VLAN the way the inventory's
addresses were handed out: see inventory/demo/identity.py), an address
record for every device that has one, and the flow policy between zones."""

from __future__ import annotations

import ipaddress

from wardkeeper.inventory.choices import AssetStatus, Criticality
from wardkeeper.inventory.demo.writer import insert
from wardkeeper.inventory.models import Asset
from wardkeeper.network import addressing
from wardkeeper.network.choices import AddressStatus, ZoneKind
from wardkeeper.network.demo.site import Campus
from wardkeeper.network.models import VLAN, Interface, IPAddress, Prefix, Zone

# (name, kind, criticality, colour, description)
ZONES = (
    ("Clinical network", ZoneKind.CLINICAL, Criticality.HIGH, "#0d6efd",
     "Workstations, printers and IP phones of the wards, clinics and offices."),
    ("Medical devices", ZoneKind.MEDICAL, Criticality.CRITICAL, "#dc3545",
     "Patient monitors, infusion pump gateways, scanners, ultrasound and ECG."),
    ("Guest Wi-Fi", ZoneKind.GUEST, Criticality.NON_CLINICAL, "#ffc107",
     "Patients' and visitors' wireless network: the internet, nothing else."),
    ("Management", ZoneKind.MANAGEMENT, Criticality.HIGH, "#6f42c1",
     "Switches, routers, firewalls, access points and UPS management."),
    ("Servers and DMZ", ZoneKind.SERVERS, Criticality.CRITICAL, "#198754",
     "The data centres: HIS, EMR, LIS, PACS, the integration engine …"),
    ("Internet", ZoneKind.EXTERNAL, Criticality.NORMAL, "#6c757d",
     "Everything outside the hospital."),
    ("Building security", ZoneKind.OTHER, Criticality.NORMAL, "#20c997",
     "CCTV cameras and the security control room."),
)  # fmt: skip
# (VLAN ID, name, zone kind): the same IDs on both campuses.
VLANS = (
    (10, "Clinical", ZoneKind.CLINICAL),
    (11, "Voice", ZoneKind.CLINICAL),
    (20, "Medical devices", ZoneKind.MEDICAL),
    (30, "Guest Wi-Fi", ZoneKind.GUEST),
    (40, "CCTV", ZoneKind.OTHER),
    (99, "Management", ZoneKind.MANAGEMENT),
    (100, "Servers", ZoneKind.SERVERS),
)
# A building's 10.<octet>.0.0/16, by third-octet band (identity.py's plan):
# (prefix, VLAN ID, description); server blocks only where servers are.
BANDS = (
    ("10.{o}.0.0/18", 10, "Workstations and printers"),
    ("10.{o}.64.0/19", 11, "IP phones"),
    ("10.{o}.96.0/19", 40, "CCTV cameras"),
    ("10.{o}.128.0/18", 20, "Medical devices"),
    ("10.{o}.244.0/22", 99, "Wi-Fi access points"),
    ("10.{o}.248.0/21", 99, "Network and power equipment"),
)
SERVER_BANDS = ("10.{o}.200.0/21", "10.{o}.208.0/20", "10.{o}.224.0/21")
GUEST = {"MAIN": "10.30.0.0/16", "EAST": "10.31.0.0/16"}
PUBLIC = "203.0.113.0/28"  # a documentation range: the ISP's block, made up
DNS_ZONE = "hospital.example"


def zones() -> dict[str, Zone]:
    """The zones, by kind."""
    rows = [
        Zone(name=name, kind=kind, criticality=crit, colour=colour, description=text)
        for name, kind, crit, colour, text in ZONES
    ]
    return {zone.kind: zone for zone in insert(Zone, rows)}


def vlans(
    campuses: list[Campus], by_kind: dict[str, Zone]
) -> dict[str, dict[int, VLAN]]:
    """Each campus's VLANs, by campus code and VLAN ID."""
    rows = [
        VLAN(
            vid=vid,
            name=name,
            site=campus.location,
            zone=by_kind[kind],
            description=f"{campus.location.name}: {by_kind[kind].name}",
        )
        for campus in campuses
        for vid, name, kind in VLANS
    ]
    made: dict[str, dict[int, VLAN]] = {c.code: {} for c in campuses}
    for vlan in insert(VLAN, rows):
        assert vlan.site is not None
        made[vlan.site.code][vlan.vid] = vlan
    return made


def _prefix(text: str, **fields: object) -> Prefix:
    network = addressing.parse_network(text)
    first, last = addressing.span(network)
    return Prefix(
        prefix=str(network),
        family=network.version,
        length=network.prefixlen,
        first=first,
        last=last,
        **fields,
    )


def prefixes(
    campuses: list[Campus],
    by_vlan: dict[str, dict[int, VLAN]],
    by_kind: dict[str, Zone],
    used: set[ipaddress.IPv4Address],
) -> list[Prefix]:
    """The address plan: containers, then a prefix per VLAN and building."""
    rows = [_prefix("10.0.0.0/8", description="The hospital's private addresses")]
    external = by_kind[ZoneKind.EXTERNAL]
    for campus in campuses:
        vl = by_vlan[campus.code]
        for building, location in campus.buildings:
            o = building.octet
            rows.append(
                _prefix(f"10.{o}.0.0/16", site=location, description=building.name)
            )
            bands = [(text, vid, note) for text, vid, note in BANDS]
            bands += [
                (text, 100, "Servers and storage")
                for text in SERVER_BANDS
                if any(a in ipaddress.ip_network(text.format(o=o)) for a in used)
            ]
            for text, vid, note in bands:
                vlan = vl.get(vid)
                rows.append(
                    _prefix(
                        text.format(o=o),
                        site=location,
                        vlan=vlan,
                        zone=vlan.zone if vlan else None,
                        description=f"{building.name}: {note}",
                    )
                )
        guest = vl.get(30)
        if campus.code in GUEST and guest is not None:
            rows.append(
                _prefix(
                    GUEST[campus.code],
                    site=campus.location,
                    vlan=guest,
                    zone=guest.zone,
                    description=f"{campus.location.name}: guest Wi-Fi (DHCP)",
                )
            )
    rows.append(
        _prefix(PUBLIC, zone=external, description="Public addresses from the ISP")
    )
    return insert(Prefix, rows)


def addresses(
    campuses: list[Campus],
    by_vlan: dict[str, dict[int, VLAN]],
    by_kind: dict[str, Zone],
    addressed: dict[int, Interface],
) -> list[IPAddress]:
    """A record per device address, in its narrowest prefix, on the
    interface that holds it where the device has interfaces."""
    assets = list(
        Asset.objects.exclude(ip_address=None)
        .order_by("pk")
        .values_list("pk", "ip_address", "hostname", "name", "status")
    )
    used = {ipaddress.IPv4Address(row[1]) for row in assets if "." in (row[1] or "")}
    plan = prefixes(campuses, by_vlan, by_kind, used)
    networks = sorted(
        ((ipaddress.ip_network(p.prefix), p) for p in plan if p.vlan_id),
        key=lambda item: -item[0].prefixlen,
    )
    rows = []
    for pk, ip, hostname, name, status in assets:
        address = ipaddress.ip_address(ip or "")
        length = next((n.prefixlen for n, _p in networks if address in n), 32)
        interface = addressed.get(pk)
        rows.append(
            IPAddress(
                address=f"{address}/{length}",
                family=address.version,
                key=addressing.key(address),
                status=(
                    AddressStatus.ACTIVE
                    if status == AssetStatus.IN_USE
                    else AddressStatus.RESERVED
                ),
                interface=interface,
                dns_name=f"{hostname.lower()}.{DNS_ZONE}" if hostname else "",
                description=name[:200],
            )
        )
    return insert(IPAddress, rows)
