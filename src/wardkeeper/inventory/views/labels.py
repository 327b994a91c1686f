"""Labels: where a label's QR code leads, and printable label sheets."""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from wardkeeper.inventory.filters import AssetFilter
from wardkeeper.inventory.models import Asset
from wardkeeper.inventory.models.assets import AssetQuerySet
from wardkeeper.inventory.services.labels import label_sheet_pdf

# A sheet is 24 labels; 1,000 labels is 42 sheets, more than anyone sticks on
# in one go, and about as much as a request should render.
LABEL_LIMIT = 1000


@login_required
def scan_target(request: HttpRequest, tag: str) -> HttpResponse:
    """Where a label's QR code leads. IT staff (who can read both the
    inventory and the service desk) land on the asset's page, which carries
    a "Report a fault" button; everyone else (ward staff) lands on the fault
    report with the device filled in. ``?report=1`` always leads to the report."""
    asset = get_object_or_404(Asset, tag=tag)
    user = request.user
    is_it_staff = user.has_perm("inventory.view_asset") and user.has_perm(
        "servicedesk.view_ticket"
    )
    if is_it_staff and request.GET.get("report") != "1":
        return redirect("inventory:asset-detail", pk=asset.pk)
    query = urlencode({"asset": asset.tag, "via": "label"})
    return redirect(f"{reverse('servicedesk:report')}?{query}")


def selected_assets(request: HttpRequest) -> AssetQuerySet:
    """The assets named by ``asset=<id>`` (repeatable), or else those matching
    the asset list's filters."""
    assets = Asset.objects.select_related("location").order_by("tag")
    ids = [value for value in request.GET.getlist("asset") if value.isdigit()]
    if ids:
        return assets.filter(pk__in=ids)
    filterset = AssetFilter(request.GET, queryset=assets)
    return filterset.qs if filterset.is_valid() else assets.none()


@login_required
@permission_required("inventory.view_asset", raise_exception=True)
def labels(request: HttpRequest) -> HttpResponse:
    """A PDF sheet of labels for the chosen assets, shown in the browser."""
    assets = list(selected_assets(request)[: LABEL_LIMIT + 1])
    refusal = ""
    if not assets:
        refusal = _("No asset matches: there is nothing to print.")
    elif len(assets) > LABEL_LIMIT:
        refusal = _(
            "More than %(limit)d assets match. Labels print %(limit)d at a time: "
            "narrow the filter (by place or department, for example)."
        ) % {"limit": LABEL_LIMIT}
    if refusal:
        query = request.GET.urlencode()
        return render(
            request,
            "inventory/labels_refused.html",
            {"refusal": refusal, "querystring": query},
            status=400,
        )
    pdf = label_sheet_pdf(assets, base_url=settings.SITE_URL)
    response = HttpResponse(pdf, content_type="application/pdf")
    stamp = timezone.localdate().strftime("%Y%m%d")
    response["Content-Disposition"] = f'inline; filename="labels-{stamp}.pdf"'
    return response
