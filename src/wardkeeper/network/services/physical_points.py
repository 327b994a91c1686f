"""The points a cable plugs into, as a person types them.

- an interface: "<device tag> <interface name>" ("SW-0001 Gi1/0/4");
- a patch-panel port: "<panel>:<port>" ("PP-A:4"), or "<room code>/<panel>:<port>"
  where two rooms have a panel of that name; plus the face;
- an outlet: its label ("ER-04").
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wardkeeper.core.errors import DomainError
from wardkeeper.network.choices import Face
from wardkeeper.network.models import Interface, Outlet, PanelPort
from wardkeeper.network.services.trace import Point

POINT_KINDS = [
    ("interface", gettext_lazy("interface")),
    ("port", gettext_lazy("patch-panel port")),
    ("outlet", gettext_lazy("outlet")),
]
SUGGESTIONS = 15


def point_text(point: Point) -> tuple[str, str, str]:
    """(kind, text, face) of a point, as the cable form shows it."""
    if isinstance(point, Interface):
        return "interface", f"{point.device.tag} {point.name}", ""
    if isinstance(point, Outlet):
        return "outlet", point.label, ""
    port, face = point
    return "port", f"{port.panel.location.code}/{port.panel.name}:{port.number}", face


def find_point(kind: str, text: str, face: str = "") -> tuple[Any, DomainError | None]:
    """The point ``text`` names, or (None, an error saying why not)."""
    text = text.strip()
    if kind == "interface":
        tag, _sep, name = text.partition(" ")
        found = (
            Interface.objects.select_related("device")
            .filter(device__tag__iexact=tag, name__iexact=name.strip())
            .first()
        )
        if found is None:
            return None, DomainError(
                _(
                    "No interface “%(value)s”: write the device tag, a space and the "
                    "interface name."
                )
                % {"value": text}
            )
        return found, None
    if kind == "outlet":
        outlet = Outlet.objects.filter(label__iexact=text).first()
        if outlet is None:
            return None, DomainError(
                _("No outlet has the label %(value)s.") % {"value": text}
            )
        return outlet, None
    if kind == "port":
        return _find_port(text, face)
    return None, DomainError(_("Choose interface, panel port or outlet."))


def _find_port(text: str, face: str) -> tuple[Any, DomainError | None]:
    panel_text, _sep, number = text.rpartition(":")
    room, _slash, name = panel_text.rpartition("/")
    if not number.strip().isdigit() or not name.strip():
        return None, DomainError(
            _("Write the panel and port as PP-A:4 (or ROOM/PP-A:4).")
        )
    ports = PanelPort.objects.select_related("panel__location").filter(
        panel__name__iexact=name.strip(), number=int(number)
    )
    if room.strip():
        ports = ports.filter(panel__location__code__iexact=room.strip())
    found = list(ports[:2])
    if not found:
        return None, DomainError(_("No panel port %(value)s.") % {"value": text})
    if len(found) > 1:
        return None, DomainError(
            _("Two rooms have a panel %(name)s: write ROOM/%(name)s:%(port)s.")
            % {"name": name.strip(), "port": number}
        )
    if face not in Face.values:
        return None, DomainError(_("Choose the front or the rear."), field="face")
    return (found[0], face), None


def suggest(kind: str, text: str) -> list[dict[str, str]]:
    """Up to 15 points of ``kind`` matching what has been typed so far."""
    text = text.strip()
    if len(text) < 2:
        return []
    if kind == "interface":
        tag, _sep, name = text.partition(" ")
        match = Q(device__tag__istartswith=tag) | Q(device__name__icontains=text)
        if name:
            match = Q(device__tag__iexact=tag, name__istartswith=name.strip())
        rows = (
            Interface.objects.filter(match)
            .order_by("device__tag", "name")
            .values_list("device__tag", "name", "device__name")[:SUGGESTIONS]
        )
        return [{"value": f"{t} {n}", "label": d} for t, n, d in rows]
    if kind == "outlet":
        outlets = (
            Outlet.objects.filter(
                Q(label__istartswith=text) | Q(description__icontains=text)
            )
            .order_by("label")
            .values_list("label", "location__full_name")[:SUGGESTIONS]
        )
        return [{"value": label, "label": room} for label, room in outlets]
    name, _sep, number = text.partition(":")
    ports = PanelPort.objects.filter(panel__name__istartswith=name.split("/")[-1])
    if number.strip().isdigit():
        ports = ports.filter(number=int(number))
    found = ports.order_by("panel__name", "number").values_list(
        "panel__location__code", "panel__name", "number", "panel__location__full_name"
    )[:SUGGESTIONS]
    return [{"value": f"{c}/{p}:{n}", "label": room} for c, p, n, room in found]


def start_point(query: Any) -> Point | None:
    """The point a trace query names (?outlet=, ?interface=, or ?port= with
    ?face=, front by default); None when it names none; Http404 when it names
    one that does not exist."""
    if str(query.get("outlet", "")).isdigit():
        return get_object_or_404(
            Outlet.objects.select_related("location"), pk=query["outlet"]
        )
    if str(query.get("interface", "")).isdigit():
        return get_object_or_404(
            Interface.objects.select_related("device"), pk=query["interface"]
        )
    if str(query.get("port", "")).isdigit():
        port = get_object_or_404(
            PanelPort.objects.select_related("panel"), pk=query["port"]
        )
        face = query.get("face") if query.get("face") in Face.values else Face.FRONT
        return (port, str(face))
    return None
