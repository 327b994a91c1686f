"""Restoring service: spare swaps, vendor repairs (RMA) and problems
(owned by the restore work). The flows live in services/swap.py,
services/rma.py and services/problems.py; docs/servicedesk-restore.md."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wardkeeper.core.models.base import AuditedModel

__all__ = [
    "RMA_MOVES",
    "Problem",
    "ProblemStatus",
    "Rma",
    "RmaState",
    "SpareSwap",
]


class ProblemStatus(models.TextChoices):
    OPEN = "open", _("open")
    KNOWN_ERROR = "known_error", _("known error")
    RESOLVED = "resolved", _("resolved")

    @property
    def badge(self) -> str:
        return {"open": "danger", "known_error": "warning", "resolved": "success"}[
            self.value
        ]


class Problem(AuditedModel):
    """The cause behind recurring incidents: tickets link to it (Ticket.problem).

    A *known error* has its root cause or a workaround written down; a resolved
    problem says when it was resolved."""

    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=ProblemStatus.choices,
        default=ProblemStatus.OPEN,
    )
    root_cause = models.TextField(_("root cause"), blank=True)
    workaround = models.TextField(_("workaround"), blank=True)
    asset_model = models.ForeignKey(
        "inventory.AssetModel",
        verbose_name=_("model"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="problems",
    )
    asset = models.ForeignKey(
        "inventory.Asset",
        verbose_name=_("asset"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="problems",
    )
    created_at = models.DateTimeField(_("recorded"), default=timezone.now)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)

    badge_choices = {"status": ProblemStatus}

    class Meta:
        verbose_name = _("problem")
        verbose_name_plural = _("problems")
        ordering = ["-id"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("servicedesk:problem-detail", args=[self.pk])

    def clean(self) -> None:
        if self.status == ProblemStatus.KNOWN_ERROR and not (
            self.root_cause.strip() or self.workaround.strip()
        ):
            raise ValidationError(
                {
                    "workaround": _(
                        "A known error has its root cause or a workaround written down."
                    )
                }
            )

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.status == ProblemStatus.RESOLVED and self.resolved_at is None:
            self.resolved_at = timezone.now()
        elif self.status != ProblemStatus.RESOLVED:
            self.resolved_at = None
        super().save(*args, **kwargs)


class SpareSwap(AuditedModel):
    """A faulty asset replaced by a spare from a pool (services/swap.py)."""

    ticket = models.ForeignKey(
        "servicedesk.Ticket",
        verbose_name=_("ticket"),
        on_delete=models.CASCADE,
        related_name="swaps",
    )
    faulty = models.ForeignKey(
        "inventory.Asset",
        verbose_name=_("faulty asset"),
        on_delete=models.PROTECT,
        related_name="swapped_out",
    )
    spare = models.ForeignKey(
        "inventory.Asset",
        verbose_name=_("spare put in"),
        on_delete=models.PROTECT,
        related_name="swapped_in",
    )
    pool = models.ForeignKey(
        "inventory.SparePool",
        verbose_name=_("spare pool"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="swaps",
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    at = models.DateTimeField(_("time"), default=timezone.now)

    class Meta:
        verbose_name = _("spare swap")
        verbose_name_plural = _("spare swaps")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.faulty} → {self.spare}"


class RmaState(models.TextChoices):
    REQUESTED = "requested", _("requested")
    SHIPPED = "shipped", _("shipped")
    AT_VENDOR = "at_vendor", _("at the vendor")
    RETURNED = "returned", _("returned")
    CLOSED = "closed", _("closed")
    CANCELLED = "cancelled", _("cancelled")

    @property
    def badge(self) -> str:
        return {
            "requested": "info",
            "shipped": "warning",
            "at_vendor": "warning",
            "returned": "primary",
            "closed": "secondary",
            "cancelled": "light",
        }[self.value]


# Once the device has left, the way out is its return (repaired or not).
RMA_MOVES: dict[str, frozenset[str]] = {
    RmaState.REQUESTED: frozenset({RmaState.SHIPPED, RmaState.CANCELLED}),
    RmaState.SHIPPED: frozenset({RmaState.AT_VENDOR, RmaState.RETURNED}),
    RmaState.AT_VENDOR: frozenset({RmaState.RETURNED}),
    RmaState.RETURNED: frozenset({RmaState.CLOSED}),
    RmaState.CLOSED: frozenset(),
    RmaState.CANCELLED: frozenset(),
}
OPEN_RMA_STATES = frozenset(
    {RmaState.REQUESTED, RmaState.SHIPPED, RmaState.AT_VENDOR, RmaState.RETURNED}
)


class Rma(AuditedModel):
    """A device sent to its vendor for repair (return merchandise
    authorisation), with the contract's response and restore terms tracked.

    The vendor's response clock runs from the request to the vendor's answer
    (``vendor_responded_at``, set when the RMA number is first recorded unless
    given); the restore clock runs from shipping to the device's return."""

    ticket = models.ForeignKey(
        "servicedesk.Ticket",
        verbose_name=_("ticket"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="rmas",
    )
    asset = models.ForeignKey(
        "inventory.Asset",
        verbose_name=_("asset"),
        on_delete=models.PROTECT,
        related_name="rmas",
    )
    vendor = models.ForeignKey(
        "inventory.Vendor",
        verbose_name=_("vendor"),
        on_delete=models.PROTECT,
        related_name="rmas",
    )
    contract = models.ForeignKey(
        "inventory.Contract",
        verbose_name=_("contract"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="rmas",
    )
    # Whether the contract covered the asset on the day of the request.
    covered = models.BooleanField(_("covered by the contract"), default=False)
    number = models.CharField(_("RMA number"), max_length=80, blank=True)
    state = models.CharField(
        _("state"), max_length=10, choices=RmaState.choices, default=RmaState.REQUESTED
    )
    fault = models.TextField(_("fault reported to the vendor"), blank=True)
    requested_at = models.DateTimeField(_("requested"), default=timezone.now)
    vendor_responded_at = models.DateTimeField(
        _("vendor responded"), null=True, blank=True
    )
    shipped_at = models.DateTimeField(_("shipped"), null=True, blank=True)
    received_at = models.DateTimeField(_("received by vendor"), null=True, blank=True)
    returned_at = models.DateTimeField(_("returned"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    # Terms copied from the contract at the request (contracts change later).
    response_hours = models.PositiveIntegerField(
        _("vendor response time (hours)"), null=True, blank=True
    )
    restore_hours = models.PositiveIntegerField(
        _("vendor repair time (hours)"), null=True, blank=True
    )
    cost = models.DecimalField(
        _("cost"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    # The status the asset had when it was sent (its return follows it).
    sent_from_status = models.CharField(
        _("status before shipping"), max_length=12, blank=True, editable=False
    )
    loaner = models.ForeignKey(
        "inventory.Asset",
        verbose_name=_("loaner"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="loans",
    )
    loaner_home = models.ForeignKey(
        "inventory.Location",
        verbose_name=_("loaner kept in"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    loaner_returned_at = models.DateTimeField(
        _("loaner returned"), null=True, blank=True
    )
    notes = models.TextField(_("notes"), blank=True)

    badge_choices = {"state": RmaState}

    class Meta:
        verbose_name = _("RMA")
        verbose_name_plural = _("RMAs")
        ordering = ["-requested_at", "-id"]
        indexes = [models.Index(fields=["state", "requested_at"])]

    def __str__(self) -> str:
        return f"RMA {self.number or f'#{self.pk}'} {self.asset}"

    def get_absolute_url(self) -> str:
        return reverse("servicedesk:rma-detail", args=[self.pk])

    def save(self, *args: Any, **kwargs: Any) -> None:
        # The vendor's first answer is the RMA number it gives.
        if self.number.strip() and self.vendor_responded_at is None:
            self.vendor_responded_at = timezone.now()
        super().save(*args, **kwargs)

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_RMA_STATES

    @property
    def response_due_at(self) -> dt.datetime | None:
        if self.response_hours is None:
            return None
        return self.requested_at + dt.timedelta(hours=self.response_hours)

    @property
    def restore_due_at(self) -> dt.datetime | None:
        if self.restore_hours is None or self.shipped_at is None:
            return None
        return self.shipped_at + dt.timedelta(hours=self.restore_hours)

    def response_met(self, now: dt.datetime | None = None) -> bool | None:
        """True/False once known; None while still within the time (or no term)."""
        return _met(self.response_due_at, self.vendor_responded_at, now)

    def restore_met(self, now: dt.datetime | None = None) -> bool | None:
        return _met(self.restore_due_at, self.returned_at, now)

    @property
    def turnaround(self) -> dt.timedelta | None:
        if self.shipped_at and self.returned_at:
            return self.returned_at - self.shipped_at
        return None


def _met(
    due: dt.datetime | None, done: dt.datetime | None, now: dt.datetime | None
) -> bool | None:
    if due is None:
        return None
    if done is not None:
        return done <= due
    return False if (now or timezone.now()) > due else None
