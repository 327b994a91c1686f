"""``/metrics``: check states and the backups' RPO figures for Prometheus,
behind an API token."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from rest_framework.exceptions import AuthenticationFailed

from wardkeeper.core.api_auth import BearerTokenAuthentication
from wardkeeper.monitoring.services import metrics

PERMISSION = "monitoring.view_metrics"


@require_GET
def metrics_view(request: HttpRequest) -> HttpResponse:
    """Prometheus text exposition; 401 without a valid token, 403 without
    ``monitoring.view_metrics``."""
    try:
        found = BearerTokenAuthentication().authenticate(request)
    except AuthenticationFailed as exc:
        found, reason = None, str(exc.detail)
    else:
        reason = _("An API token is needed: Authorization: Bearer <token>.")
    if found is None:
        response = HttpResponse(reason, status=401, content_type="text/plain")
        response["WWW-Authenticate"] = 'Bearer realm="wardkeeper"'
        return response
    user, _token = found
    if not user.has_perm(PERMISSION):
        return HttpResponse(
            _("This token's user may not read the metrics."),
            status=403,
            content_type="text/plain",
        )
    return HttpResponse(metrics.exposition(), content_type=metrics.CONTENT_TYPE)
