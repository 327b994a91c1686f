"""Disaster-recovery runbooks (versioned, approved) and the drills that
rehearse them step by step."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wardkeeper.continuity.choices import (
    DrillState,
    ReviewVerdict,
    RunbookState,
    StepOutcome,
)
from wardkeeper.continuity.models.links import optional_link, ticket_link, user_link
from wardkeeper.core.models.base import AuditedModel

__all__ = ["Drill", "DrillStep", "Runbook", "RunbookReview", "RunbookStep"]


class Runbook(AuditedModel):
    """One version of how to bring a system back. An approved version is
    frozen; editing starts a new draft version, and approving it supersedes
    the one before."""

    system = models.ForeignKey(
        "continuity.ProtectedSystem",
        verbose_name=_("system"),
        on_delete=models.CASCADE,
        related_name="runbooks",
    )
    title = models.CharField(_("title"), max_length=200)
    version = models.PositiveIntegerField(_("version"), default=1)
    state = models.CharField(
        _("state"),
        max_length=12,
        choices=RunbookState.choices,
        default=RunbookState.DRAFT,
    )
    summary = models.TextField(
        _("scenario and scope"),
        blank=True,
        help_text=_("What this plan covers and when to use it."),
    )
    contacts = models.TextField(
        _("contacts"),
        blank=True,
        help_text=_("Who to call, with phone numbers that work when systems are down."),
    )
    downtime_procedure = models.TextField(
        _("downtime procedure"),
        blank=True,
        help_text=_("How the wards work on paper while the system is down."),
    )
    previous = models.OneToOneField(
        "self",
        verbose_name=_("replaces"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="next_version",
    )
    approved_by = user_link(_("approved by"))
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    # The four-eyes rule (services.runbooks.approve): whoever started the
    # draft or changed it last may not approve it.
    author = user_link(_("drafted by"))
    edited_by = user_link(_("last changed by"))

    class Meta:
        verbose_name = _("runbook")
        verbose_name_plural = _("runbooks")
        ordering = ["system", "-version"]
        permissions = [("approve_runbook", _("Can approve a runbook version"))]
        constraints = [
            models.UniqueConstraint(
                fields=["system", "version"], name="continuity_runbook_unique_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} v{self.version}"


class RunbookReview(AuditedModel):
    """The review of a draft, entry by entry: its author asks for a review,
    a reviewer sends it back with what to change, or approves it (with a
    remark or none). The runbook page shows them; the people concerned are
    told (services.runbook_reviews)."""

    runbook = models.ForeignKey(
        Runbook,
        verbose_name=_("runbook"),
        on_delete=models.CASCADE,
        related_name="reviews",
    )
    verdict = models.CharField(
        _("verdict"), max_length=10, choices=ReviewVerdict.choices
    )
    text = models.TextField(_("comment"), blank=True)
    by = user_link(_("by"))
    at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        verbose_name = _("runbook review")
        verbose_name_plural = _("runbook reviews")
        ordering = ["runbook", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.runbook}: {self.get_verdict_display()}"


class RunbookStep(AuditedModel):
    """An ordered step: who does it, how long it should take, and which steps
    must be finished first (restore the database before the application)."""

    runbook = models.ForeignKey(
        Runbook,
        verbose_name=_("runbook"),
        on_delete=models.CASCADE,
        related_name="steps",
    )
    position = models.PositiveIntegerField(_("order"))
    title = models.CharField(_("step"), max_length=200)
    instructions = models.TextField(_("instructions"), blank=True)
    role = models.CharField(
        _("responsible role"),
        max_length=120,
        help_text=_("Who does it (database engineer, PACS administrator, vendor …)."),
    )
    expected_minutes = models.PositiveIntegerField(_("expected minutes"), default=10)
    depends_on = models.ManyToManyField(
        "self",
        verbose_name=_("after"),
        symmetrical=False,
        blank=True,
        related_name="needed_by",
    )

    class Meta:
        verbose_name = _("runbook step")
        verbose_name_plural = _("runbook steps")
        ordering = ["runbook", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["runbook", "position"], name="continuity_step_unique_position"
            )
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.title}"


class Drill(AuditedModel):
    """A rehearsal of one runbook version: planned, then run step by step;
    the achieved RTO and RPO against the targets and the lessons learned."""

    runbook = models.ForeignKey(
        Runbook,
        verbose_name=_("runbook"),
        on_delete=models.PROTECT,
        related_name="drills",
    )
    title = models.CharField(_("title"), max_length=200)
    scenario = models.TextField(_("scenario"), blank=True)
    state = models.CharField(
        _("state"),
        max_length=12,
        choices=DrillState.choices,
        default=DrillState.PLANNED,
    )
    scheduled_for = models.DateTimeField(_("scheduled for"))
    leader = user_link(_("leader"))
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    data_loss_minutes = models.PositiveIntegerField(
        _("data lost (minutes)"),
        null=True,
        blank=True,
        help_text=_(
            "Achieved RPO: the age of the newest data the restore brought back."
        ),
    )
    lessons = models.TextField(_("lessons learned"), blank=True)

    class Meta:
        verbose_name = _("drill")
        verbose_name_plural = _("drills")
        ordering = ["-scheduled_for"]

    def __str__(self) -> str:
        return self.title


class DrillStep(AuditedModel):
    """One runbook step as it went in a drill (copied from the runbook so the
    record stays true when the runbook changes)."""

    drill = models.ForeignKey(
        Drill, verbose_name=_("drill"), on_delete=models.CASCADE, related_name="steps"
    )
    step = optional_link("continuity.RunbookStep", _("runbook step"))
    position = models.PositiveIntegerField(_("order"))
    title = models.CharField(_("step"), max_length=200)
    role = models.CharField(_("responsible role"), max_length=120, blank=True)
    instructions = models.TextField(_("instructions"), blank=True)
    expected_minutes = models.PositiveIntegerField(_("expected minutes"), default=0)
    # Copied from the runbook step's "after": which drill steps must be
    # finished before this one may start.
    depends_on = models.ManyToManyField(
        "self",
        verbose_name=_("after"),
        symmetrical=False,
        blank=True,
        related_name="needed_by",
    )
    outcome = models.CharField(
        _("outcome"),
        max_length=10,
        choices=StepOutcome.choices,
        default=StepOutcome.PENDING,
    )
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    done_by = user_link(_("done by"))
    notes = models.TextField(_("notes"), blank=True)
    ticket = ticket_link(_("issue ticket"))

    class Meta:
        verbose_name = _("drill step")
        verbose_name_plural = _("drill steps")
        ordering = ["drill", "position"]

    def __str__(self) -> str:
        return f"{self.position}. {self.title}"
