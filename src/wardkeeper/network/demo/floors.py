"""Each floor's wiring: faceplates in the rooms (two jacks, A and B), the
closet's IDF (a wall cabinet or a rack) with its patch panels, access
switches and UPS, the horizontal cables from the jacks and the access points
to the panels' rear, the patch cords from the panels' front to the switches,
and the switches' stack and their two fibre uplinks to the campus core."""

from __future__ import annotations

import itertools
import math
import random
from collections.abc import Callable
from dataclasses import dataclass

from wardkeeper.network.choices import CableKind, Face, Medium
from wardkeeper.network.demo.certification import test_copper
from wardkeeper.network.demo.parts import (
    FIBRE,
    Out,
    Point,
    Racks,
    Wired,
    access,
    rack_kind,
    trunk,
    wire,
)
from wardkeeper.network.demo.ports import height_of
from wardkeeper.network.demo.site import Floor, Room
from wardkeeper.network.models import VLAN, Outlet, PanelPort

# Faceplates per kind of room (two jacks each); closets and halls have none.
FACEPLATES = {
    "ward": 3,
    "icu": 6,
    "or": 6,
    "resus": 3,
    "ed": 3,
    "triage": 3,
    "station": 8,
    "doctors": 10,
    "consult": 2,
    "registration": 12,
    "pharmacy": 6,
    "ct": 3,
    "mr": 2,
    "us": 2,
    "reading": 8,
    "lab": 6,
    "ecg": 2,
    "office": 5,
    "meeting": 2,
    "servicedesk": 6,
    "security": 3,
}
# Where the B jack serves medical devices (A: the clinical network).
CARE_ROOMS = frozenset({"ward", "icu", "or", "resus", "ed", "ct", "mr", "us", "ecg"})
CLINICAL, VOICE, MEDICAL, GUEST, CCTV, MANAGEMENT = 10, 11, 20, 30, 40, 99
# Patch-cord colours by VLAN, as the closets' legend on the door says.
COLOURS = {CLINICAL: "blue", VOICE: "green", MEDICAL: "red", CCTV: "orange"}
PANEL_PORTS = 48


@dataclass
class Uplinks:
    """Where a floor's stack uplinks: a free core port per leg (A, B), with
    the fibre path through the MDF's panel for the floor's building."""

    connect: Callable[[Floor, str, PanelPort], None]


def jack_vlan(room: Room, jack: str) -> int:
    if jack == "A":
        return CLINICAL
    if room.kind in CARE_ROOMS:
        return MEDICAL
    return CCTV if room.kind == "security" else VOICE


def outlets(
    out: Out, floor: Floor, numbers: dict[str, int]
) -> list[tuple[Outlet, int]]:
    """The floor's jacks, labelled ``IPD-5F-CARD-012-A`` (building, floor,
    department, faceplate, jack), each with the VLAN it is patched to."""
    made = []
    for room in floor.rooms:
        for plate in range(1, FACEPLATES.get(room.kind, 0) + 1):
            key = f"{floor.tag}-{room.spec.department}"
            numbers[key] = numbers.get(key, 0) + 1
            where = f"Bed {plate} headwall" if room.kind == "ward" else ""
            for jack in "AB":
                outlet = Outlet(
                    label=f"{key}-{numbers[key]:03d}-{jack}",
                    location=room.location,
                    description=where,
                )
                out.outlets.append(outlet)
                made.append((outlet, jack_vlan(room, jack)))
    return made


def build_floor(
    out: Out,
    floor: Floor,
    vlans: dict[int, VLAN],
    uplinks: Uplinks,
    rng: random.Random,
    numbers: dict[str, int],
) -> None:
    """The floor's outlets, its IDF and every cable in it."""
    if floor.closet is None:
        return
    jacks = outlets(out, floor, numbers)
    aps = [w for w in (wire(out, ap) for ap in floor.aps) if w is not None]
    drops = len(jacks) + len(aps)
    # The stack: enough switches for the floor's drops and one spare; any
    # more in the closet are mounted, documented later (no interfaces yet).
    stack = floor.switches[: math.ceil(drops / PANEL_PORTS) + 1]
    switches = [w for w in (wire(out, sw) for sw in stack) if w is not None]
    sizes = [24] if drops <= 24 else [PANEL_PORTS] * math.ceil(drops / PANEL_PORTS)
    mounted = [*floor.switches, *floor.ups]
    heights = [height_of(a.model.name if a.model else "") for a in mounted]
    units = 1 + sum([2 if n > 24 else 1 for n in sizes]) + sum(heights)
    kind, height = rack_kind(units)
    racks = Racks(out, floor.closet, f"IDF-{floor.name}", kind, height)
    fibre = racks.panel("FP-01", 12, Medium.FIBRE, "Backbone fibre to the MDF")
    ports: list[PanelPort] = []
    for n, size in enumerate(sizes, start=1):
        ports += racks.panel(f"PP-{n:02d}", size, Medium.COPPER, "Horizontal cabling")
    for asset in floor.switches:
        racks.mount(asset, full_depth=False)
    for ups in floor.ups:
        racks.mount(ups)
    points: list[tuple[Point, int | None]] = [(o, v) for o, v in jacks]
    points += [(ap.edge[0], None) for ap in aps]
    _horizontal(out, floor, points, ports, switches, vlans, rng)
    _stack(out, floor, switches, vlans, fibre, uplinks)


def _horizontal(
    out: Out,
    floor: Floor,
    points: list[tuple[Point, int | None]],
    ports: list[PanelPort],
    switches: list[Wired],
    vlans: dict[int, VLAN],
    rng: random.Random,
) -> None:
    """Jack (or access point) → panel rear; panel front → the next free
    switch port, in the jack's VLAN (an access point's port is a trunk)."""
    free = iter([port for switch in switches for port in switch.edge])
    for n, ((point, vid), port) in enumerate(zip(points, ports, strict=False), 1):
        label = point.label if isinstance(point, Outlet) else f"{floor.tag}-AP{n:03d}"
        cable = out.cable(
            point,
            (port, Face.REAR),
            CableKind.CAT6,
            rng.uniform(8, 85),
            label,
            "white" if vid is None else "blue",
        )
        test_copper(out, cable, rng)
        switch_port = next(free, None)
        if switch_port is None:
            continue  # the floor's switches are full: the panel port waits
        out.cable(
            (port, Face.FRONT),
            switch_port,
            CableKind.CAT6,
            rng.choice((1.0, 1.5, 2.0, 3.0)),
            f"{floor.tag}-PC{n:03d}",
            COLOURS.get(vid or 0, "yellow"),
        )
        if vid is None:
            wifi = [vlans[v] for v in (CLINICAL, MEDICAL, GUEST) if v in vlans]
            trunk(out, switch_port, wifi, vlans.get(MANAGEMENT))
        else:
            access(switch_port, vlans.get(vid))
    for unused in free:
        unused.enabled = False  # unused ports are shut, as the policy wants


def _stack(
    out: Out,
    floor: Floor,
    switches: list[Wired],
    vlans: dict[int, VLAN],
    fibre: list[PanelPort],
    uplinks: Uplinks,
) -> None:
    """Switch n's third uplink to switch n+1's fourth (a ring of direct-
    attach cables); the first switch's first uplink and the last one's
    second go to core A and B through the IDF's and the MDF's fibre panels."""
    every = list(vlans.values())
    for upper, lower in itertools.pairwise(switches):
        a, b = upper.uplink(2), lower.uplink(3)
        if a is not None and b is not None:
            out.cable(a, b, CableKind.DAC, 0.5, "", "black")
            trunk(out, a, every)
            trunk(out, b, every)
    if not switches:
        return
    legs = [
        ("A", switches[0].uplink(0), fibre[0]),
        ("B", switches[-1].uplink(1), fibre[1]),
    ]
    for leg, interface, panel_port in legs:
        if interface is None:
            continue
        trunk(out, interface, every)
        out.cable(
            interface,
            (panel_port, Face.FRONT),
            FIBRE,
            2.0,
            f"{floor.tag}-UL-{leg}",
            "aqua",
        )
        uplinks.connect(floor, leg, panel_port)
