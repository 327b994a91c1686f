"""The demo's open stocktake: one ward floor, most of its labels already read.

It goes through the stocktake services, as a hardware engineer's phone would.
"""

from __future__ import annotations

from typing import Any

from wardkeeper.core import audit
from wardkeeper.core.models.audit import AuditSource
from wardkeeper.inventory.choices import ScanSource
from wardkeeper.inventory.demo.plan import HospitalPlan, on_hand
from wardkeeper.inventory.demo.writer import MESSAGE
from wardkeeper.inventory.models import Location, Stocktake
from wardkeeper.inventory.services.stocktakes import (
    open_stocktake,
    reconcile,
    record_scans,
)

FLOOR = "MAIN-IPD-05F"  # the Neurology ward floor of the inpatient tower


def write_stocktake(
    plan: HospitalPlan, places: dict[str, Location], counter: Any
) -> Stocktake:
    """Open the stocktake, record three quarters of the floor's labels (two
    read in the wrong room and two unknown tags among them) and reconcile."""
    rng = plan.rng_for("stocktake")
    rooms = [room for room in plan.rooms if room.place.parent == FLOOR]
    expected = [a for a in plan.assets if a.room in rooms and on_hand(a)]
    seen = rng.sample(expected, k=round(len(expected) * 0.75))
    reads: list[tuple[str, int | None]] = []
    for number, spec in enumerate(seen):
        room = spec.room
        if number < 2 and len(rooms) > 1:
            room = rng.choice([other for other in rooms if other is not spec.room])
        assert room is not None
        reads.append((spec.tag, places[room.code].pk))
    reads += [
        (f"WK-2015-9{rng.randint(10000, 99999)}", places[rooms[0].code].pk)
        for _ in range(2)
    ]
    quarter = (plan.today.month - 1) // 3 + 1
    with audit.audit_context(source=AuditSource.SYSTEM, reason=MESSAGE):
        stocktake = open_stocktake(
            name=f"{plan.today.year} Q{quarter} stocktake: Inpatient Tower 5F",
            locations=[places[FLOOR]],
            actor=counter,
        )
        # Most labels read with a phone's camera; a worn one typed in by hand.
        typed = reads[len(reads) // 2 :][:3]
        camera = [read for read in reads if read not in typed]
        record_scans(stocktake, camera, source=ScanSource.CAMERA, actor=counter)
        record_scans(stocktake, typed, source=ScanSource.MANUAL, actor=counter)
        # Reconciled once, so the results show what is still to be found.
        reconcile(stocktake)
    return stocktake
