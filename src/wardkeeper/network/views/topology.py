"""The topology page: a site's devices and links, drawn in the browser from
the topology API (cytoscape.js), with export to SVG and PNG."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from wardkeeper.network.services import topology


@login_required
@permission_required(
    ["network.view_interface", "network.view_cable"], raise_exception=True
)
def topology_page(request: HttpRequest) -> HttpResponse:
    sites = list(topology.sites())
    wanted = request.GET.get("site", "")
    site = next((s for s in sites if str(s.pk) == wanted), sites[0] if sites else None)
    return render(
        request,
        "network/topology/page.html",
        {
            "sites": sites,
            "site": site,
            "statuses": topology.legend(),
            "kinds": topology.KIND_SHAPES,
        },
    )
