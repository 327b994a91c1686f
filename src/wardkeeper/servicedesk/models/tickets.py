"""Tickets: a fault or a request from report to restored service."""

from __future__ import annotations

import re
from typing import Any

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wardkeeper.core.models.base import AuditedModel
from wardkeeper.servicedesk.choices import (
    OPEN_STATES,
    Category,
    Impact,
    MaintenanceKind,
    Priority,
    ResolutionCode,
    Source,
    TicketState,
    Urgency,
    WaitingFor,
)

__all__ = ["Ticket", "TicketQuerySet", "Transition", "Visit", "WorkLog"]

REFERENCE = re.compile(r"^\s*T-?0*(\d+)\s*$", re.IGNORECASE)


class TicketQuerySet(models.QuerySet["Ticket"]):
    def open(self) -> TicketQuerySet:
        return self.filter(state__in=OPEN_STATES)

    def reported_by(self, user: Any) -> TicketQuerySet:
        """The tickets a person reported or joined as a second reporter."""
        joined = Ticket.watchers.through.objects.filter(user_id=user.pk)
        return self.filter(
            models.Q(reporter_id=user.pk) | models.Q(pk__in=joined.values("ticket_id"))
        )

    def visible_to(self, user: Any) -> TicketQuerySet:
        """The desk (servicedesk.view_ticket) sees every ticket; anyone else
        the ones they reported or joined."""
        if user.has_perm("servicedesk.view_ticket"):
            return self
        return self.reported_by(user)

    def for_reference(self, text: str) -> TicketQuerySet:
        """``T000123``, ``t-123`` or ``123``: the ticket of that number."""
        match = REFERENCE.match(text) or re.match(r"^\s*(\d+)\s*$", text)
        return self.filter(pk=int(match.group(1))) if match else self.none()


class Ticket(AuditedModel):
    """One fault report or request. Priority comes from impact and urgency,
    raised by the clinical criticality of the place (services/priority.py);
    states move only along ``choices.TICKET_MOVES`` (services/tickets.py)."""

    title = models.CharField(_("summary"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    category = models.CharField(_("category"), max_length=12, choices=Category.choices)
    kind = models.CharField(
        _("maintenance kind"),
        max_length=12,
        choices=MaintenanceKind.choices,
        default=MaintenanceKind.CORRECTIVE,
    )
    impact = models.IntegerField(
        _("impact"), choices=Impact.choices, default=Impact.ONE
    )
    urgency = models.IntegerField(
        _("urgency"), choices=Urgency.choices, default=Urgency.MEDIUM
    )
    # What the rules gave, and what the ticket carries (lower only with a reason).
    computed_priority = models.IntegerField(
        _("priority by the rules"), choices=Priority.choices, default=Priority.P3
    )
    priority = models.IntegerField(
        _("priority"), choices=Priority.choices, default=Priority.P3
    )
    priority_reason = models.TextField(_("reason for the priority"), blank=True)
    state = models.CharField(
        _("state"), max_length=12, choices=TicketState.choices, default=TicketState.NEW
    )
    waiting_for = models.CharField(
        _("waiting for"), max_length=10, choices=WaitingFor.choices, blank=True
    )
    source = models.CharField(
        _("reported through"),
        max_length=12,
        choices=Source.choices,
        default=Source.FORM,
    )

    # What and where.
    asset = models.ForeignKey(
        "inventory.Asset",
        verbose_name=_("asset"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="tickets",
    )
    location = models.ForeignKey(
        "inventory.Location",
        verbose_name=_("location"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="tickets",
    )
    department = models.ForeignKey(
        "inventory.Department",
        verbose_name=_("department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="tickets",
    )

    # Who.
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reporter"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reported_tickets",
    )
    reporter_name = models.CharField(_("reported by"), max_length=120, blank=True)
    reporter_phone = models.CharField(_("call-back number"), max_length=40, blank=True)
    # Others who reported the same fault and joined this ticket.
    watchers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("also reported by"),
        blank=True,
        related_name="watched_tickets",
    )
    team = models.ForeignKey(
        "servicedesk.Team",
        verbose_name=_("team"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="tickets",
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("engineer"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_tickets",
    )

    # The clock (set by services; figures read these, never the trail).
    created_at = models.DateTimeField(_("reported"), default=timezone.now)
    assigned_at = models.DateTimeField(_("assigned"), null=True, blank=True)
    responded_at = models.DateTimeField(_("first response"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    # SLA (services/sla.py keeps these true).
    sla_policy = models.ForeignKey(
        "servicedesk.SlaPolicy",
        verbose_name=_("SLA policy"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="tickets",
    )
    response_due_at = models.DateTimeField(_("response due"), null=True, blank=True)
    restore_due_at = models.DateTimeField(_("restore due"), null=True, blank=True)
    sla_paused_at = models.DateTimeField(_("SLA clock paused"), null=True, blank=True)
    response_breached = models.BooleanField(_("response target missed"), default=False)
    restore_breached = models.BooleanField(_("restore target missed"), default=False)
    sla_warned_at = models.DateTimeField(_("SLA warning sent"), null=True, blank=True)
    escalation_level = models.PositiveSmallIntegerField(
        _("escalation level"), default=0
    )
    # Wall-clock seconds from the report to the first response and to the
    # restored service (kept by save(), for MTTA/MTTR), and whether the SLA's
    # targets were met (set by the SLA service at resolution).
    response_seconds = models.PositiveIntegerField(null=True, blank=True)
    restore_seconds = models.PositiveIntegerField(null=True, blank=True)
    sla_met = models.BooleanField(_("SLA met"), null=True, blank=True)

    # The outcome.
    resolution_code = models.CharField(
        _("resolution"), max_length=20, choices=ResolutionCode.choices, blank=True
    )
    cause = models.CharField(_("cause"), max_length=200, blank=True)
    resolution = models.TextField(_("what was done"), blank=True)
    reopen_count = models.PositiveSmallIntegerField(_("times reopened"), default=0)
    visit_count = models.PositiveSmallIntegerField(_("on-site visits"), default=0)
    first_time_fix = models.BooleanField(_("fixed the first time"), null=True)
    rating = models.PositiveSmallIntegerField(
        _("reporter's rating"), null=True, blank=True
    )
    feedback = models.TextField(_("reporter's comment"), blank=True)
    confirmed_at = models.DateTimeField(
        _("confirmed by reporter"), null=True, blank=True
    )

    duplicate_of = models.ForeignKey(
        "self",
        verbose_name=_("duplicate of"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="duplicates",
    )
    problem = models.ForeignKey(
        "servicedesk.Problem",
        verbose_name=_("problem"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="tickets",
    )
    # Monitoring or a maintenance work order that opened it (a key like
    # "check:42" or "workorder:7"); one open ticket per origin.
    origin = models.CharField(_("origin"), max_length=80, blank=True)

    objects = TicketQuerySet.as_manager()
    audit_exclude = frozenset({"updated_at"})
    badge_choices = {"state": TicketState, "priority": Priority}

    class Meta:
        verbose_name = _("ticket")
        verbose_name_plural = _("tickets")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["state", "priority"]),
            models.Index(fields=["assignee", "state"]),
            models.Index(fields=["team", "state"]),
            models.Index(fields=["asset", "state"]),
            models.Index(fields=["created_at"]),
            models.Index(fields=["resolved_at"]),
            models.Index(fields=["restore_due_at"]),
            models.Index(fields=["response_due_at"]),
            models.Index(fields=["origin"]),
        ]
        permissions = [
            ("work_ticket", _("Can work on tickets (move, log work, resolve)")),
            ("lower_priority", _("Can lower a ticket's priority with a reason")),
            ("view_figures", _("Can see service-desk figures")),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        from wardkeeper.servicedesk.services.rollups import mark_stale

        self.fill_durations()
        super().save(*args, **kwargs)
        mark_stale([self.created_at])

    def fill_durations(self) -> None:
        """Seconds to the first response and to the resolution (bulk writers
        call this; save() does it for everyone else)."""
        self.response_seconds = _seconds(self.created_at, self.responded_at)
        self.restore_seconds = _seconds(self.created_at, self.resolved_at)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        from wardkeeper.servicedesk.services.rollups import mark_stale

        mark_stale([self.created_at])
        return super().delete(*args, **kwargs)

    @property
    def reference(self) -> str:
        return f"T{self.pk:06d}" if self.pk else "T—"

    def get_absolute_url(self) -> str:
        return reverse("servicedesk:ticket-detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    @property
    def reporter_label(self) -> str:
        if self.reporter_id:
            user: Any = self.reporter
            return str(user.get_full_name() or user.get_username())
        return self.reporter_name


def _seconds(start: Any, end: Any) -> int | None:
    if start is None or end is None:
        return None
    return max(0, int((end - start).total_seconds()))


class Transition(models.Model):
    """One state move of a ticket: the ticket's own history, shown on its page.
    (The audit trail holds the same change with its hash chain.)"""

    ticket = models.ForeignKey(
        Ticket, on_delete=models.CASCADE, related_name="transitions"
    )
    from_state = models.CharField(
        _("from"), max_length=12, choices=TicketState.choices, blank=True
    )
    to_state = models.CharField(_("to"), max_length=12, choices=TicketState.choices)
    waiting_for = models.CharField(
        _("waiting for"), max_length=10, choices=WaitingFor.choices, blank=True
    )
    note = models.TextField(_("note"), blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    at = models.DateTimeField(_("time"), default=timezone.now)

    class Meta:
        verbose_name = _("state change")
        verbose_name_plural = _("state changes")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.from_state or '·'} → {self.to_state}"


class WorkLog(AuditedModel):
    """Work done on a ticket: what, by whom, how long."""

    ticket = models.ForeignKey(
        Ticket, on_delete=models.CASCADE, related_name="worklogs"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    at = models.DateTimeField(_("time"), default=timezone.now)
    minutes = models.PositiveIntegerField(_("time spent (minutes)"), default=0)
    note = models.TextField(_("note"))
    # Seen by the reporter on their ticket page (otherwise internal to IT).
    public = models.BooleanField(_("shown to the reporter"), default=False)

    class Meta:
        verbose_name = _("work log entry")
        verbose_name_plural = _("work log")
        ordering = ["at", "id"]


class Visit(AuditedModel):
    """An engineer on site: arrival and departure."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="visits")
    engineer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("engineer"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    arrived_at = models.DateTimeField(_("arrived"))
    left_at = models.DateTimeField(_("left"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("on-site visit")
        verbose_name_plural = _("on-site visits")
        ordering = ["arrived_at", "id"]
