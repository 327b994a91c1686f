"""The camera page of a stocktake, built for a phone, and the endpoint each
read is posted to.

The page (static/wardkeeper/scan.js) reads QR labels with the camera and posts
each new tag; a worn label's tag can be typed instead. Without JavaScript the
typed-tag form still works: the endpoint then redirects back with a message.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from wardkeeper.core.errors import DomainError
from wardkeeper.inventory.choices import ScanSource
from wardkeeper.inventory.models import Asset, Location, Stocktake
from wardkeeper.inventory.models.locations import SEPARATOR
from wardkeeper.inventory.services import stocktakes as service


@login_required
@permission_required("inventory.change_stocktake", raise_exception=True)
def stocktake_scan(request: HttpRequest, pk: int) -> HttpResponse:
    """The phone page: choose the room being counted, then scan its labels."""
    stocktake = get_object_or_404(Stocktake, pk=pk)
    places = [
        {**place, "group": place["full_name"].rpartition(SEPARATOR)[0]}
        for place in service.scope_locations(stocktake).values(
            "pk", "code", "name", "full_name"
        )
    ]
    # Grouped by the place they are in, so a phone's picker shows short names.
    places.sort(key=lambda place: (place["group"], place["name"]))
    chosen = request.GET.get("location", "")
    context = {
        "object": stocktake,
        "places": places,
        "chosen": int(chosen) if chosen.isdigit() else None,
        # Scanning a room's own code label switches the room being counted.
        "room_codes": {str(p["code"]).upper(): p["pk"] for p in places},
        "scan_count": stocktake.scans.count(),
    }
    return render(request, "inventory/stocktake_scan.html", context)


def _place(stocktake: Stocktake, value: str) -> Location | None:
    """The place a read was made in: empty, or a place counted by the stocktake."""
    if not value:
        return None
    place = (
        service.scope_locations(stocktake).filter(pk=value).first()
        if value.isdigit()
        else None
    )
    if place is None:
        raise DomainError(_("Choose a place this stocktake counts."), field="location")
    return place


def _read(stocktake: Stocktake, request: HttpRequest) -> dict[str, Any]:
    """Record one read from the request; what the person scanning should see."""
    source = request.POST.get("source", ScanSource.MANUAL)
    if source not in (ScanSource.CAMERA, ScanSource.MANUAL):
        raise DomainError(
            _("Unknown scan source %(s)s.") % {"s": source}, field="source"
        )
    tag = service.tag_from_text(request.POST.get("text", ""))
    if not tag:
        raise DomainError(_("Type or scan an asset tag."), field="text")
    place = _place(stocktake, request.POST.get("location", "").strip())
    # A tag typed by hand in lower case still names its asset.
    asset = Asset.objects.filter(tag__iexact=tag).only("tag", "name").first()
    if asset is not None:
        tag = asset.tag
    service.record_scans(
        stocktake,
        [(tag, place.pk if place else None)],
        source=source,
        actor=request.user,
    )
    return {
        "tag": tag,
        "known": asset is not None,
        "name": asset.name if asset else "",
        "message": f"{tag} · {asset.name}"
        if asset
        else _("%(tag)s: unknown tag, recorded; it will show as unexpected.")
        % {"tag": tag},
        "place": str(place) if place else "",
        "scans": stocktake.scans.count(),
    }


def _wants_json(request: HttpRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "")


@login_required
@permission_required("inventory.change_stocktake", raise_exception=True)
@require_POST
def stocktake_scan_record(request: HttpRequest, pk: int) -> HttpResponse:
    """Record one read (camera or typed); JSON for the page's script, else a
    redirect back to the camera page with a message."""
    stocktake = get_object_or_404(Stocktake, pk=pk)
    try:
        result = _read(stocktake, request)
    except DomainError as exc:
        if _wants_json(request):
            return JsonResponse({"error": exc.message, "field": exc.field}, status=400)
        messages.error(request, exc.message)
    else:
        if _wants_json(request):
            return JsonResponse(result)
        level = messages.success if result["known"] else messages.warning
        level(request, result["message"])
    back = reverse("inventory:stocktake-scan", args=[pk])
    location = request.POST.get("location", "")
    return redirect(f"{back}?location={location}" if location.isdigit() else back)
