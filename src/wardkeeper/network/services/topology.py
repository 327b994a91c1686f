"""The device graph of a site (a campus, building or floor): which devices
are joined to which, learned from the documented cables and from what the
devices' LLDP neighbours say, merged into one edge per pair of devices.

It is built in bulk, whatever the number of cables: one query loads the
ends of every cable that touches a device or a patch panel of the site, and
the walks through the panels happen in memory (entering port N at one face
continues from port N's other face, as in services/trace). Panels outside
the site are not followed: a path that leaves the site through one ends
there. The far device of a cable or an LLDP report that sits outside the
site is still drawn, marked as outside.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Exists, F, OuterRef, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from wardkeeper.inventory.models import Asset, Location
from wardkeeper.inventory.models.locations import subtree_q
from wardkeeper.monitoring.choices import CheckStatus
from wardkeeper.monitoring.models import Check
from wardkeeper.network.choices import CableStatus
from wardkeeper.network.models import CableEnd, Interface, Neighbour
from wardkeeper.network.services.trace import interface_pairs

# Worst first; a device with no enabled check is "unmonitored".
STATUS_ORDER: list[str] = [
    CheckStatus.DOWN,
    CheckStatus.UNREACHABLE,
    CheckStatus.DEGRADED,
    CheckStatus.UNKNOWN,
    CheckStatus.UP,
]
UNMONITORED = "unmonitored"
# Types that sit at the top of the drawing (core), then the middle.
CORE_KINDS = frozenset({"router", "firewall"})
NETWORK_KINDS = frozenset({"router", "firewall", "switch", "wireless-ap"})
# Cables that are not (or no longer) in the walls carry no traffic.
IGNORED_CABLES = (CableStatus.PLANNED, CableStatus.REMOVED)
# SQLite allows a limited number of parameters per query.
CHUNK = 500

CABLE, LLDP, BOTH = "cable", "lldp", "both"

# Node fill per status; the page's legend and the drawing share these.
STATUS_COLOURS: dict[str, str] = {
    CheckStatus.DOWN: "#dc3545",
    CheckStatus.UNREACHABLE: "#6c757d",
    CheckStatus.DEGRADED: "#fd7e14",
    CheckStatus.UNKNOWN: "#adb5bd",
    CheckStatus.UP: "#198754",
    UNMONITORED: "#ffffff",
}
# Node shape per asset type (cytoscape shape names); others are ellipses.
KIND_SHAPES: list[tuple[str, str, Any]] = [
    ("router", "diamond", _lazy("Router")),
    ("firewall", "octagon", _lazy("Firewall")),
    ("switch", "round-rectangle", _lazy("Switch")),
    ("wireless-ap", "triangle", _lazy("Wireless access point")),
    ("server", "rectangle", _lazy("Server")),
    ("", "ellipse", _lazy("Other device")),
]


def legend() -> list[tuple[str, str, str]]:
    """(status, colour, label) for the page's legend, worst first."""
    labels = {value: str(label) for value, label in CheckStatus.choices}
    labels[UNMONITORED] = _("not monitored")
    return [
        (status, colour, labels[status]) for status, colour in STATUS_COLOURS.items()
    ]


@dataclass
class Node:
    id: int
    label: str
    tag: str
    kind: str  # the asset type's code
    kind_name: str
    status: str
    outside: bool = False
    level: int = 0  # hops from the core, for the layout


@dataclass
class Link:
    """One interface-to-interface connection between two devices."""

    a_device: int
    a_interface: int
    b_device: int
    b_interface: int | None
    cable: bool = False
    lldp: bool = False
    mismatch: str = ""

    @property
    def learned(self) -> str:
        if self.cable and self.lldp:
            return BOTH
        return CABLE if self.cable else LLDP


@dataclass
class Edge:
    source: int
    target: int
    links: list[Link] = field(default_factory=list)

    @property
    def learned(self) -> str:
        kinds = {link.learned for link in self.links}
        if BOTH in kinds or {CABLE, LLDP} <= kinds:
            return BOTH
        return kinds.pop()

    @property
    def mismatches(self) -> list[str]:
        return [link.mismatch for link in self.links if link.mismatch]


@dataclass
class Topology:
    site: Location
    nodes: dict[int, Node]
    edges: list[Edge]
    interface_names: dict[int, str]

    def as_json(self) -> dict[str, Any]:
        """The graph in cytoscape's element format, with the device's
        details for the side panel."""
        names = self.interface_names
        return {
            "site": {"id": self.site.pk, "name": str(self.site)},
            "nodes": [{"data": _node_data(node)} for node in self.nodes.values()],
            "edges": [
                {
                    "data": {
                        "id": f"e{edge.source}-{edge.target}",
                        "source": str(edge.source),
                        "target": str(edge.target),
                        "learned": edge.learned,
                        "mismatch": bool(edge.mismatches),
                        "mismatches": edge.mismatches,
                        "links": [_link_data(link, edge, names) for link in edge.links],
                    }
                }
                for edge in self.edges
            ],
        }


def _node_data(node: Node) -> dict[str, Any]:
    return {
        "id": str(node.id),
        "label": node.label,
        "tag": node.tag,
        "kind": node.kind,
        "kind_name": node.kind_name,
        "status": node.status,
        "outside": node.outside,
        "level": node.level,
    }


def _link_data(link: Link, edge: Edge, names: dict[int, str]) -> dict[str, Any]:
    # Name the source's interface first, whichever way the link was found.
    here: int | None = link.a_interface
    there = link.b_interface
    if link.a_device != edge.source:
        here, there = there, here
    return {
        "source_interface": names.get(here, "?") if here else "?",
        "target_interface": names.get(there, "?") if there else "?",
        "learned": link.learned,
        "mismatch": link.mismatch,
    }


def sites() -> Iterable[Location]:
    """The places a topology is drawn for: campuses and buildings."""
    return Location.objects.filter(kind__in=("campus", "building")).order_by(
        "full_name"
    )


def build(site: Location) -> Topology:
    """The device graph of ``site``; reads only."""
    devices = Asset.objects.filter(subtree_q(site.pk, "location")).filter(
        Exists(Interface.objects.filter(device=OuterRef("pk")))
    )
    device_of: dict[int, int] = {}
    names: dict[int, str] = {}
    for pk, device, name in Interface.objects.filter(
        device__in=devices.values("pk")
    ).values_list("pk", "device_id", "name"):
        device_of[pk], names[pk] = device, name
    links: dict[tuple[Any, ...], Link] = {}
    by_interface: dict[int, tuple[Any, ...]] = {}
    for a, b in _cabled_pairs(site, devices):
        key = ("if", a, b)
        links[key] = Link(0, a, 0, b, cable=True)
        by_interface[a] = by_interface[b] = key
    _merge_lldp(links, by_interface, device_of, devices)
    ends = {link.a_interface for link in links.values()} | {
        link.b_interface for link in links.values() if link.b_interface
    }
    _load_far(ends - names.keys(), device_of, names)
    for link in links.values():
        link.a_device = device_of.get(link.a_interface, link.a_device)
        if link.b_interface is not None:
            link.b_device = device_of.get(link.b_interface, link.b_device)
    edges = _edges(links.values())
    local = set(devices.values_list("pk", flat=True))
    wanted = local | {e.source for e in edges} | {e.target for e in edges}
    nodes = _nodes(wanted, local)
    _levels(nodes, edges)
    return Topology(site, nodes, edges, names)


def _cabled_pairs(site: Location, devices: Any) -> Iterator[tuple[int, int]]:
    """(interface, interface) joined by a cable or a chain of cables through
    panels of the site, each pair once."""
    touching = CableEnd.objects.filter(
        Q(interface__device__in=devices.values("pk"))
        | Q(port__panel__location__in=Location.objects.subtree(site).values("pk"))
    ).values("cable_id")
    rows = (
        CableEnd.objects.filter(cable_id__in=touching)
        .exclude(cable__status__in=IGNORED_CABLES)
        .values_list("cable_id", "interface_id", "port_id", "face")
    )
    for a, b, _cables in interface_pairs(rows):
        yield a, b


def _load_far(
    interface_ids: Iterable[int], device_of: dict[int, int], names: dict[int, str]
) -> None:
    """Device and name of interfaces outside the site (few: its uplinks)."""
    ids = sorted(interface_ids)
    for start in range(0, len(ids), CHUNK):
        for pk, device, name in Interface.objects.filter(
            pk__in=ids[start : start + CHUNK]
        ).values_list("pk", "device_id", "name"):
            device_of[pk], names[pk] = device, name


def _merge_lldp(
    links: dict[tuple[Any, ...], Link],
    by_interface: dict[int, tuple[Any, ...]],
    device_of: dict[int, int],
    devices: Any,
) -> None:
    """Add what LLDP reports: confirm a cable, add a link no cable documents,
    or flag a cable that goes elsewhere than LLDP says."""
    reports = (
        Neighbour.objects.filter(
            interface__device__in=devices.values("pk"), remote_device__isnull=False
        )
        # Reports that name the far port first: they key the link both ways.
        .order_by(F("remote_interface_id").asc(nulls_last=True), "pk")
        .values_list(
            "interface_id",
            "interface__device_id",
            "interface__name",
            "remote_device_id",
            "remote_device__name",
            "remote_interface_id",
            "port_id",
        )
    )
    for local, local_device, local_name, remote, remote_name, far, port in reports:
        device_of.setdefault(local, local_device)
        if far is not None:
            device_of.setdefault(far, remote)
        key = by_interface.get(local)
        link = links.get(key) if key else None
        if link is not None and not link.cable:
            link.lldp = True  # the other end reported it already
            continue
        cabled = link if link is not None else _cabled(links, by_interface, far)
        if link is not None and _agrees(link, local, remote, far, device_of):
            link.lldp = True
            continue
        seen = _lldp_link(links, by_interface, local, local_device, remote, far)
        if cabled is not None:
            cabled.mismatch = seen.mismatch = _(
                "LLDP on %(port)s sees %(device)s %(far)s; the cables say otherwise."
            ) % {"port": local_name, "device": remote_name, "far": port}


def _cabled(
    links: dict[tuple[Any, ...], Link],
    by_interface: dict[int, tuple[Any, ...]],
    interface: int | None,
) -> Link | None:
    key = by_interface.get(interface) if interface is not None else None
    link = links.get(key) if key else None
    return link if link is not None and link.cable else None


def _agrees(
    link: Link, local: int, remote: int, far: int | None, device_of: dict[int, int]
) -> bool:
    """Whether the cable from ``local`` ends where LLDP says it does."""
    other = link.b_interface if link.a_interface == local else link.a_interface
    if other is None or device_of.get(other) != remote:
        return False
    return far is None or far == other


def _lldp_link(
    links: dict[tuple[Any, ...], Link],
    by_interface: dict[int, tuple[Any, ...]],
    local: int,
    local_device: int,
    remote: int,
    far: int | None,
) -> Link:
    key: tuple[Any, ...] = (
        ("if", *sorted((local, far))) if far is not None else ("lldp", local)
    )
    if key not in links:
        links[key] = Link(local_device, local, remote, far)
    link = links[key]
    link.lldp = True
    by_interface.setdefault(local, key)
    if far is not None:
        by_interface.setdefault(far, key)
    return link


def _edges(links: Iterable[Link]) -> list[Edge]:
    edges: dict[tuple[int, int], Edge] = {}
    for link in links:
        if not link.a_device or not link.b_device or link.a_device == link.b_device:
            continue
        pair = (min(link.a_device, link.b_device), max(link.a_device, link.b_device))
        edges.setdefault(pair, Edge(*pair)).links.append(link)
    return list(edges.values())


def _nodes(wanted: set[int], local: set[int]) -> dict[int, Node]:
    statuses: dict[int, dict[str, int]] = defaultdict(dict)
    ids = sorted(wanted)
    nodes: dict[int, Node] = {}
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        counts = (
            Check.objects.filter(asset_id__in=chunk, enabled=True)
            .values_list("asset_id", "status")
            .annotate(n=Count("pk"))
            .order_by()
        )
        for asset, status, n in counts:
            statuses[asset][status] = n
        for pk, name, tag, kind, kind_name in Asset.objects.filter(
            pk__in=chunk
        ).values_list("pk", "name", "tag", "asset_type__code", "asset_type__name"):
            nodes[pk] = Node(
                pk,
                name,
                tag,
                kind,
                _(kind_name),
                _worst(statuses.get(pk, {})),
                outside=pk not in local,
            )
    return nodes


def _worst(counts: dict[str, int]) -> str:
    for status in STATUS_ORDER:
        if counts.get(status):
            return status
    return UNMONITORED


def _levels(nodes: dict[int, Node], edges: list[Edge]) -> None:
    """Hops from the core (routers and firewalls; else the best-connected
    network device), so the drawing reads core → distribution → access."""
    around: dict[int, list[int]] = defaultdict(list)
    for edge in edges:
        around[edge.source].append(edge.target)
        around[edge.target].append(edge.source)
    roots = [pk for pk, node in nodes.items() if node.kind in CORE_KINDS]
    if not roots:
        network = [pk for pk, node in nodes.items() if node.kind in NETWORK_KINDS]
        candidates = network or list(nodes)
        if candidates:
            roots = [max(candidates, key=lambda pk: (len(around[pk]), -pk))]
    level = dict.fromkeys(roots, 0)
    frontier = list(roots)
    while frontier:
        following = []
        for pk in frontier:
            for neighbour in around[pk]:
                if neighbour not in level:
                    level[neighbour] = level[pk] + 1
                    following.append(neighbour)
        frontier = following
    deepest = max(level.values(), default=0)
    for pk, node in nodes.items():
        node.level = level.get(pk, deepest + 1)
