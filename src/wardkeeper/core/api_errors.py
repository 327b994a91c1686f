"""One error body for every API failure.

``{"error": {"code", "message", "fields": [{"field", "code", "message"}]}}`` —
a client can always show which field was wrong and why. ``fields`` is empty
when the failure is not about one input (401, 403, 404, 405, malformed JSON).
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import ProtectedError, RestrictedError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.fields import get_error_detail
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_handler

from wardkeeper.core.errors import DomainError


class Conflict(exceptions.APIException):
    """The request is sound but the data as it stands forbids it (409)."""

    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"


def _flatten(detail: Any, prefix: str = "") -> list[dict[str, str]]:
    """Nested DRF error details as a flat list of (field, code, message)."""
    items: list[dict[str, str]] = []
    if isinstance(detail, dict):
        for key, value in detail.items():
            name = (
                ""
                if key in (api_settings.NON_FIELD_ERRORS_KEY, NON_FIELD_ERRORS)
                else str(key)
            )
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
                "code": getattr(detail, "code", None) or "invalid",
                "message": str(detail),
            }
        )
    return items


def _protected(exc: ProtectedError | RestrictedError) -> Conflict:
    """Deleting a row others still point at: say what points at it."""
    objects = (
        exc.protected_objects
        if isinstance(exc, ProtectedError)
        else exc.restricted_objects
    )
    kinds = Counter(str(obj._meta.verbose_name_plural) for obj in objects)
    listing = ", ".join(f"{count} {kind}" for kind, count in sorted(kinds.items()))
    return Conflict(
        _("It cannot be deleted while other records refer to it: %(what)s.")
        % {"what": listing or _("unknown")},
        code="protected",
    )


def _as_api_exception(exc: Exception) -> Exception:
    """Domain and Django errors as the DRF exception with the right status."""
    if isinstance(exc, DomainError):
        return exceptions.ValidationError(
            {exc.field or api_settings.NON_FIELD_ERRORS_KEY: [exc.message]}, exc.code
        )
    if isinstance(exc, DjangoValidationError):
        detail = get_error_detail(exc)
        if not isinstance(detail, dict):
            detail = {api_settings.NON_FIELD_ERRORS_KEY: detail}
        return exceptions.ValidationError(detail)
    if isinstance(exc, ProtectedError | RestrictedError):
        return _protected(exc)
    if isinstance(exc, Http404):
        return exceptions.NotFound()
    return exc


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's handler, with every body rewritten into the one error shape."""
    exc = _as_api_exception(exc)
    response = drf_handler(exc, context)
    if response is None:
        return None  # not an API error: Django's 500 handling logs it
    assert isinstance(exc, exceptions.APIException)
    if isinstance(exc, exceptions.ValidationError):
        fields = _flatten(exc.detail)
        message = fields[0]["message"] if len(fields) == 1 else _("Invalid input.")
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
    return response
