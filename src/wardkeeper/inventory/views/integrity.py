"""The equipment integrity rate: in-use assets in working order over all
in-use assets, overall and for each department, worst first."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from wardkeeper.core.views.generic import style_form
from wardkeeper.inventory.filters import AssetFilter
from wardkeeper.inventory.models import Asset
from wardkeeper.inventory.services.figures import (
    integrity_by_department,
    integrity_rate,
)


@login_required
@permission_required("inventory.view_asset", raise_exception=True)
def integrity(request: HttpRequest) -> HttpResponse:
    """The rate overall and per department, as a table and a bar chart."""
    filterset = AssetFilter(request.GET, queryset=Asset.objects.all())
    style_form(filterset.form, small=True)
    filterset.form.fields["campus"].empty_label = _("All campuses")
    assets = filterset.qs if filterset.is_valid() else Asset.objects.all()
    departments = integrity_by_department(assets)
    chart = {
        "labels": [rate.label for rate in departments],
        "values": [rate.percent for rate in departments],
    }
    context = {
        "overall": integrity_rate(assets),
        "departments": departments,
        "chart": chart,
        "campus_field": filterset.form["campus"],
    }
    return render(request, "inventory/integrity.html", context)
