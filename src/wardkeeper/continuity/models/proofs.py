"""Restore tests: the proof that a job's backups can be read back."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wardkeeper.continuity.choices import (
    CompareWith,
    Expectation,
    ProofStatus,
    RestoreMethod,
    Trigger,
)
from wardkeeper.continuity.models.links import optional_link, ticket_link, user_link
from wardkeeper.core.models.base import AuditedModel

__all__ = ["RestoreRun", "RestoreTest", "SanityQuery"]


class RestoreTest(AuditedModel):
    """How and how often one job's newest backup is restored to prove it
    reads back: a sample or all files into a scratch directory with their
    checksums compared, or a PostgreSQL dump into a scratch database with the
    owner's sanity queries. A job's "manual" test holds the restores people
    did by hand and recorded (a vendor's tape restore, a base backup brought
    up on a spare server): Wardkeeper never runs it."""

    job = models.ForeignKey(
        "continuity.BackupJob",
        verbose_name=_("backup job"),
        on_delete=models.CASCADE,
        related_name="restore_tests",
    )
    name = models.CharField(_("name"), max_length=120)
    method = models.CharField(_("method"), max_length=10, choices=RestoreMethod.choices)
    sample_files = models.PositiveIntegerField(_("files in the sample"), default=100)
    compare_with = models.CharField(
        _("compare with"),
        max_length=10,
        choices=CompareWith.choices,
        default=CompareWith.SNAPSHOT,
    )
    every_days = models.PositiveIntegerField(
        _("every (days)"), default=7, help_text=_("0: on demand only.")
    )
    enabled = models.BooleanField(_("enabled"), default=True)
    # When the scheduler last queued a run: the worker claims a due test by a
    # conditional update of this field, so two workers never queue it twice.
    scheduled_at = models.DateTimeField(
        _("last queued by the schedule"), null=True, blank=True, editable=False
    )

    audit_exclude = frozenset({"scheduled_at"})

    class Meta:
        verbose_name = _("restore test")
        verbose_name_plural = _("restore tests")
        ordering = ["job", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_manual(self) -> bool:
        """Restores recorded by hand: nothing to schedule or run."""
        return self.method == RestoreMethod.MANUAL


class SanityQuery(AuditedModel):
    """A query the system's owner wrote, run on the restored database: its
    single value must meet the expectation (row counts, latest record date)."""

    test = models.ForeignKey(
        RestoreTest,
        verbose_name=_("restore test"),
        on_delete=models.CASCADE,
        related_name="queries",
    )
    position = models.PositiveIntegerField(_("order"), default=0)
    label = models.CharField(_("what it checks"), max_length=200)
    sql = models.TextField(_("query"), help_text=_("One SELECT returning one value."))
    expectation = models.CharField(
        _("expectation"), max_length=20, choices=Expectation.choices
    )
    value = models.CharField(_("value"), max_length=100)

    class Meta:
        verbose_name = _("sanity query")
        verbose_name_plural = _("sanity queries")
        ordering = ["test", "position", "pk"]

    def __str__(self) -> str:
        return self.label


class RestoreRun(models.Model):
    """One restore test as it ran: how long it took against the system's RTO
    and the evidence (files compared, mismatches, query answers); or a
    restore done by hand, as the engineer recorded it (its evidence file is
    an attachment)."""

    test = models.ForeignKey(
        RestoreTest,
        verbose_name=_("restore test"),
        on_delete=models.CASCADE,
        related_name="runs",
    )
    backup = optional_link("continuity.BackupRun", _("backup restored"), "restores")
    snapshot = models.CharField(_("snapshot"), max_length=200, blank=True)
    # A restore done by hand says in words what was brought back and where.
    restored = models.CharField(
        _("what was restored"),
        max_length=300,
        blank=True,
        help_text=_("Which backup, how much of it, and onto what."),
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=ProofStatus.choices,
        default=ProofStatus.RUNNING,
    )
    trigger = models.CharField(
        _("started"), max_length=10, choices=Trigger.choices, default=Trigger.SCHEDULE
    )
    started_by = user_link(_("started by"))
    started_at = models.DateTimeField(_("started"), default=timezone.now)
    # Null while the run waits for a worker; set by the one worker that claims it.
    claimed_at = models.DateTimeField(_("taken up"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    duration_seconds = models.FloatField(_("duration (s)"), null=True, blank=True)
    within_rto = models.BooleanField(_("within the RTO"), null=True, blank=True)
    message = models.TextField(_("message"), blank=True)
    evidence = models.JSONField(_("evidence"), default=dict, blank=True)
    ticket = ticket_link(_("ticket"))

    class Meta:
        verbose_name = _("restore test run")
        verbose_name_plural = _("restore test runs")
        ordering = ["-started_at"]
        indexes = [models.Index(fields=["test", "started_at"])]

    def __str__(self) -> str:
        return f"{self.test} {self.started_at:%Y-%m-%d %H:%M} {self.status}"
