"""Follow the cables from a point to the far end: an outlet through patch
panels to the switch port, or back.

A point is an Interface, an Outlet, or a (PanelPort, face) pair. Entering a
panel's port N at one face continues from port N's other face (the panel's
1:1 front-to-rear mapping). Each hop costs one query: both ends of the cable
on the current point, with what they are on.

A cable whose status is "removed" is kept for the record but carries nothing:
the trace stops before it (``blocked_by``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Q, Subquery
from django.urls import reverse
from django.utils.translation import gettext as _

from wardkeeper.network.choices import CableStatus, Face
from wardkeeper.network.models import Cable, CableEnd, Interface, Outlet, PanelPort

Point = Interface | Outlet | tuple[PanelPort, str]

# A path longer than this is not a building's wiring: stop rather than spin.
MAX_HOPS = 64


@dataclass
class TracePath:
    """The cables from ``start`` to ``end``, in order, as (cable, from, to)."""

    start: Point
    hops: list[tuple[Cable, Point, Point]] = field(default_factory=list)
    end: Point | None = None
    complete: bool = False
    looped: bool = False
    blocked_by: Cable | None = None

    @property
    def total_length_m(self) -> Decimal:
        """The sum of the cables' recorded lengths (unknown lengths count 0)."""
        return sum(
            (cable.length_m for cable, _a, _b in self.hops if cable.length_m),
            Decimal(0),
        )

    @property
    def unknown_lengths(self) -> int:
        return sum(1 for cable, _a, _b in self.hops if cable.length_m is None)


def point_key(point: Point) -> tuple[str, int, str]:
    """A hashable name for a point, to notice a loop."""
    if isinstance(point, Interface):
        return ("interface", point.pk, "")
    if isinstance(point, Outlet):
        return ("outlet", point.pk, "")
    port, face = point
    return ("port", port.pk, face)


def _ends_on(point: Point) -> Q:
    """The cable ends of the cable on ``point`` (both of them).

    The cable is named by a scalar subquery (a point carries at most one
    cable), which PostgreSQL runs first and then reads the two ends by
    index. As ``cable IN (subquery)`` beside trace()'s seven joins it
    became a semi-join past join_collapse_limit (8), joined every cable end
    first: ~0.4 s a hop with 100,000 cables (bench/network.py)."""
    if isinstance(point, Interface):
        on = Q(interface=point)
    elif isinstance(point, Outlet):
        on = Q(outlet=point)
    else:
        port, face = point
        on = Q(port=port, face=face)
    return Q(cable_id=Subquery(CableEnd.objects.filter(on).values("cable_id")[:1]))


def point_of(end: CableEnd) -> Point:
    if end.interface_id:
        return end.interface  # type: ignore[return-value]
    if end.outlet_id:
        return end.outlet  # type: ignore[return-value]
    return (end.port, end.face)  # type: ignore[return-value]


def _other_face(face: str) -> str:
    return Face.REAR if face == Face.FRONT else Face.FRONT


def trace(point: Point) -> TracePath:
    """The path from ``point`` along its cables to the far end; never raises
    for a broken or looped path (the TracePath says so)."""
    path = TracePath(start=point, end=point)
    seen = {point_key(point)}
    current = point
    for _hop in range(MAX_HOPS):
        ends = list(
            CableEnd.objects.filter(_ends_on(current)).select_related(
                "cable",
                "interface__device",
                "outlet__location",
                "port__panel",
            )
        )
        here = point_key(current)
        near = [e for e in ends if point_key(point_of(e)) == here]
        far = [e for e in ends if point_key(point_of(e)) != here]
        if not near:
            break  # nothing plugged in here: the path ends
        cable = near[0].cable
        if cable.status == CableStatus.REMOVED:
            path.blocked_by = cable
            break
        if not far:
            break  # a cable documented with one end only
        reached = point_of(far[0])
        path.hops.append((cable, current, reached))
        path.end = reached
        if not isinstance(reached, tuple):
            path.complete = True
            break
        port, face = reached
        current = (port, _other_face(face))
        if point_key(current) in seen or point_key(reached) in seen:
            path.looped = True
            break
        seen.update({point_key(reached), point_key(current)})
    else:
        path.looped = True
    return path


def point_label(point: Point | None) -> str:
    """A point as a person reads it: "SW-01 Gi1/0/4", "PP-A:4 (rear)"."""
    if point is None:
        return ""
    if isinstance(point, tuple):
        port, face = point
        return _("%(port)s (%(face)s)") % {"port": port, "face": Face(face).label}
    return str(point)


def point_kind(point: Point | None) -> str:
    if isinstance(point, Interface):
        return "interface"
    if isinstance(point, Outlet):
        return "outlet"
    return "port" if point is not None else ""


def point_url(point: Point | None) -> str:
    """The page of the point's thing (the panel page for a port)."""
    if isinstance(point, Interface):
        return reverse("network:interface-detail", args=[point.pk])
    if isinstance(point, Outlet):
        return reverse("network:outlet-detail", args=[point.pk])
    if point is not None:
        return reverse("network:patchpanel-detail", args=[point[0].panel_id])
    return ""


def describe(point: Point | None) -> dict[str, Any]:
    """A point as JSON: kind, id, face (ports only), label."""
    if point is None:
        return {}
    data: dict[str, Any] = {"kind": point_kind(point), "label": point_label(point)}
    if isinstance(point, tuple):
        data.update(id=point[0].pk, panel=point[0].panel_id, face=point[1])
    else:
        data["id"] = point.pk
    return data


# A cable end as the bulk walk reads it: (interface, port, face).
EndRow = tuple[int | None, int | None, str]


def interface_pairs(
    rows: Iterable[tuple[int, int | None, int | None, str]],
) -> Iterator[tuple[int, int, list[int]]]:
    """The walk of ``trace`` in bulk, in memory: from the cable ends given as
    (cable, interface, port, face) rows, each pair of interfaces joined by a
    cable or a chain of cables through panels, as (interface, interface,
    cables in order), each pair once. A chain that ends on an outlet, an
    empty port or a port whose cable was not given, or that loops, joins
    nothing."""
    ends: dict[int, list[EndRow]] = defaultdict(list)
    at_port: dict[tuple[int, str], int] = {}
    for cable, interface, port, face in rows:
        ends[cable].append((interface, port, face))
        if port is not None:
            at_port[(port, face)] = cable
    for cable, points in ends.items():
        for start, _port, _face in points:
            if start is None:
                continue
            found = _walk(cable, (start, None, ""), ends, at_port)
            if found is not None and start < found[0]:
                yield start, found[0], found[1]


def _walk(
    cable: int,
    start: EndRow,
    ends: dict[int, list[EndRow]],
    at_port: dict[tuple[int, str], int],
) -> tuple[int, list[int]] | None:
    """The interface at the far end of the chain that starts at ``start`` on
    ``cable`` and the cables on the way, or None when it ends on an outlet,
    an empty port or loops."""
    cables = [cable]
    here = start
    for _hop in range(MAX_HOPS):
        others = [point for point in ends[cable] if point != here]
        if not others:
            return None
        interface, port, face = others[0]
        if interface is not None:
            return interface, cables
        if port is None:
            return None  # an outlet
        other_face = _other_face(face)
        cable_next = at_port.get((port, other_face))
        if cable_next is None or cable_next in cables:
            return None
        cables.append(cable_next)
        cable, here = cable_next, (None, port, other_face)
    return None
