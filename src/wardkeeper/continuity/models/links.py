"""The optional links of the continuity records: to whoever did something, to
a ticket, to where a thing stands. A link may be empty, and it empties when
what it names is deleted, so a record outlives a user who left or a device
that was retired."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import models

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

__all__ = ["optional_link", "ticket_link", "user_link"]


def optional_link(
    to: str, verbose_name: StrOrPromise, related_name: str = "+", **extra: Any
) -> models.ForeignKey[Any, Any]:
    """A link that may be empty; ``related_name`` "+" leaves no way back."""
    return models.ForeignKey(
        to,
        verbose_name=verbose_name,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name=related_name,
        **extra,
    )


def user_link(verbose_name: StrOrPromise) -> models.ForeignKey[Any, Any]:
    """Who did it (drafted, approved, led, started …)."""
    return optional_link(settings.AUTH_USER_MODEL, verbose_name)


def ticket_link(verbose_name: StrOrPromise) -> models.ForeignKey[Any, Any]:
    """The service-desk ticket raised for it."""
    return optional_link("servicedesk.Ticket", verbose_name)
