"""The site bench/network.py measures, planned: one campus wired like a
hospital's (bench/network_fixture.py writes it).

At full size (``scale`` 1.0): 2,000 switches (2 core in the data centre, 2
distribution per floor in the floor's wiring closet, the rest access
switches), 50 interfaces each (100,000), and 100,000 cables:

- core ↔ core (two direct cables); distribution → core through two fibre
  panels (closet panel, riser trunk, data-centre panel: three cables);
  access → distribution direct, or to the previous access switch when the
  distribution switch's ports are full (daisy chain);
- outlet → horizontal panel (rear), then either a patch cord from the
  panel's front to an access port (2 cables), or a cross-connect through a
  second, equipment panel (front ↔ front, its rear → the access port; 3
  cables, about a fifth of the paths); and about 4 % dark outlets (the
  horizontal cable only);
- LLDP reports on both ends of every switch-to-switch cable, a few naming a
  different port than the cables do, and a few links that only LLDP knows;
- a ping check on every switch, SNMP checks on the core and distribution
  switches, a few of them down or degraded.
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

PORTS = 50  # interfaces per switch: 48 access ports and 2 uplinks on access
ACCESS_PORTS = 46  # ports 47-48 of access switches are kept for LLDP-only links
ROOMS_PER_FLOOR = 60
FLOORS_PER_BUILDING = 5

Point = tuple[Any, ...]  # ("if", switch, n) | ("port", panel, n, face) | ("outlet", i)


@dataclass
class Series:
    """Panels of one kind in one room, filled port by port."""

    plan: Plan
    room: Any
    prefix: str
    medium: str
    ports: int
    current: int = -1
    used: int = 0

    def take(self) -> tuple[int, int]:
        if self.current < 0 or self.used == self.ports:
            self.plan.panels.append(
                (
                    self.room,
                    f"{self.prefix}{self.plan.panel_count[self.prefix]:02d}",
                    self.medium,
                    self.ports,
                )
            )
            self.plan.panel_count[self.prefix] += 1
            self.current, self.used = len(self.plan.panels) - 1, 0
        self.used += 1
        return self.current, self.used


@dataclass
class Plan:
    """Everything to write, with symbolic keys; pks come when written."""

    floors: int
    switches: list[tuple[str, int]] = field(default_factory=list)  # (role, floor)
    panels: list[tuple[Any, str, str, int]] = field(default_factory=list)
    panel_count: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    outlets: list[tuple[int, int]] = field(default_factory=list)  # (floor, room)
    cables: list[tuple[str, str, Point, Point]] = field(default_factory=list)
    links: list[tuple[int, int, int, int]] = field(default_factory=list)
    lldp_only: list[tuple[int, int, int, int]] = field(default_factory=list)
    cross_outlets: list[int] = field(default_factory=list)

    def cable(self, kind: str, a: Point, b: Point, status: str = "installed") -> None:
        self.cables.append((kind, status, a, b))

    def outlet(self, floor: int) -> int:
        self.outlets.append((floor, len(self.outlets) % ROOMS_PER_FLOOR))
        return len(self.outlets) - 1


def plan_site(switches: int, cables: int, floors: int, seed: int = 5) -> Plan:
    """The wiring of the campus, as symbolic rows."""
    rng = random.Random(seed)
    plan = Plan(floors)
    plan.switches = [("core", 0), ("core", 0)]
    dists: dict[int, list[int]] = {f: [] for f in range(floors)}
    access: dict[int, list[int]] = {f: [] for f in range(floors)}
    for f in range(floors):
        for _ in range(2):
            dists[f].append(len(plan.switches))
            plan.switches.append(("dist", f))
    for i in range(switches - len(plan.switches)):
        access[i % floors].append(len(plan.switches))
        plan.switches.append(("access", i % floors))
    _uplinks(plan, dists, access)
    _outlet_paths(plan, access, cables - len(plan.cables), rng)
    for f in range(floors):  # a few links LLDP sees and no cable documents
        for a, b in zip(access[f][0:8:2], access[f][1:8:2], strict=False):
            plan.lldp_only.append((a, 48, b, 48))
    return plan


def _uplinks(
    plan: Plan, dists: dict[int, list[int]], access: dict[int, list[int]]
) -> None:
    for n in (49, 50):
        plan.cable("dac", ("if", 0, n), ("if", 1, n))
        plan.links.append((0, n, 1, n))
    core_port = [0, 0]
    closet = {f: Series(plan, ("idf", f), f"FP-{f:02d}-", "fibre", 24) for f in dists}
    centre = Series(plan, ("mdf",), "FP-DC-", "fibre", 24)
    for f, pair in dists.items():
        for dist in pair:
            for up, core in ((49, 0), (50, 1)):
                near, far = closet[f].take(), centre.take()
                core_port[core] += 1
                if core_port[core] > 48:
                    raise SystemExit("too many floors for the core switches' ports")
                plan.cable("om4", ("if", dist, up), ("port", *near, "front"))
                plan.cable("os2", ("port", *near, "rear"), ("port", *far, "rear"))
                plan.cable(
                    "om4", ("port", *far, "front"), ("if", core, core_port[core])
                )
                plan.links.append((dist, up, core, core_port[core]))
        for j, acc in enumerate(access[f]):
            port = j // 2 + 1
            # When the distribution switch is full, chain to the previous one.
            target = (pair[j % 2], port) if port <= 48 else (access[f][j - 1], 50)
            plan.cable("om4", ("if", acc, 49), ("if", *target))
            plan.links.append((acc, 49, *target))


def _outlet_paths(
    plan: Plan, access: dict[int, list[int]], budget: int, rng: random.Random
) -> None:
    horizontal = {
        f: Series(plan, ("idf", f), f"PP-{f:02d}-H", "copper", 48) for f in access
    }
    equipment = {
        f: Series(plan, ("idf", f), f"PP-{f:02d}-E", "copper", 48) for f in access
    }
    dark = budget // 25
    budget -= dark
    order = [
        (n, acc, f)
        for n in range(1, ACCESS_PORTS + 1)
        for f in access
        for acc in access[f]
    ]
    for n, acc, f in order:
        if budget < 2:
            break
        outlet = plan.outlet(f)
        h = horizontal[f].take()
        plan.cable("cat6a", ("outlet", outlet), ("port", *h, "rear"))
        cross = budget >= 3 and rng.random() < 0.2
        status = "faulty" if rng.random() < 0.003 else "installed"
        if cross:
            e = equipment[f].take()
            plan.cable("cat6", ("port", *h, "front"), ("port", *e, "front"), status)
            plan.cable("cat6", ("port", *e, "rear"), ("if", acc, n))
            plan.cross_outlets.append(outlet)
            budget -= 3
        else:
            plan.cable("cat6", ("port", *h, "front"), ("if", acc, n), status)
            budget -= 2
    dark += budget
    for i in range(dark):
        f = i % plan.floors
        status = "planned" if rng.random() < 0.1 else "installed"
        plan.cable(
            "cat6a",
            ("outlet", plan.outlet(f)),
            ("port", *horizontal[f].take(), "rear"),
            status,
        )
