"""Priority rules: impact and urgency give P1-P4; the clinical criticality of
the place (or the asset's own override) raises a fault's priority.

=============  =======  =========  =======
impact \\ urg.  high     medium     low
=============  =======  =========  =======
wide           P1       P2         P3
some           P2       P3         P4
one            P3       P4         P4
=============  =======  =========  =======

A fault (corrective maintenance) on equipment in a critical place (operating
theatre, ICU, emergency) is P1; in a place of high criticality it is at
least P2. Requests (adaptive, perfective, preventive work) keep the matrix.
An engineer may lower the result, giving a reason (services/tickets.py).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from wardkeeper.inventory.choices import Criticality
from wardkeeper.servicedesk.choices import MaintenanceKind, Priority


@dataclass(frozen=True)
class Verdict:
    priority: Priority
    reason: str | Promise  # why, in words the reporter and engineer understand


def matrix(impact: int, urgency: int) -> Priority:
    return Priority(min(Priority.P4, impact + urgency - 1))


def decide(impact: int, urgency: int, kind: str, criticality: int | None) -> Verdict:
    """The priority the rules give, and the reason for it."""
    base = matrix(impact, urgency)
    if kind != MaintenanceKind.CORRECTIVE or criticality is None:
        return Verdict(base, _("impact and urgency"))
    if criticality == Criticality.CRITICAL:
        return Verdict(
            Priority.P1,
            _(
                "a fault in a place of critical clinical importance (theatre, ICU, emergency)"
            ),
        )
    if criticality == Criticality.HIGH and base > Priority.P2:
        return Verdict(Priority.P2, _("a fault in a place of high clinical importance"))
    return Verdict(base, _("impact and urgency"))


def criticality_of(asset: object | None, location: object | None) -> int | None:
    """The asset's own criticality (its override or its room's), else the
    place's, else None (nothing known about where the fault is)."""
    if asset is not None:
        return int(asset.criticality)  # type: ignore[attr-defined]
    if location is not None:
        return int(location.criticality)  # type: ignore[attr-defined]
    return None
