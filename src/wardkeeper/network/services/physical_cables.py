"""Cables between any two of: an interface, one face of a patch-panel port,
an outlet.

A point carries at most one cable. Deleting a cable frees its two points; a
cable marked "removed" keeps its ends (the record of what it joined) and
still holds its points until it is deleted — the trace stops at it. The ends
are written in the cable's audit trail ("ends" change), since CableEnd rows
are not audited on their own.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.utils.translation import gettext as _

from wardkeeper.core import audit
from wardkeeper.core.errors import DomainError
from wardkeeper.core.models.audit import AuditAction
from wardkeeper.network.choices import UNCABLED_KINDS, CableSide, Face, InterfaceKind
from wardkeeper.network.models import Cable, CableEnd, CableTest, Interface, Outlet
from wardkeeper.network.services.trace import (
    Point,
    point_key,
    point_label,
    point_of,
)


class CableRefused(DomainError):
    """Two points that cannot be joined by this cable."""


def _on(point: Point) -> Q:
    if isinstance(point, Interface):
        return Q(interface=point)
    if isinstance(point, Outlet):
        return Q(outlet=point)
    port, face = point
    return Q(port=port, face=face)


def check_point(point: Point | None, side: str, *, cable: Cable | None) -> Point:
    """The point, if ``cable`` can go on it; else raise CableRefused (field
    ``a`` or ``b``) saying why."""
    if point is None:
        raise CableRefused(_("Choose what this end is plugged into."), field=side)
    if isinstance(point, Interface) and point.kind in UNCABLED_KINDS:
        raise CableRefused(
            _("%(point)s is a %(kind)s interface: no cable plugs into it.")
            % {"point": point, "kind": InterfaceKind(point.kind).label},
            field=side,
        )
    if isinstance(point, tuple) and point[1] not in Face.values:
        raise CableRefused(_("Choose the front or the rear."), field=side)
    taken = CableEnd.objects.filter(_on(point)).select_related("cable")
    if cable is not None and cable.pk:
        taken = taken.exclude(cable=cable)
    other = taken.first()
    if other is not None:
        raise CableRefused(
            _("%(point)s already carries cable %(cable)s.")
            % {"point": point_label(point), "cable": other.cable},
            field=side,
        )
    return point


def _end(cable: Cable, side: str, point: Point) -> CableEnd:
    end = CableEnd(cable=cable, side=side)
    if isinstance(point, Interface):
        end.interface = point
    elif isinstance(point, Outlet):
        end.outlet = point
    else:
        end.port, end.face = point
    return end


def current_ends(cable: Cable) -> dict[str, Point]:
    """The cable's points by side (``a``, ``b``), in one query."""
    ends = cable.ends.select_related("interface__device", "outlet", "port__panel")
    return {end.side: point_of(end) for end in ends}


def connect(cable: Cable, a: Point | None, b: Point | None) -> Cable:
    """Save ``cable`` (new or changed) with its A end on ``a`` and its B end on
    ``b``; raises CableRefused naming the end at fault, changing nothing."""
    a = check_point(a, CableSide.A, cable=cable)
    b = check_point(b, CableSide.B, cable=cable)
    if point_key(a) == point_key(b):
        raise CableRefused(
            _("Both ends are on %(point)s: a cable joins two points.")
            % {"point": point_label(a)},
            field=CableSide.B,
        )
    with transaction.atomic():
        before = current_ends(cable) if cable.pk else {}
        cable.save()
        after = {CableSide.A.value: a, CableSide.B.value: b}
        changed = {
            side: [point_label(before.get(side)), point_label(point)]
            for side, point in after.items()
            if point_label(before.get(side)) != point_label(point)
        }
        if changed:
            # Delete, then insert: moving an end from A to B must not meet the
            # one-cable-per-point constraint half way.
            cable.ends.all().delete()
            CableEnd.objects.bulk_create(_end(cable, s, p) for s, p in after.items())
            audit.record(
                AuditAction.UPDATE,
                cable,
                changes={f"end_{side}": change for side, change in changed.items()},
            )
    return cable


def delete_cable(cable: Cable) -> None:
    """Delete the cable; its two points are free for another."""
    with transaction.atomic():
        cable.delete()


def latest_test_passed(rows: QuerySet[Cable]) -> QuerySet[Cable]:
    """Annotate ``last_passed``: the result of each cable's latest test, None
    for a cable never tested."""
    latest = CableTest.objects.filter(cable=OuterRef("pk")).order_by(
        "-tested_on", "-pk"
    )
    return rows.annotate(last_passed=Subquery(latest.values("passed")[:1]))


def needing_test(rows: QuerySet[Cable]) -> QuerySet[Cable]:
    """Cables never tested or whose latest test failed."""
    passed = CableTest.objects.filter(cable=OuterRef("pk"))
    return latest_test_passed(rows).filter(~Exists(passed) | Q(last_passed=False))


def record_test(test: CableTest) -> CableTest:
    """Store a cable test (with the instrument's file, if any)."""
    with transaction.atomic():
        test.save()
    return test
