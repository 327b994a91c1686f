"""One error body for every API failure.

``{"error": {"code", "message", "fields": [{"field", "code", "message"}]}}`` —
a client can always show which field was wrong and why.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_handler

from wardkeeper.core.errors import DomainError


def _flatten(detail: Any, prefix: str = "") -> list[dict[str, str]]:
    """Nested DRF error details as a flat list of (field, code, message)."""
    items: list[dict[str, str]] = []
    if isinstance(detail, dict):
        for key, value in detail.items():
            name = key if key != "non_field_errors" else ""
            field = f"{prefix}.{name}" if prefix and name else (name or prefix)
            items += _flatten(value, field)
    elif isinstance(detail, list):
        for index, value in enumerate(detail):
            nested = isinstance(value, dict | list)
            items += _flatten(value, f"{prefix}[{index}]" if nested else prefix)
    else:
        items.append(
            {
                "field": prefix,
                "code": getattr(detail, "code", "invalid"),
                "message": str(detail),
            }
        )
    return items


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, DomainError):
        exc = exceptions.ValidationError(
            {exc.field or "non_field_errors": [exc.message]}, exc.code
        )
    elif isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(
            exc.message_dict
            if hasattr(exc, "error_dict")
            else {"non_field_errors": exc.messages}
        )
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    response = drf_handler(exc, context)
    if response is None:
        return None
    assert isinstance(exc, exceptions.APIException)
    if isinstance(exc, exceptions.ValidationError):
        fields = _flatten(exc.detail)
        message = fields[0]["message"] if len(fields) == 1 else "Invalid input."
        body = {"error": {"code": "invalid", "message": message, "fields": fields}}
    else:
        codes = exc.get_codes()
        body = {
            "error": {
                "code": codes if isinstance(codes, str) else "error",
                "message": str(exc.detail),
                "fields": [],
            }
        }
    response.data = body
    if (
        response.status_code == status.HTTP_403_FORBIDDEN
        and not context["request"].user.is_authenticated
    ):
        response.status_code = status.HTTP_401_UNAUTHORIZED
    return response
