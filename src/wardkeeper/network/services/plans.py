"""Floor plans: placing, moving and removing markers, what a plan page shows
of each marker (its name, link and, for a device, its monitoring status),
and an outlet's path to its switch port.

Writes go through ``Marker.save()``/``delete()``, which record the audit
entry; the acting user comes from the request, as for every page."""

from __future__ import annotations

from dataclasses import dataclass
from importlib import import_module
from typing import Any

from django.db import transaction
from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext as _

from wardkeeper.core.errors import DomainError
from wardkeeper.inventory.models import Asset, Location
from wardkeeper.monitoring.models import Check
from wardkeeper.network.choices import MarkerKind
from wardkeeper.network.models import FloorPlan, Marker, Outlet
from wardkeeper.network.services.topology import STATUS_COLOURS, UNMONITORED, _worst

# Which field of a marker names its thing, and how a person names that thing.
TARGETS: dict[str, tuple[str, Any, str]] = {
    MarkerKind.ROOM: ("room", Location, "code"),
    MarkerKind.OUTLET: ("outlet", Outlet, "label"),
    MarkerKind.DEVICE: ("device", Asset, "tag"),
}


class MarkerRefused(DomainError):
    """A marker that cannot be placed: unknown thing, out of the image."""


def _fraction(value: Any, field: str) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise MarkerRefused(_("A position is a number."), field=field) from None
    if not 0.0 <= number <= 1.0:
        raise MarkerRefused(_("The marker must be on the plan."), field=field)
    return number


def place_marker(plan: FloorPlan, kind: str, ref: str, x: Any, y: Any) -> Marker:
    """Put a marker for the room, outlet or device named ``ref`` (its code,
    label or tag) at (x, y); raises MarkerRefused when it names nothing."""
    if kind not in TARGETS:
        raise MarkerRefused(_("Choose room, outlet or device."), field="kind")
    field, model, key = TARGETS[kind]
    thing = model.objects.filter(**{f"{key}__iexact": ref.strip()}).first()
    if thing is None:
        raise MarkerRefused(
            _("Nothing has the code %(value)s.") % {"value": ref}, field="ref"
        )
    marker = Marker(
        plan=plan, kind=kind, x=_fraction(x, "x"), y=_fraction(y, "y"), **{field: thing}
    )
    with transaction.atomic():
        marker.save()
    return marker


def move_marker(marker: Marker, x: Any, y: Any) -> Marker:
    """Move a marker to (x, y), fractions of the image."""
    marker.x, marker.y = _fraction(x, "x"), _fraction(y, "y")
    with transaction.atomic():
        marker.save()
    return marker


def remove_marker(marker: Marker) -> None:
    with transaction.atomic():
        marker.delete()


@dataclass
class MarkerView:
    marker: Marker
    label: str
    url: str
    status: str = ""

    def as_json(self) -> dict[str, Any]:
        marker = self.marker
        return {
            "id": marker.pk,
            "kind": marker.kind,
            "x": marker.x,
            "y": marker.y,
            "label": self.label,
            "url": self.url,
            "status": self.status,
            "colour": STATUS_COLOURS.get(self.status, ""),
            "outlet": marker.outlet_id,
        }


def markers_of(plan: FloorPlan) -> list[MarkerView]:
    """The plan's markers with their names, links and device statuses, in
    three queries whatever their number."""
    markers = list(
        plan.markers.select_related("room", "outlet", "device").order_by("pk")
    )
    statuses = _device_statuses([m.device_id for m in markers if m.device_id])
    views = []
    for marker in markers:
        if marker.kind == MarkerKind.ROOM and marker.room:
            label = marker.room.name
            url = reverse("inventory:location-detail", args=[marker.room_id])
        elif marker.kind == MarkerKind.OUTLET and marker.outlet:
            label = marker.outlet.label
            url = reverse("network:plan-outlet", args=[marker.outlet_id])
        else:
            label = (
                f"{marker.device.name} ({marker.device.tag})" if marker.device else ""
            )
            url = reverse("inventory:asset-detail", args=[marker.device_id])
        status = statuses.get(marker.device_id or 0, UNMONITORED)
        views.append(MarkerView(marker, label, url, status if marker.device_id else ""))
    return views


def _device_statuses(assets: list[int]) -> dict[int, str]:
    counts: dict[int, dict[str, int]] = {}
    for asset, status, n in (
        Check.objects.filter(asset_id__in=assets, enabled=True)
        .values_list("asset_id", "status")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        counts.setdefault(asset, {})[status] = n
    return {asset: _worst(by_status) for asset, by_status in counts.items()}


def outlet_trace(outlet: Outlet) -> Any | None:
    """The outlet's cable path (services.trace's TracePath), or None while
    the trace service is not installed."""
    name = "wardkeeper.network.services.trace"
    try:
        trace = import_module(name)
    except ModuleNotFoundError as error:
        if error.name != name:
            raise  # the module is there but broken: say so loudly
        return None
    return trace.trace(outlet)
