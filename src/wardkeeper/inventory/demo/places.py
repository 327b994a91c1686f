"""Plan the demo hospital's places: campuses, buildings, floors and rooms.

Pure functions over the data in ``hospital.py``: no database, no randomness,
so the same scale always gives the same places.
"""

from __future__ import annotations

from dataclasses import dataclass

from wardkeeper.inventory.choices import Criticality, LocationKind
from wardkeeper.inventory.demo.hospital import LAB_SECTIONS, ROOM_KINDS, SHORT_NAMES
from wardkeeper.inventory.demo.layout import BUILDINGS, CAMPUSES, Building


@dataclass(frozen=True)
class PlaceSpec:
    """A location to create, with the codes of its parent and campus."""

    kind: LocationKind
    code: str
    name: str
    parent: str | None
    campus: str
    criticality: Criticality = Criticality.NORMAL
    description: str = ""


@dataclass(frozen=True)
class RoomSpec:
    """A room and what the asset planner needs to know about it."""

    place: PlaceSpec
    kind: str
    department: str
    building: Building
    floor: str
    floor_index: int
    number: int

    @property
    def code(self) -> str:
        return self.place.code

    @property
    def name(self) -> str:
        return self.place.name


def floor_code(name: str) -> str:
    """``5F`` → ``05F`` so codes sort in floor order; ``B1`` stays."""
    return name.zfill(3) if name.endswith("F") else name


def scaled(count: int, scale: float) -> int:
    """Fewer rooms of a kind when scaled down, but never none: every floor
    keeps its network closet, every campus its store and server room."""
    return count if scale >= 1 else max(1, round(count * scale))


def plan_places(
    scale: float, department_names: dict[str, str]
) -> tuple[list[PlaceSpec], list[RoomSpec]]:
    """Every campus, building and floor, and the rooms (fewer when scaled down)."""
    places = [
        PlaceSpec(
            LocationKind.CAMPUS, code, name, None, code, description=f"{zh}, {address}"
        )
        for code, name, zh, address in CAMPUSES
    ]
    rooms: list[RoomSpec] = []
    numbers: dict[tuple[str, ...], int] = {}
    for building in BUILDINGS:
        bcode = f"{building.campus}-{building.code}"
        places.append(
            PlaceSpec(
                LocationKind.BUILDING,
                bcode,
                building.name,
                building.campus,
                building.campus,
                description=building.chinese,
            )
        )
        for index, (floor, layout) in enumerate(building.floors):
            fcode = f"{bcode}-{floor_code(floor)}"
            places.append(
                PlaceSpec(LocationKind.FLOOR, fcode, floor, bcode, building.campus)
            )
            seq = 0
            for kind, count, dept in layout:
                # Rooms are numbered per campus ("Operating theatre 7"), per
                # department when the name carries one ("Cardiology consultation
                # room 2"), and ward rooms per floor as on the doors ("… ward
                # room 512").
                label = ROOM_KINDS[kind].label
                key: tuple[str, ...] = (
                    (fcode, kind)
                    if kind == "ward"
                    else (building.campus, kind, dept if "{dept}" in label else "")
                )
                for _ in range(scaled(count, scale)):
                    seq += 1
                    numbers[key] = numbers.get(key, 0) + 1
                    where = (building, floor, index, f"{fcode}-{seq:02d}")
                    rooms.append(
                        room_spec(where, kind, dept, numbers[key], department_names)
                    )
    places.extend(room.place for room in rooms)
    return places, rooms


def room_spec(
    where: tuple[Building, str, int, str],
    kind: str,
    dept: str,
    number: int,
    department_names: dict[str, str],
) -> RoomSpec:
    """A room of ``kind`` with its name pattern filled in."""
    building, floor, index, code = where
    room_kind = ROOM_KINDS[kind]
    dept_name = SHORT_NAMES.get(dept) or department_names.get(dept, dept)
    sections = LAB_SECTIONS.get(dept, ("Laboratory",))
    shown = f"{floor.rstrip('F')}{number:02d}" if kind == "ward" else str(number)
    name = room_kind.label.format(
        dept=dept_name.split(" (")[0],
        n=shown,
        floor=floor,
        section=sections[(number - 1) % len(sections)],
    )
    place = PlaceSpec(
        LocationKind.ROOM,
        code,
        name,
        code.rsplit("-", 1)[0],
        building.campus,
        room_kind.criticality,
    )
    return RoomSpec(place, kind, dept, building, floor, index, number)
