from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect

from wardkeeper.inventory.models import Asset


@login_required
def scan_target(request: HttpRequest, tag: str) -> HttpResponse:
    """Where a label's QR code leads: the asset's page."""
    asset = get_object_or_404(Asset, tag=tag)
    return redirect("inventory:asset-detail", pk=asset.pk)
