"""What the network demo stands on: the inventory demo's campuses, floors,
rooms (with the kind of room the plan gave each) and the network equipment
in use, read once and grouped the way the wiring needs them."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from wardkeeper.inventory.choices import AssetStatus, LocationKind
from wardkeeper.inventory.demo.layout import BUILDINGS, Building
from wardkeeper.inventory.demo.places import RoomSpec, floor_code, plan_places
from wardkeeper.inventory.models import Asset, Location

WIRED_TYPES = (
    "switch",
    "router",
    "firewall",
    "server",
    "storage",
    "wireless-ap",
    "ups",
)


@dataclass
class Room:
    location: Location
    spec: RoomSpec

    @property
    def kind(self) -> str:
        return self.spec.kind


@dataclass
class Floor:
    """A building floor: its rooms, its closet (the IDF) and what is in it."""

    location: Location
    building: Building
    name: str  # "3F", "B1"
    rooms: list[Room] = field(default_factory=list)
    closet: Location | None = None
    switches: list[Asset] = field(default_factory=list)
    ups: list[Asset] = field(default_factory=list)
    aps: list[Asset] = field(default_factory=list)

    @property
    def tag(self) -> str:
        """``IPD-5F``: the building and floor, as labels spell them."""
        return f"{self.building.code}-{self.name}"


@dataclass
class Hall:
    """A data-centre hall and the equipment in it, by asset type."""

    location: Location
    devices: dict[str, list[Asset]] = field(default_factory=lambda: defaultdict(list))


@dataclass
class Campus:
    location: Location
    code: str
    floors: list[Floor] = field(default_factory=list)
    halls: list[Hall] = field(default_factory=list)
    buildings: list[tuple[Building, Location]] = field(default_factory=list)

    @property
    def tag(self) -> str:
        return "MC" if self.code == "MAIN" else "EC"


def load(scale: float) -> list[Campus]:
    """The demo's campuses as built (three queries)."""
    places = {loc.code: loc for loc in Location.objects.all()}
    specs = {room.code: room for room in plan_places(scale, {})[1]}
    campuses = {
        loc.code: Campus(loc, loc.code)
        for loc in sorted(places.values(), key=lambda loc: loc.code)
        if loc.kind == LocationKind.CAMPUS
    }
    floors: dict[int, Floor] = {}
    halls: dict[int, Hall] = {}
    for building in BUILDINGS:
        campus = campuses.get(building.campus)
        bloc = places.get(f"{building.campus}-{building.code}")
        if campus is None or bloc is None:
            continue
        campus.buildings.append((building, bloc))
        for name, _layout in building.floors:
            floc = places.get(f"{bloc.code}-{floor_code(name)}")
            if floc is not None:
                floors[floc.pk] = Floor(floc, building, name)
                campus.floors.append(floors[floc.pk])
    for loc in sorted(places.values(), key=lambda loc: loc.code):
        spec = specs.get(loc.code)
        floor = floors.get(loc.parent_id or 0)
        if loc.kind != LocationKind.ROOM or spec is None or floor is None:
            continue
        if spec.kind == "closet" and floor.closet is None:
            floor.closet = loc
        elif spec.kind == "datacentre":
            halls[loc.pk] = Hall(loc)
            campuses[spec.building.campus].halls.append(halls[loc.pk])
        else:
            floor.rooms.append(Room(loc, spec))
    _equipment(floors, halls)
    return list(campuses.values())


def _equipment(floors: dict[int, Floor], halls: dict[int, Hall]) -> None:
    """Sort the equipment in use into closets, floors and halls."""
    closets = {floor.closet.pk: floor for floor in floors.values() if floor.closet}
    rooms = {
        room.location.pk: floor for floor in floors.values() for room in floor.rooms
    }
    assets = (
        Asset.objects.filter(
            status=AssetStatus.IN_USE,
            asset_type__code__in=WIRED_TYPES,
            location__isnull=False,
        )
        .select_related("model__manufacturer", "asset_type")
        .order_by("hostname", "pk")
    )
    for asset in assets:
        code = asset.asset_type.code
        if asset.location_id in halls:
            halls[asset.location_id].devices[code].append(asset)
        elif asset.location_id in closets:
            floor = closets[asset.location_id]
            if code == "switch":
                floor.switches.append(asset)
            elif code == "ups":
                floor.ups.append(asset)
        elif code == "wireless-ap" and asset.location_id in rooms:
            rooms[asset.location_id].aps.append(asset)
