"""Work orders: one due occurrence of a plan, and its checklist answers."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from wardkeeper.core.models.base import AuditedModel
from wardkeeper.servicedesk.models.maintenance_checklists import (
    ChecklistItem,
    ItemKind,
    format_number,
)
from wardkeeper.servicedesk.models.maintenance_plans import MaintenancePlan

__all__ = ["WorkOrder", "WorkOrderAnswer", "WorkOrderQuerySet", "WorkOrderState"]


class WorkOrderState(models.TextChoices):
    OPEN = "open", _("open")
    DONE = "done", _("done")
    SKIPPED = "skipped", _("skipped")

    @property
    def badge(self) -> str:
        return {"open": "primary", "done": "success", "skipped": "secondary"}[
            self.value
        ]


class WorkOrderQuerySet(models.QuerySet["WorkOrder"]):
    def open(self) -> WorkOrderQuerySet:
        return self.filter(state=WorkOrderState.OPEN)

    def overdue(self, today: dt.date) -> WorkOrderQuerySet:
        """Open past their due date."""
        return self.filter(state=WorkOrderState.OPEN, due_on__lt=today)

    def for_engineer(self, user: Any) -> WorkOrderQuerySet:
        """Assigned to the engineer, or unassigned in one of their teams."""
        return self.filter(
            Q(assignee=user) | Q(assignee__isnull=True, team__members=user)
        ).distinct()


class WorkOrder(AuditedModel):
    """One due occurrence of a plan: an asset's maintenance, or a place's
    inspection round, on a due date. Open until done or skipped (with a reason);
    a finding opens one corrective ticket, linked here."""

    plan = models.ForeignKey(
        MaintenancePlan,
        verbose_name=_("plan"),
        on_delete=models.PROTECT,
        related_name="work_orders",
    )
    asset = models.ForeignKey(
        "inventory.Asset",
        verbose_name=_("asset"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="work_orders",
    )
    location = models.ForeignKey(
        "inventory.Location",
        verbose_name=_("place"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="work_orders",
    )
    due_on = models.DateField(_("due"))
    state = models.CharField(
        _("state"),
        max_length=8,
        choices=WorkOrderState.choices,
        default=WorkOrderState.OPEN,
    )
    team = models.ForeignKey(
        "servicedesk.Team",
        verbose_name=_("team"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="work_orders",
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("engineer"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="work_orders",
    )
    created_at = models.DateTimeField(_("generated"), auto_now_add=True)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("completed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    skip_reason = models.TextField(_("reason for skipping"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    ticket = models.ForeignKey(
        "servicedesk.Ticket",
        verbose_name=_("ticket"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    escalated_at = models.DateTimeField(_("escalated"), null=True, blank=True)

    objects = WorkOrderQuerySet.as_manager()
    badge_choices = {"state": WorkOrderState}

    class Meta:
        verbose_name = _("work order")
        verbose_name_plural = _("work orders")
        ordering = ["due_on", "id"]
        constraints = [
            # Generation is idempotent: one work order per plan, target and date.
            models.UniqueConstraint(
                fields=["plan", "asset", "due_on"],
                condition=Q(asset__isnull=False),
                name="workorder_one_per_asset_and_date",
            ),
            models.UniqueConstraint(
                fields=["plan", "location", "due_on"],
                condition=Q(asset__isnull=True),
                name="workorder_one_per_place_and_date",
            ),
        ]
        indexes = [
            models.Index(fields=["state", "due_on"]),
            models.Index(fields=["assignee", "state"]),
        ]
        permissions = [
            ("do_workorder", _("Can do work orders and inspection rounds")),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.plan.name} · {self.target}"

    def get_absolute_url(self) -> str:
        return reverse("servicedesk:workorder-detail", args=[self.pk])

    @property
    def reference(self) -> str:
        return f"W{self.pk:06d}" if self.pk else "W—"

    @property
    def target(self) -> Any:
        """What the work is on: the asset, or the place for a round."""
        return self.asset if self.asset_id else self.location

    @property
    def is_open(self) -> bool:
        return self.state == WorkOrderState.OPEN

    def is_overdue(self, today: dt.date) -> bool:
        return self.is_open and self.due_on < today


class WorkOrderAnswer(AuditedModel):
    """The answer to one checklist item on one work order."""

    work_order = models.ForeignKey(
        WorkOrder, on_delete=models.CASCADE, related_name="answers"
    )
    item = models.ForeignKey(
        ChecklistItem,
        verbose_name=_("item"),
        on_delete=models.PROTECT,
        related_name="answers",
    )
    passed = models.BooleanField(_("passed"), null=True, blank=True)
    value = models.DecimalField(
        _("reading"), max_digits=12, decimal_places=3, null=True, blank=True
    )
    text = models.TextField(_("note"), blank=True)
    is_finding = models.BooleanField(_("finding"), default=False)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    answered_at = models.DateTimeField(_("time"))

    class Meta:
        verbose_name = _("checklist answer")
        verbose_name_plural = _("checklist answers")
        ordering = ["item__position", "item_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["work_order", "item"], name="workorder_one_answer_per_item"
            )
        ]

    def __str__(self) -> str:
        return f"{self.item}: {self.display}"

    @property
    def is_answered(self) -> bool:
        return self.passed is not None or self.value is not None or bool(self.text)

    @property
    def display(self) -> str:
        """The answer as read on a report: "pass", "31 °C", the note."""
        if self.item.kind == ItemKind.CHECK and self.passed is not None:
            return str(_("pass") if self.passed else _("fail"))
        if self.item.kind == ItemKind.MEASUREMENT and self.value is not None:
            unit = f" {self.item.unit}" if self.item.unit else ""
            return f"{format_number(self.value)}{unit}"
        return self.text
