"""Store the planned network in bulk, with the audit trail: one "created"
entry per audited record, panel ports and cable ends as plain rows (they are
never audited on their own), each cable's entry naming its two ends.

The entries go through the audit's bulk path (``audit.append_events``): some
forty thousand of them, which through ``AuditEntry`` instances cost seconds.
"""

from __future__ import annotations

from typing import TypeVar

from django.db import models

from wardkeeper.core import audit
from wardkeeper.core.models.audit import AuditAction
from wardkeeper.inventory.demo.writer import MESSAGE, demo_context
from wardkeeper.network.choices import CableSide
from wardkeeper.network.demo.parts import Out, Point, describe
from wardkeeper.network.models import (
    Cable,
    CableEnd,
    CableTest,
    Interface,
    Outlet,
    PanelPort,
    PatchPanel,
    Placement,
    Rack,
)

BATCH = 1000
M = TypeVar("M", bound=models.Model)


def insert(model: type[M], rows: list[M]) -> list[M]:
    """Bulk-create ``rows`` (ids are set on them) and audit their creation."""
    created = model._default_manager.bulk_create(rows, batch_size=500)
    audit.record_created(created, message=MESSAGE, context=demo_context())
    return created


def write(out: Out) -> None:
    insert(Rack, out.racks)
    insert(Placement, out.placements)
    insert(PatchPanel, out.panels)
    PanelPort.objects.bulk_create(out.ports, batch_size=BATCH)
    insert(Outlet, out.outlets)
    insert(Interface, out.interfaces)
    through = Interface.tagged_vlans.through
    through.objects.bulk_create(
        [
            through(interface_id=interface.pk, vlan_id=vlan.pk)
            for interface, vlans in out.tagged
            for vlan in vlans
        ],
        batch_size=BATCH,
    )
    _cables(out)
    insert(CableTest, out.tests)


def _end(cable: Cable, side: str, point: Point) -> CableEnd:
    if isinstance(point, Interface):
        return CableEnd(cable=cable, side=side, interface=point)
    if isinstance(point, Outlet):
        return CableEnd(cable=cable, side=side, outlet=point)
    port, face = point
    return CableEnd(cable=cable, side=side, port=port, face=face)


def _cables(out: Out) -> None:
    cables = Cable.objects.bulk_create([c for c, _a, _b in out.cables], batch_size=500)
    events = []
    for cable, a, b in out.cables:
        changes = audit.diff(None, cable.audit_values())
        changes["ends"] = [None, f"{describe(a)} ↔ {describe(b)}"]
        events.append(audit.Event(AuditAction.CREATE, cable, changes, MESSAGE))
    audit.append_events(events, context=demo_context())
    CableEnd.objects.bulk_create(
        [
            end
            for cable, a, b in out.cables
            for end in (_end(cable, CableSide.A, a), _end(cable, CableSide.B, b))
        ],
        batch_size=BATCH,
    )
    assert len(cables) == len(out.cables)
