"""Writes the site of bench/network_plan.py: a benchmark fixture, not a
product path. Every row is written with ``bulk_create`` and without audit
entries (the product's writes go through the audited models and services;
the benchmark measures reading)."""

from __future__ import annotations

import random
import sys
from collections import defaultdict
from decimal import Decimal
from typing import Any

from network_plan import FLOORS_PER_BUILDING, PORTS, ROOMS_PER_FLOOR, Plan, Point

BATCH = 5000


def write_site(plan: Plan) -> dict[str, Any]:
    """Write the plan; return the campus, a building and the outlets to trace."""
    from django.db import transaction

    rng = random.Random(11)
    with transaction.atomic():
        places = _places(plan.floors)
        vlans = _vlans(places, plan.floors)
        switches = _switches(plan, places)
        interfaces = _interfaces(switches, plan, vlans)
        ports = _panels(plan, places)
        outlets = _outlets(plan, places)
        _cables(plan, interfaces, ports, outlets, rng)
        _neighbours(plan, switches, interfaces, rng)
        _checks(plan, switches, rng)
    return {
        "campus": places["campus"],
        "building": places[("building", 0)],
        "cross_outlets": [outlets[i] for i in plan.cross_outlets],
        "access": [
            pk
            for pk, (role, _f) in zip(switches, plan.switches, strict=True)
            if role == "access"
        ],
    }


def _say(text: str) -> None:
    print(f"   {text}", file=sys.stderr, flush=True)


def _places(floors: int) -> dict[Any, Any]:
    """The campus, its buildings and floors (saved as usual, few) and the
    rooms (bulk, with their derived full name and campus filled in)."""
    from wardkeeper.inventory.models import Location

    places: dict[Any, Any] = {}
    campus = Location(kind="campus", name="Bench Campus", code="BENCH")
    campus.save()
    places["campus"] = campus
    for b in range((floors + FLOORS_PER_BUILDING - 1) // FLOORS_PER_BUILDING):
        building = Location(
            kind="building", name=f"Building {b + 1}", code=f"B{b + 1}", parent=campus
        )
        building.save()
        places[("building", b)] = building
    rooms = []
    for f in range(floors):
        b, level = divmod(f, FLOORS_PER_BUILDING)
        floor = Location(
            kind="floor",
            name=f"{level}F",
            code=f"B{b + 1}-{level}F",
            parent=places[("building", b)],
        )
        floor.save()
        places[("floor", f)] = floor
        names = [("idf", f"IDF {b + 1}-{level}")] + [
            (r, f"Room {level}{r:02d}") for r in range(ROOMS_PER_FLOOR)
        ]
        if f == 0:
            names.append(("mdf", "Data centre"))
        for key, name in names:
            code = (
                f"{floor.code}-{key.upper() if isinstance(key, str) else f'R{key:02d}'}"
            )
            rooms.append(
                (
                    (key, f) if key != "mdf" else ("mdf",),
                    Location(
                        kind="room",
                        name=name,
                        code=code,
                        parent=floor,
                        full_name=f"{floor.full_name} / {name}",
                        campus_id=campus.pk,
                    ),
                )
            )
    made = Location.objects.bulk_create(
        [room for _key, room in rooms], batch_size=BATCH
    )
    places.update({key: room for (key, _r), room in zip(rooms, made, strict=True)})
    return places


def _vlans(places: dict[Any, Any], floors: int) -> dict[int, list[Any]]:
    """Per floor: data, voice, medical devices, management (on the campus)."""
    from wardkeeper.network.models import VLAN

    rows = [
        VLAN(vid=100 + f * 4 + i, name=f"{name}-{f:02d}", site=places["campus"])
        for f in range(floors)
        for i, name in enumerate(("data", "voice", "medical", "mgmt"))
    ]
    made = VLAN.objects.bulk_create(rows)
    return {f: made[f * 4 : f * 4 + 4] for f in range(floors)}


def _switches(plan: Plan, places: dict[Any, Any]) -> list[int]:
    from wardkeeper.inventory.models import Asset, AssetModel, AssetType, Manufacturer

    kind = AssetType.objects.get(code="switch")
    maker = Manufacturer.objects.create(name="Bench Networks")
    models = {
        role: AssetModel.objects.create(manufacturer=maker, name=name, asset_type=kind)
        for role, name in (
            ("core", "BN-9800"),
            ("dist", "BN-6800"),
            ("access", "BN-2400"),
        )
    }
    counter: dict[str, int] = defaultdict(int)
    rows = []
    for i, (role, f) in enumerate(plan.switches):
        counter[role] += 1
        room = places[("mdf",)] if role == "core" else places[("idf", f)]
        rows.append(
            Asset(
                tag=f"SW-{i + 1:05d}",
                name=f"{role}-{f:02d}-{counter[role]:04d}",
                model=models[role],
                asset_type=kind,
                status="in_use",
                location=room,
                hostname=f"{role}-{i + 1}.bench.local",
                ip_address=f"10.{i // 250}.{i % 250}.1",
            )
        )
    made = Asset.objects.bulk_create(rows, batch_size=BATCH)
    _say(f"{len(made):,} switches")
    return [asset.pk for asset in made]


def _interfaces(
    switches: list[int], plan: Plan, vlans: dict[int, list[Any]]
) -> list[list[int]]:
    """50 interfaces per switch; access ports untagged on the floor's data
    VLAN, uplinks (and all core/distribution ports) trunks with its VLANs."""
    from wardkeeper.network.models import Interface

    pks: list[list[int]] = []
    trunks: list[tuple[int, int]] = []
    rows: list[Any] = []

    def flush() -> None:
        made = Interface.objects.bulk_create(rows, batch_size=BATCH)
        for start in range(0, len(made), PORTS):
            pks.append([row.pk for row in made[start : start + PORTS]])
        for row in made:
            if row.mode == "trunk":
                trunks.append((row.pk, row._bench_floor))  # type: ignore[attr-defined]
        rows.clear()

    for i, (pk, (role, f)) in enumerate(zip(switches, plan.switches, strict=True)):
        for n in range(1, PORTS + 1):
            uplink = role != "access" or n > 48
            row = Interface(
                device_id=pk,
                name=f"Te1/0/{n}" if uplink else f"Gi1/0/{n}",
                kind="10gbase-x-sfpp" if uplink else "1000base-t",
                speed_mbps=10_000 if uplink else 1000,
                duplex="full",
                mac_address=f"02:be:{i >> 8 & 255:02x}:{i & 255:02x}:00:{n:02x}",
                mode="trunk" if uplink else "access",
                untagged_vlan=None if uplink else vlans[f][0],
                if_index=n,
                oper_up=True,
            )
            row._bench_floor = f  # type: ignore[attr-defined]
            rows.append(row)
        if len(rows) >= BATCH:
            flush()
    flush()
    through = Interface.tagged_vlans.through
    tagged = [
        through(interface_id=pk, vlan_id=vlan.pk)
        for pk, f in trunks
        for vlan in vlans[f]
    ]
    through.objects.bulk_create(tagged, batch_size=BATCH)
    _say(f"{sum(map(len, pks)):,} interfaces, {len(tagged):,} tagged VLANs")
    return pks


def _panels(plan: Plan, places: dict[Any, Any]) -> list[list[int]]:
    from wardkeeper.network.models import PanelPort, PatchPanel

    panels = PatchPanel.objects.bulk_create(
        [
            PatchPanel(name=name, location=places[room], medium=medium, ports=n)
            for room, name, medium, n in plan.panels
        ],
        batch_size=BATCH,
    )
    rows = [
        PanelPort(panel_id=panel.pk, number=n)
        for panel in panels
        for n in range(1, panel.ports + 1)
    ]
    made = PanelPort.objects.bulk_create(rows, batch_size=BATCH)
    ports: list[list[int]] = []
    at = 0
    for panel in panels:
        ports.append([0] + [port.pk for port in made[at : at + panel.ports]])
        at += panel.ports
    _say(f"{len(panels):,} panels, {len(made):,} ports")
    return ports


def _outlets(plan: Plan, places: dict[Any, Any]) -> list[int]:
    from wardkeeper.network.models import Outlet

    seen: dict[tuple[int, int], int] = defaultdict(int)
    rows = []
    for f, room in plan.outlets:
        seen[(f, room)] += 1
        place = places[(room, f)]
        rows.append(Outlet(label=f"{place.code}-{seen[(f, room)]:03d}", location=place))
    made = Outlet.objects.bulk_create(rows, batch_size=BATCH)
    _say(f"{len(made):,} outlets")
    return [row.pk for row in made]


def _cables(
    plan: Plan,
    interfaces: list[list[int]],
    ports: list[list[int]],
    outlets: list[int],
    rng: random.Random,
) -> None:
    from wardkeeper.network.models import Cable, CableEnd

    def end(cable: int, side: str, point: Point) -> Any:
        if point[0] == "if":
            return CableEnd(
                cable_id=cable,
                side=side,
                interface_id=interfaces[point[1]][point[2] - 1],
            )
        if point[0] == "outlet":
            return CableEnd(cable_id=cable, side=side, outlet_id=outlets[point[1]])
        return CableEnd(
            cable_id=cable, side=side, port_id=ports[point[1]][point[2]], face=point[3]
        )

    for start in range(0, len(plan.cables), BATCH):
        chunk = plan.cables[start : start + BATCH]
        made = Cable.objects.bulk_create(
            [
                Cable(
                    label=f"C{start + i + 1:06d}",
                    kind=kind,
                    status=status,
                    length_m=Decimal(rng.randrange(50, 9000)) / 100,
                    colour="blue" if kind.startswith("cat") else "aqua",
                )
                for i, (kind, status, _a, _b) in enumerate(chunk)
            ]
        )
        ends = [
            e
            for cable, (_k, _s, a, b) in zip(made, chunk, strict=True)
            for e in (end(cable.pk, "a", a), end(cable.pk, "b", b))
        ]
        CableEnd.objects.bulk_create(ends, batch_size=BATCH)
        if (start // BATCH) % 5 == 4:
            _say(f"{start + len(chunk):,} cables")
    _say(f"{len(plan.cables):,} cables")


def _neighbours(
    plan: Plan, switches: list[int], interfaces: list[list[int]], rng: random.Random
) -> None:
    """Both ends of each switch link report the other; 1 % of the reports
    name another port than the cables do; the LLDP-only links too."""
    from wardkeeper.network.models import Neighbour

    names = [f"sw-{i + 1}" for i in range(len(switches))]
    rows = []
    for a, a_port, b, b_port in plan.links + plan.lldp_only:
        for local, here, remote, there in (
            (a, a_port, b, b_port),
            (b, b_port, a, a_port),
        ):
            if rng.random() < 0.01:
                there = there % 46 + 1  # LLDP says another port: a mismatch
            rows.append(
                Neighbour(
                    interface_id=interfaces[local][here - 1],
                    chassis_id=f"02:be:00:00:{remote:04x}",
                    system_name=names[remote],
                    port_id=f"1/0/{there}",
                    remote_device_id=switches[remote],
                    remote_interface_id=interfaces[remote][there - 1],
                )
            )
    Neighbour.objects.bulk_create(rows, batch_size=BATCH)
    _say(f"{len(rows):,} LLDP neighbours")


def _checks(plan: Plan, switches: list[int], rng: random.Random) -> None:
    """A ping check on every switch; SNMP on core and distribution; most
    up, some down, degraded or not yet known."""
    from wardkeeper.monitoring.models import Check

    kinds = {
        "core": ("icmp", "snmp", "snmp"),
        "dist": ("icmp", "snmp"),
        "access": ("icmp",),
    }
    rows = []
    for i, (pk, (role, _f)) in enumerate(zip(switches, plan.switches, strict=True)):
        for j, kind in enumerate(kinds[role]):
            status = rng.choices(("up", "down", "degraded", "unknown"), (93, 2, 3, 2))[
                0
            ]
            rows.append(
                Check(
                    name=f"sw-{i + 1} {kind} {j}",
                    asset_id=pk,
                    host=f"10.{i // 250}.{i % 250}.1",
                    kind=kind,
                    params={"what": "uptime"} if kind == "snmp" else {},
                    status=status,
                )
            )
    Check.objects.bulk_create(rows, batch_size=BATCH)
    _say(f"{len(rows):,} checks")
