from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from wardkeeper.inventory.models import Asset
from wardkeeper.inventory.services.figures import inventory_summary


@login_required
def home(request: HttpRequest) -> HttpResponse:
    context = {}
    if request.user.has_perm("inventory.view_asset"):
        context["summary"] = inventory_summary()
    return render(request, "core/home.html", context)


@login_required
def search(request: HttpRequest) -> HttpResponse:
    """Global search: an exact tag goes straight to its asset."""
    text = request.GET.get("q", "").strip()
    if not request.user.has_perm("inventory.view_asset"):
        return render(request, "core/search.html", {"q": text, "assets": []})
    assets = Asset.objects.with_related().search(text) if text else Asset.objects.none()
    exact = assets.filter(tag__iexact=text).first()
    if exact is not None:
        return redirect("inventory:asset-detail", pk=exact.pk)
    return render(request, "core/search.html", {"q": text, "assets": assets[:50]})
