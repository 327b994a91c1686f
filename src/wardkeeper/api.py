"""The API's one router. Each area registers its viewsets in its own
``api.py``; this module only gathers them under /api/.

It also describes the Bearer token scheme to the OpenAPI schema, so the
interactive docs page offers an "Authorize" box for a token.
"""

from __future__ import annotations

from importlib.util import find_spec
from typing import Any

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework.routers import DefaultRouter

from wardkeeper.continuity.api import register as register_continuity
from wardkeeper.core.api import register as register_core
from wardkeeper.inventory.api import register as register_inventory
from wardkeeper.monitoring.api import register as register_monitoring
from wardkeeper.network.api import register as register_network
from wardkeeper.servicedesk.api import register as register_servicedesk


class BearerTokenScheme(OpenApiAuthenticationExtension):
    """``Authorization: Bearer wk_…`` in the schema's security schemes."""

    target_class = "wardkeeper.core.api_auth.BearerTokenAuthentication"
    name = "bearerToken"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "An API token made under Profile → API tokens.",
        }


class PollerTokenScheme(OpenApiAuthenticationExtension):
    """``Authorization: Poller wkp_…``, the remote pollers' own tokens."""

    target_class = "wardkeeper.monitoring.api_pollers.PollerTokenAuthentication"
    name = "pollerToken"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "'Poller <token>', the token shown when the poller "
            "was made (Monitoring → Pollers).",
        }


ERROR_SCHEMA = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["code", "message", "fields"],
            "properties": {
                "code": {"type": "string", "example": "invalid"},
                "message": {"type": "string"},
                "fields": {
                    "type": "array",
                    "description": "One item per input at fault; empty when the "
                    "failure is not about one input.",
                    "items": {
                        "type": "object",
                        "required": ["field", "code", "message"],
                        "properties": {
                            "field": {"type": "string", "example": "status"},
                            "code": {"type": "string"},
                            "message": {"type": "string"},
                        },
                    },
                },
            },
        }
    },
}


def error_responses(result: dict[str, Any], **_kwargs: Any) -> dict[str, Any]:
    """Schema post-processing: every operation can fail with the one error body
    (see ``core/api_errors.py``), whatever 4xx status it answers."""
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = (
        ERROR_SCHEMA
    )
    response = {
        "description": "The request was refused; the body says which input and why.",
        "content": {
            "application/json": {"schema": {"$ref": "#/components/schemas/Error"}}
        },
    }
    for path in result.get("paths", {}).values():
        for operation in path.values():
            operation.setdefault("responses", {}).setdefault("4XX", response)
    return result


router = DefaultRouter()
register_core(router)
register_inventory(router)
register_servicedesk(router)
register_monitoring(router)
register_network(router)
register_continuity(router)

# Stocktakes and import/export add their endpoints when their modules are in
# place; an error inside one of them still fails loudly.
if find_spec("wardkeeper.inventory.api_stocktakes") is not None:
    from wardkeeper.inventory.api_stocktakes import register as register_stocktakes

    register_stocktakes(router)
if find_spec("wardkeeper.inventory.api_transfer") is not None:
    from wardkeeper.inventory.api_transfer import register as register_transfer

    register_transfer(router)
