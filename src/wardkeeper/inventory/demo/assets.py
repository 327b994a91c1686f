"""Plan the demo hospital's equipment: which asset sits in which room, with
plausible identities, purchases and states. Pure: the same random generator
state and day give the same assets.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from wardkeeper.inventory.builtin_types import BUILTIN_TYPES
from wardkeeper.inventory.choices import AssetStatus, Condition, Criticality
from wardkeeper.inventory.demo.catalogue import (
    MAKERS,
    MODELS,
    WARRANTY_YEARS,
    ModelSpec,
)
from wardkeeper.inventory.demo.hospital import ROOM_KINDS
from wardkeeper.inventory.demo.identity import Identities, add_years, category
from wardkeeper.inventory.demo.places import RoomSpec

NOUNS = {
    "workstation": "PC",
    "kiosk": "self-service kiosk",
    "laptop": "laptop",
    "printer": "printer",
    "label-printer": "label printer",
    "ip-phone": "IP phone",
    "wireless-ap": "Wi-Fi access point",
    "ups": "UPS",
    "camera": "CCTV camera",
    "ultrasound": "ultrasound",
    "ecg": "ECG machine",
    "infusion-gateway": "infusion pump gateway",
    "patient-monitor": "patient monitor",
}
NOTES = (
    "Screen replaced under warranty.",
    "Moved here after the ward renovation.",
    "Battery pack replaced at the last preventive maintenance visit.",
    "Firmware upgraded by the vendor engineer.",
    "Shared by the night shift; do not reimage without notice.",
    "Connected to the HIS through the integration engine.",
    "Runs Windows 10 LTSC; upgrade planned with the next refresh.",
    "Barcode scanner attached.",
)
STORES_DATA = {code: data for code, _name, _cat, _years, data in BUILTIN_TYPES}
# Types whose price makes them capital equipment: never spare, rarely retired.
BIG_TICKET = 200_000


@dataclass
class AssetSpec:
    """One asset to create; ``room`` is None for an asset still on order."""

    model: ModelSpec
    name: str
    room: RoomSpec | None
    department: str
    status: str = AssetStatus.IN_USE
    condition: str = Condition.WORKING
    tag: str = ""
    serial: str = ""
    custodian: str = ""
    hostname: str = ""
    ip_address: str | None = None
    mac_address: str | None = None
    purchase_order: str = ""
    purchase_date: dt.date | None = None
    purchase_cost: Decimal | None = None
    vendor: str = ""
    warranty_end: dt.date | None = None
    parent: AssetSpec | None = field(default=None, repr=False)
    criticality_override: int | None = None
    notes: str = ""


def room_slots(
    rng: random.Random, rooms: list[RoomSpec], total: int
) -> list[tuple[RoomSpec, str]]:
    """``total`` (room, type) pairs, spread as the rooms' templates suggest.

    Fixed rooms (a CT room: one scanner) get exactly their template; the
    others share what is left in proportion to theirs."""
    fixed = [
        (room, code)
        for room in rooms
        if ROOM_KINDS[room.kind].fixed
        for code, count in ROOM_KINDS[room.kind].assets
        for _ in range(int(count))
    ]
    wanted = [
        (room, code, count)
        for room in rooms
        if not ROOM_KINDS[room.kind].fixed
        for code, count in ROOM_KINDS[room.kind].assets
    ]
    room_total = max(0, total - len(fixed))
    raw = sum(count for _room, _code, count in wanted)
    factor = room_total / raw if raw else 0
    slots: list[tuple[RoomSpec, str]] = []
    for room, code, count in wanted:
        share = count * factor
        # Random rounding keeps fractional templates (half a UPS) fair overall.
        n = math.floor(share) + (rng.random() < share - math.floor(share))
        slots.extend((room, code) for _ in range(n))
    while len(slots) > room_total:
        slots.pop(rng.randrange(len(slots)))
    while len(slots) < room_total and slots:
        slots.append(slots[rng.randrange(len(slots))])
    return fixed + with_every_type(rng, slots, wanted)


def with_every_type(
    rng: random.Random,
    slots: list[tuple[RoomSpec, str]],
    wanted: list[tuple[RoomSpec, str, float]],
) -> list[tuple[RoomSpec, str]]:
    """Even a small demo shows every type: a type rounded away takes the place
    of one asset of the most common type, in a room that would hold it."""
    present = {code for _room, code in slots}
    for room, code, _count in wanted:
        if code in present or len(slots) < 2:
            continue
        common = max(present, key=lambda c: sum(1 for s in slots if s[1] == c))
        victims = [i for i, slot in enumerate(slots) if slot[1] == common]
        slots[rng.choice(victims)] = (room, code)
        present.add(code)
    return slots


class AssetPlanner:
    """Turns (room, type) slots into assets with names, identities and states."""

    def __init__(
        self,
        rng: random.Random,
        today: dt.date,
        staff: dict[str, str],
        stores: dict[str, RoomSpec],
    ) -> None:
        self.rng = rng
        self.today = today
        self.staff = staff  # custodian per department code
        self.stores = stores  # the IT store of each campus
        self.ids = Identities(rng)
        self.makers = {maker.name: maker for maker in MAKERS}
        self.by_type: dict[str, list[ModelSpec]] = {}
        for model in MODELS:
            self.by_type.setdefault(model.type_code, []).append(model)

    def pick_model(self, type_code: str, room: RoomSpec | None) -> ModelSpec:
        place = "dc" if room is not None and room.kind == "datacentre" else "edge"
        models = [
            m for m in self.by_type[type_code] if m.place in ("", place)
        ] or self.by_type[type_code]
        return self.rng.choices(models, weights=[m.weight for m in models])[0]

    def plan(self, slots: list[tuple[RoomSpec, str]]) -> list[AssetSpec]:
        """Assets for the slots; consoles in scanner rooms become components."""
        assets: list[AssetSpec] = []
        totals = Counter((room.code, type_code) for room, type_code in slots)
        counts: Counter[tuple[str, str]] = Counter()
        scanners: dict[str, AssetSpec] = {}
        for room, type_code in slots:
            key = (room.code, type_code)
            counts[key] += 1
            # Number the asset only where the room holds more than one of them.
            index = counts[key] if totals[key] > 1 else 0
            spec = self.in_room(room, type_code, index)
            if type_code in ("ct", "mr"):
                scanners[room.code] = spec
            assets.append(spec)
        consoles: dict[str, int] = {}
        for spec in assets:
            placed = spec.room
            if (
                placed
                and spec.model.type_code == "workstation"
                and placed.code in scanners
            ):
                # A scanner's operator consoles are recorded as its components.
                consoles[placed.code] = consoles.get(placed.code, 0) + 1
                spec.parent = scanners[placed.code]
                spec.name = f"{placed.name} operator console {consoles[placed.code]}"
        for spec in assets:
            self.settle_state(spec)
        return assets

    def in_room(self, room: RoomSpec, type_code: str, index: int) -> AssetSpec:
        model = self.pick_model(type_code, room)
        spec = AssetSpec(model, "", room, room.department)
        if type_code == "server":
            spec.hostname, role = self.ids.server(room)
            spec.name = f"{role} {spec.hostname}"
        else:
            spec.hostname = self.ids.hostname(room, type_code, model)
            spec.name = self.name_for(room, type_code, index, spec.hostname)
        spec.ip_address = self.ids.ip_address(room, type_code)
        spec.custodian = self.staff.get(room.department, "")
        if type_code in ("patient-monitor", "infusion-gateway") and (
            room.place.criticality == Criticality.NORMAL
        ):
            # Bedside devices on a general ward still carry patients' lives.
            spec.criticality_override = Criticality.HIGH
        if self.rng.random() < 0.03:
            spec.notes = self.rng.choice(NOTES)
        self.purchase(spec, self.age_days(model))
        return spec

    def name_for(self, room: RoomSpec, type_code: str, index: int, host: str) -> str:
        if type_code in ("switch", "router", "firewall", "storage"):
            noun = {
                "switch": "Core switch"
                if room.kind == "datacentre"
                else "Access switch",
                "router": "WAN router",
                "firewall": "Firewall",
                "storage": "Storage array",
            }[type_code]
            return f"{noun} {host}"
        if type_code in ("ct", "mr"):
            return f"{room.name} scanner"
        if type_code == "ip-phone":
            return f"IP phone ext. {self.ids.extension(room)}"
        # A ward room is named by its number alone, as on the door.
        place = (
            f"Room {room.name.rsplit(' ', 1)[-1]}" if room.kind == "ward" else room.name
        )
        return f"{place} {NOUNS[type_code]}" + (f" {index}" if index else "")

    def age_days(self, model: ModelSpec) -> int:
        """How long ago an asset in use was bought: mostly within its type's
        life, a tail past it (old PCs linger on wards), none older than the
        hospital's electronic records (9 years)."""
        years = {"medical": 8, "server": 5, "network": 6, "power": 6}.get(
            category(model.type_code), 5
        )
        return int(self.rng.triangular(20, 9 * 365, years * 365 * 0.4))

    def purchase(self, spec: AssetSpec, age_days: int) -> None:
        """Date, order, cost, vendor, warranty and serial of a purchase."""
        maker = self.makers[spec.model.maker]
        bought = self.today - dt.timedelta(days=age_days)
        spec.purchase_date = bought
        spec.purchase_order = f"CG-{bought:%Y%m}-{self.rng.randint(1, 180):03d}"
        spec.purchase_cost = Decimal(
            round(spec.model.price * self.rng.uniform(0.9, 1.04))
        ).quantize(Decimal("0.01"))
        spec.vendor = maker.vendor
        spec.warranty_end = add_years(
            bought, WARRANTY_YEARS[category(spec.model.type_code)]
        )
        spec.serial = self.ids.serial(maker.serial)
        spec.mac_address = self.ids.mac(maker.name)

    def settle_state(self, spec: AssetSpec) -> None:
        """Most assets are in use and working; some are faulty, away or retired."""
        roll = self.rng.random()
        capital = spec.model.price >= BIG_TICKET
        if roll < 0.02 and not capital:
            spec.status, spec.condition = AssetStatus.IN_REPAIR, Condition.FAULTY
        elif roll < 0.03 and not capital:
            spec.status, spec.condition = AssetStatus.AT_VENDOR, Condition.FAULTY
        elif roll < 0.075 and not capital:
            self.retire(spec)
            if roll < 0.035 and not STORES_DATA[spec.model.type_code]:
                # Gone to the e-waste contractor; only data-free types, since a
                # disposal of anything holding data needs a wipe record.
                spec.status, spec.room = AssetStatus.DISPOSED, None
                spec.notes = "Collected by the certified e-waste contractor."
        elif roll < 0.085 and not capital:
            self.on_order(spec)
        else:
            wear = self.rng.random()
            if wear < 0.025:
                spec.condition = Condition.FAULTY
            elif wear < 0.06:
                spec.condition = Condition.DEGRADED

    def retire(self, spec: AssetSpec) -> None:
        self.purchase(spec, self.age_days(spec.model) + 365 * self.rng.randint(3, 6))
        if spec.room is not None:
            spec.room = self.stores[spec.room.building.campus]
        spec.parent = None
        spec.status = AssetStatus.RETIRED
        spec.condition = self.rng.choice([Condition.FAULTY, Condition.WORKING])
        spec.ip_address, spec.hostname = None, ""
        spec.notes = "Retired at the last refresh; awaiting disposal."

    def on_order(self, spec: AssetSpec) -> None:
        self.purchase(spec, self.rng.randint(1, 30))
        spec.status = AssetStatus.ORDERED
        spec.room, spec.parent = None, None
        spec.serial, spec.ip_address, spec.mac_address = "", None, None
        spec.warranty_end = None
        spec.notes = "On order; delivery expected this month."


def assign_tags(assets: list[AssetSpec]) -> None:
    """Tags in order of purchase, as the equipment office registers them:
    ``WK-<year bought>-<running number>``."""
    order = sorted(range(len(assets)), key=lambda i: (assets[i].purchase_date, i))
    for number, index in enumerate(order, start=1):
        spec = assets[index]
        year = spec.purchase_date.year if spec.purchase_date else 0
        spec.tag = f"WK-{year}-{number:06d}"


def spare(planner: AssetPlanner, model: ModelSpec, store: RoomSpec) -> AssetSpec:
    """A spare in a campus's IT store: bought recently, working, no address."""
    spec = AssetSpec(model, "", store, "INFO", status=AssetStatus.IN_STOCK)
    planner.purchase(spec, planner.rng.randint(30, 540))
    spec.name = f"Spare {NOUNS.get(model.type_code, model.type_code)} ({model.name})"
    spec.custodian = planner.staff.get("STORE", "")
    return spec
