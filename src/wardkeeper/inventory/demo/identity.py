"""Identities for demo assets: hostnames, a 10.x address plan per building,
serial numbers, MAC addresses and phone extensions. All of it is data only:
nothing ever contacts these addresses.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
import string

from wardkeeper.inventory.builtin_types import BUILTIN_TYPES
from wardkeeper.inventory.demo.catalogue import SERVER_ROLES, ModelSpec
from wardkeeper.inventory.demo.places import RoomSpec

CATEGORY = {code: cat for code, _name, cat, _years, _data in BUILTIN_TYPES}
# (third-octet band, width per floor or in all, per floor?) of each type's subnet.
ADDRESS_PLAN = {
    "workstation": (0, 4, True),
    "kiosk": (0, 4, True),
    "printer": (0, 4, True),
    "label-printer": (0, 4, True),
    "ip-phone": (64, 2, True),
    "camera": (96, 2, True),
    "medical": (128, 4, True),
    "server": (200, 32, False),
    "storage": (200, 32, False),
    "wireless-ap": (244, 4, False),
    "network": (250, 4, False),
    "power": (250, 4, False),
}
HOST_ABBR = {
    "workstation": "PC",
    "kiosk": "KS",
    "laptop": "NB",
    "printer": "PRN",
    "label-printer": "LBL",
    "ct": "CT",
    "mr": "MR",
    "ultrasound": "US",
    "ecg": "ECG",
    "patient-monitor": "PM",
    "infusion-gateway": "IGW",
}
PER_FLOOR = {"wireless-ap": "AP", "ups": "UPS", "camera": "CAM", "switch": "ASW"}
IN_DATA_CENTRE = {"switch": "CSW", "router": "RT", "firewall": "FW", "storage": "STOR"}


def category(type_code: str) -> str:
    return CATEGORY.get(type_code, "other")


def add_years(day: dt.date, years: int) -> dt.date:
    """The same day ``years`` later (28 February for 29 February)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


class Identities:
    """Hands out unique hostnames, addresses, serials and MACs in order."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.counters: dict[tuple[object, ...], int] = {}

    def next(self, *key: object) -> int:
        self.counters[key] = self.counters.get(key, 0) + 1
        return self.counters[key]

    def hostname(self, room: RoomSpec, type_code: str, model: ModelSpec) -> str:
        cs = "MC" if room.building.campus == "MAIN" else "EC"
        site = f"{cs}-{room.building.code}-{room.floor}"
        if room.kind == "datacentre" and type_code in IN_DATA_CENTRE:
            abbr = IN_DATA_CENTRE[type_code]
            return f"{cs}-DC-{abbr}{self.next(cs, abbr):02d}"
        if type_code in PER_FLOOR:
            abbr = PER_FLOOR[type_code]
            return f"{site}-{abbr}{self.next(site, abbr):02d}"
        if type_code in ("ct", "mr", "ultrasound", "ecg"):
            abbr = HOST_ABBR[type_code]
            return f"{cs}-{abbr}{self.next(cs, abbr):02d}"
        if type_code in HOST_ABBR:
            abbr = HOST_ABBR[type_code]
            n = self.next(cs, room.department, abbr)
            return f"{cs}-{room.department}-{abbr}{n:03d}"
        return ""

    def server(self, room: RoomSpec) -> tuple[str, str]:
        """A server's hostname and role, taking the roles in turn per campus."""
        campus = room.building.campus
        index = self.next(campus, "server-role") - 1
        stem, role = SERVER_ROLES[index % len(SERVER_ROLES)]
        prefix = "" if campus == "MAIN" else "ec-"
        return f"{prefix}{stem}-{self.next(campus, stem):02d}", role

    def ip_address(self, room: RoomSpec, type_code: str) -> str | None:
        cat = category(type_code)
        key = type_code if type_code in ADDRESS_PLAN else cat
        if key not in ADDRESS_PLAN or type_code == "laptop":
            return None  # laptops take a DHCP lease on the wireless network
        band, width, per_floor = ADDRESS_PLAN[key]
        floor_slot = room.floor_index if per_floor else 0
        octet = room.building.octet
        k = self.next("ip", octet, band, floor_slot) - 1
        third = (band + floor_slot * width + (k // 240) % width) % 256
        return f"10.{octet}.{third}.{11 + k % 240}"

    def serial(self, pattern: str) -> str:
        pick = self.rng.choice
        out = []
        for ch in pattern:
            if ch == "#":
                out.append(pick(string.digits))
            elif ch == "@":
                out.append(pick(string.ascii_uppercase))
            elif ch == "*":
                out.append(pick(string.ascii_uppercase + string.digits))
            else:
                out.append(ch)
        return "".join(out)

    def mac(self, maker: str) -> str:
        # A stable made-up vendor prefix per maker, unicast and globally unique.
        prefix = bytearray(hashlib.sha256(maker.encode()).digest()[:3])
        prefix[0] &= 0xFC
        if (maker, "mac") not in self.counters:
            self.counters[(maker, "mac")] = self.rng.randrange(0x10000, 0x80000)
        n = self.next(maker, "mac")
        raw = bytes(prefix) + n.to_bytes(3, "big")
        return ":".join(f"{b:02x}" for b in raw)

    def extension(self, room: RoomSpec) -> int:
        base = 6000 if room.building.campus == "MAIN" else 7000
        return base + self.next(room.building.campus, "ext")
