"""Racks: placing a device at a position and face, and patch panels with
their ports 1…N.

A device takes the units ``position`` … ``position + height_u - 1`` on its
face; a full-depth device takes them on both faces. A patch panel in a rack
takes its units on both faces (its rear carries the punched-down cables).
Writes go through the audited ``save()``; each operation is one transaction.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from wardkeeper.core.errors import DomainError
from wardkeeper.network.choices import Face
from wardkeeper.network.models import CableEnd, PanelPort, PatchPanel, Placement, Rack


class PlacementRefused(DomainError):
    """A device or panel that does not fit where it was asked to go."""


class PortsRefused(DomainError):
    """A port count that would drop ports carrying cables."""


@dataclass(frozen=True)
class Occupant:
    """Something mounted in a rack: a device placement or a patch panel."""

    name: str
    bottom: int
    height: int
    faces: frozenset[str]
    placement: Placement | None = None
    panel: PatchPanel | None = None

    @property
    def top(self) -> int:
        return self.bottom + self.height - 1

    def takes(self, unit: int, face: str) -> bool:
        return self.bottom <= unit <= self.top and face in self.faces


BOTH = frozenset({Face.FRONT.value, Face.REAR.value})


def occupants(rack: Rack) -> list[Occupant]:
    """What is mounted in ``rack``, devices and panels, in two queries."""
    found = [
        Occupant(
            name=str(p.asset),
            bottom=p.position,
            height=p.height_u,
            faces=BOTH if p.full_depth else frozenset({p.face}),
            placement=p,
        )
        for p in rack.placements.select_related("asset")
    ]
    found += [
        Occupant(
            name=panel.name,
            bottom=panel.position or 1,
            height=panel.height_u,
            faces=BOTH,
            panel=panel,
        )
        for panel in rack.panels.filter(position__isnull=False)
    ]
    return found


def _check_fits(
    rack: Rack,
    bottom: int,
    height: int,
    faces: frozenset[str],
    *,
    skip: Placement | PatchPanel | None,
) -> None:
    """Raise PlacementRefused naming the first unit taken or beyond the top."""
    if bottom < 1:
        raise PlacementRefused(_("The lowest unit is U1."), field="position")
    top = bottom + height - 1
    if top > rack.height_u:
        raise PlacementRefused(
            _("U%(top)d is above the top of %(rack)s (%(height)dU).")
            % {"top": top, "rack": rack.name, "height": rack.height_u},
            field="position",
        )
    for other in occupants(rack):
        if skip is not None and (other.placement or other.panel) == skip:
            continue
        for unit in range(bottom, top + 1):
            for face in sorted(faces):
                if other.takes(unit, face):
                    raise PlacementRefused(
                        _("U%(unit)d (%(face)s) is taken by %(other)s.")
                        % {
                            "unit": unit,
                            "face": Face(face).label,
                            "other": other.name,
                        },
                        field="position",
                    )


def place_device(placement: Placement) -> Placement:
    """Save a device's placement after checking it fits in its rack; raises
    PlacementRefused naming the unit and the device already there."""
    faces = BOTH if placement.full_depth else frozenset({placement.face})
    with transaction.atomic():
        rack = Rack.objects.select_for_update().get(pk=placement.rack_id)
        _check_fits(
            rack,
            placement.position,
            placement.height_u,
            faces,
            skip=placement if placement.pk else None,
        )
        placement.save()
    return placement


def save_panel(panel: PatchPanel) -> PatchPanel:
    """Save a patch panel and make its ports 1…N match ``panel.ports``: new
    ports are added; dropping ports is refused while one carries a cable
    (PortsRefused names it). A panel in a rack must fit there."""
    with transaction.atomic():
        if panel.rack_id and panel.position:
            rack = Rack.objects.select_for_update().get(pk=panel.rack_id)
            _check_fits(
                rack,
                panel.position,
                panel.height_u,
                BOTH,
                skip=panel if panel.pk else None,
            )
        if panel.pk:
            _refuse_dropping_cabled_ports(panel)
        panel.save()
        have = set(panel.panel_ports.values_list("number", flat=True))
        PanelPort.objects.bulk_create(
            PanelPort(panel=panel, number=n)
            for n in range(1, panel.ports + 1)
            if n not in have
        )
        panel.panel_ports.filter(number__gt=panel.ports).delete()
    return panel


def _refuse_dropping_cabled_ports(panel: PatchPanel) -> None:
    cabled = (
        CableEnd.objects.filter(port__panel=panel, port__number__gt=panel.ports)
        .select_related("cable", "port")
        .order_by("port__number")
        .first()
    )
    if cabled is not None:
        raise PortsRefused(
            _(
                "Port %(port)d carries cable %(cable)s: move or delete it before "
                "reducing the panel to %(ports)d ports."
            )
            % {
                "port": cabled.port.number,  # type: ignore[union-attr]
                "cable": cabled.cable,
                "ports": panel.ports,
            },
            field="ports",
        )


def elevation(rack: Rack) -> dict[str, list[dict[str, object]]]:
    """The rack's front and rear, top unit first: for each face a list of
    rows, either an occupant (drawn over its ``units``) or an empty unit."""
    found = occupants(rack)
    faces: dict[str, list[dict[str, object]]] = {}
    for face in (Face.FRONT, Face.REAR):
        rows: list[dict[str, object]] = []
        unit = rack.height_u
        while unit >= 1:
            here = next((o for o in found if o.takes(unit, face)), None)
            if here is None:
                rows.append({"unit": unit, "units": [unit], "occupant": None})
                unit -= 1
                continue
            # Drawn from this unit down, even if it reaches above (bad data).
            units = list(range(min(here.top, unit), here.bottom - 1, -1))
            rows.append({"unit": unit, "units": units, "occupant": here})
            unit = here.bottom - 1
        faces[face] = rows
    return faces
