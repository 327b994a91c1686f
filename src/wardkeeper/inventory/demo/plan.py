"""The whole demo hospital as plain data, before anything touches the database.

``plan_hospital(seed, …)`` is pure: the same seed, scale and day always give
the same places, people and assets (the determinism the demo promises).
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from wardkeeper.inventory.choices import AssetStatus
from wardkeeper.inventory.demo.assets import (
    AssetPlanner,
    AssetSpec,
    assign_tags,
    room_slots,
    spare,
)
from wardkeeper.inventory.demo.catalogue import MODELS
from wardkeeper.inventory.demo.hospital import DEPARTMENTS, FAMILY_NAMES, GIVEN_NAMES
from wardkeeper.inventory.demo.places import PlaceSpec, RoomSpec, plan_places

DEFAULT_SEED = 2026
FULL_SIZE_ASSETS = 6000

# (campus, pool name, type code, model name or None for any model of the type,
#  minimum level, spares held): three pools sit below their minimum.
SPARE_POOLS = (
    ("MAIN", "Workstations: Dell OptiPlex 7010", "workstation", "OptiPlex 7010", 8, 11),
    ("MAIN", "Label printers: Zebra ZD421", "label-printer", "ZD421", 4, 2),
    ("MAIN", "Access switches: Huawei S5735", "switch", "S5735-L48T4X-A1", 2, 3),
    ("MAIN", "Patient monitors", "patient-monitor", None, 3, 4),
    ("MAIN", "Laser printers", "printer", None, 4, 6),
    ("MAIN", "IP phones", "ip-phone", None, 6, 9),
    ("MAIN", "Wi-Fi access points", "wireless-ap", None, 4, 1),
    ("MAIN", "Rack UPS 3 kVA", "ups", "Smart-UPS SRT 3000", 1, 2),
    ("EAST", "Workstations", "workstation", None, 4, 5),
    ("EAST", "Label printers", "label-printer", None, 2, 2),
    ("EAST", "Access switches", "switch", None, 1, 0),
    ("EAST", "Patient monitors", "patient-monitor", None, 1, 2),
)
# The IT staff who keep the equipment, by the persona accounts' names.
IT_CUSTODIANS = {"INFO": "Nick Zhang", "STORE": "Hana Wang"}


@dataclass(frozen=True)
class DepartmentSpec:
    code: str
    name: str
    cost_centre: str
    is_clinical: bool
    campus: str
    head: str
    phone: str


@dataclass
class HospitalPlan:
    """Everything the writer creates, in the order it creates it."""

    seed: int
    today: dt.date
    places: list[PlaceSpec]
    rooms: list[RoomSpec]
    departments: list[DepartmentSpec]
    assets: list[AssetSpec]

    def rng_for(self, part: str) -> random.Random:
        """A generator of its own for one part (contracts, the stocktake), so
        changing one part's draws leaves the others as they were."""
        return random.Random(f"{self.seed}:{part}")


def person(rng: random.Random) -> str:
    return f"{rng.choice(FAMILY_NAMES)} {rng.choice(GIVEN_NAMES)}"


def plan_departments(rng: random.Random) -> tuple[list[DepartmentSpec], dict[str, str]]:
    """Departments with a head and phone, and who keeps each one's equipment."""
    departments = []
    custodians = dict(IT_CUSTODIANS)
    for code, name, cost_centre, clinical, campus in DEPARTMENTS:
        head = person(rng)
        phone = (
            f"021-{rng.choice('56')}{rng.randint(100, 999)} {rng.randint(6000, 7999)}"
        )
        departments.append(
            DepartmentSpec(
                code,
                name,
                cost_centre,
                clinical,
                campus,
                f"Prof. {head}" if clinical else head,
                phone,
            )
        )
        # On a ward the head nurse signs for the equipment; elsewhere the head.
        custodians.setdefault(code, person(rng) if clinical else head)
    return departments, custodians


def plan_hospital(
    seed: int = DEFAULT_SEED,
    *,
    scale: float = 1.0,
    today: dt.date,
    asset_count: int | None = None,
) -> HospitalPlan:
    """The demo hospital for ``seed`` at ``scale`` (1.0: about 6,000 assets)."""
    rng = random.Random(seed)
    departments, custodians = plan_departments(rng)
    names = {dept.code: dept.name for dept in departments}
    places, rooms = plan_places(scale, names)
    stores = {room.building.campus: room for room in rooms if room.kind == "store"}
    planner = AssetPlanner(rng, today, custodians, stores)
    spares = plan_spares(planner, stores)
    total = round(FULL_SIZE_ASSETS * scale) if asset_count is None else asset_count
    slots = room_slots(rng, rooms, max(0, total - len(spares)))
    assets = planner.plan(slots) + spares
    assign_tags(assets)
    return HospitalPlan(seed, today, places, rooms, departments, assets)


def plan_spares(planner: AssetPlanner, stores: dict[str, RoomSpec]) -> list[AssetSpec]:
    """The spares held in each campus's IT store, pool by pool."""
    spares = []
    for campus, _name, type_code, model_name, _minimum, held in SPARE_POOLS:
        for _ in range(held):
            model = next(
                (m for m in MODELS if m.name == model_name),
                None,
            ) or planner.pick_model(type_code, stores[campus])
            spares.append(spare(planner, model, stores[campus]))
    return spares


def on_hand(asset: AssetSpec) -> bool:
    """Whether a stocktake expects to find the asset on the floor."""
    return asset.status in (
        AssetStatus.IN_USE,
        AssetStatus.IN_STOCK,
        AssetStatus.IN_REPAIR,
    )
