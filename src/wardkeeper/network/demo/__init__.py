"""The demo hospital's network, built on the inventory's demo equipment:

- per floor, the closet's IDF (a wall cabinet or a rack) with the floor's
  access switches, 24- or 48-port copper panels and a fibre panel; wall
  outlets in the rooms (``IPD-5F-CARD-012-A``: building, floor, department,
  faceplate, jack); cables jack → panel rear, panel front → switch port,
  and each floor's stack uplinked to both core switches through the IDF's
  and the MDF's fibre panels (floors.py);
- per campus, the core room (the first data-centre hall) with the core pair,
  firewalls and routers, the MDF frame, and server racks with top-of-rack
  switches (halls.py);
- interfaces named as each vendor names them (ports.py), cable test reports
  (most passed, a few failed, some never tested: certification.py);
- zones, each campus's VLANs, the address plan as prefixes, an address
  record for every device address, and the flow policy (logical.py,
  policy.py). No pollers and no checks: the monitoring demo owns checks,
  and no poller runs in the demo.

Deterministic from the seed; written in bulk with audit entries like the
inventory's demo (writer.py).
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from wardkeeper.network.demo import logical, policy, site
from wardkeeper.network.demo.floors import Uplinks, build_floor
from wardkeeper.network.demo.halls import build_core
from wardkeeper.network.demo.parts import Out
from wardkeeper.network.demo.writer import write

__all__ = ["NetworkResult", "write_network"]


@dataclass
class NetworkResult:
    racks: int
    outlets: int
    interfaces: int
    cables: int
    addresses: int
    rules: int


def write_network(seed: object, today: dt.date, scale: float = 1.0) -> NetworkResult:
    """The demo's network on the inventory's demo hospital; the counts."""
    rng = random.Random(f"{seed}:network")
    campuses = site.load(scale)
    zones = logical.zones()
    vlans = logical.vlans(campuses, zones)
    out = Out(today=today)
    numbers: dict[str, int] = {}
    for campus in campuses:
        core = build_core(out, campus, vlans[campus.code], rng)
        for floor in campus.floors:
            build_floor(
                out, floor, vlans[campus.code], Uplinks(core.connect), rng, numbers
            )
    write(out)
    addresses = logical.addresses(campuses, vlans, zones, out.addressed)
    rules = policy.write_policy(zones)
    return NetworkResult(
        racks=len(out.racks),
        outlets=len(out.outlets),
        interfaces=len(out.interfaces),
        cables=len(out.cables),
        addresses=len(addresses),
        rules=len(rules),
    )
