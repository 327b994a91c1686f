"""Small builders for stocktake tests: a place tree and assets booked in it."""

from __future__ import annotations

from dataclasses import dataclass

from tests.factories.inventory import (
    AssetFactory,
    BuildingFactory,
    FloorFactory,
    RoomFactory,
)
from wardkeeper.inventory.choices import AssetStatus
from wardkeeper.inventory.models import Location


@dataclass
class Ward:
    """A floor with two rooms, and a second floor outside the count."""

    floor: Location
    room_a: Location
    room_b: Location
    other_floor: Location
    other_room: Location


def ward() -> Ward:
    building = BuildingFactory()
    floor = FloorFactory(parent=building, code="W3F")
    other = FloorFactory(parent=building, code="W4F")
    return Ward(
        floor=floor,
        room_a=RoomFactory(parent=floor, code="W3-01"),
        room_b=RoomFactory(parent=floor, code="W3-02"),
        other_floor=other,
        other_room=RoomFactory(parent=other, code="W4-01"),
    )


def asset_in(place: Location, tag: str, status: str = AssetStatus.IN_USE, **kw):
    return AssetFactory(tag=tag, location=place, status=status, **kw)
