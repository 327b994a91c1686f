"""Where backups go, the jobs that write them and each run's record."""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wardkeeper.continuity.choices import BackupTool, Media, RunSource, RunStatus
from wardkeeper.continuity.models.links import optional_link
from wardkeeper.core.fields import EncryptedTextField
from wardkeeper.core.models.base import AuditedModel

__all__ = ["BackupDestination", "BackupJob", "BackupRun"]


class BackupDestination(AuditedModel):
    """A place backups are written to: a disk, a NAS, a tape library, an
    offsite or cloud store — with what the 3-2-1 rule needs to know of it."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    media = models.CharField(_("medium"), max_length=10, choices=Media.choices)
    offsite = models.BooleanField(
        _("offsite"), default=False, help_text=_("In another building or site.")
    )
    immutable = models.BooleanField(
        _("immutable"),
        default=False,
        help_text=_("Written copies cannot be changed or deleted (WORM, object lock)."),
    )
    offline = models.BooleanField(
        _("offline"),
        default=False,
        help_text=_("Disconnected when not being written (tape, rotated disks)."),
    )
    location = optional_link("inventory.Location", _("location"), "backup_destinations")
    asset = optional_link("inventory.Asset", _("device"), "backup_destinations")
    stale_days = models.PositiveIntegerField(
        _("alert when not written for (days)"), default=2
    )
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("backup destination")
        verbose_name_plural = _("backup destinations")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class BackupJob(AuditedModel):
    """One backup of (part of) a protected system: its tool, schedule,
    retention and destination, and what a normal run looks like."""

    audit_secret = frozenset({"repository_password", "webhook_token_hash"})
    audit_exclude = frozenset({"last_read_at", "last_read_error"})

    system = models.ForeignKey(
        "continuity.ProtectedSystem",
        verbose_name=_("system"),
        on_delete=models.CASCADE,
        related_name="jobs",
    )
    name = models.CharField(_("name"), max_length=120)
    tool = models.CharField(_("tool"), max_length=16, choices=BackupTool.choices)
    data_stores = models.ManyToManyField(
        "continuity.DataStore",
        verbose_name=_("protects"),
        blank=True,
        related_name="jobs",
    )
    destination = models.ForeignKey(
        BackupDestination,
        verbose_name=_("destination"),
        on_delete=models.PROTECT,
        related_name="jobs",
    )
    schedule = models.CharField(
        _("schedule"),
        max_length=100,
        blank=True,
        help_text=_("When it runs, as the backup tool is set (e.g. daily at 01:00)."),
    )
    retention = models.CharField(
        _("retention"),
        max_length=200,
        blank=True,
        help_text=_("What is kept (e.g. 7 daily, 4 weekly, 12 monthly)."),
    )
    expected_size_bytes = models.BigIntegerField(
        _("expected size (bytes)"), null=True, blank=True
    )
    size_change_ratio = models.FloatField(
        _("size alert ratio"),
        default=0.5,
        help_text=_(
            "Alert when a run's size is this fraction below or above the median of "
            "the recent runs (0.5: half or one and a half times)."
        ),
    )
    repository = models.CharField(
        _("repository"),
        max_length=500,
        blank=True,
        help_text=_("restic or borg repository (path or URL) Wardkeeper reads."),
    )
    repository_password = EncryptedTextField(_("repository password"), blank=True)
    source_path = models.CharField(
        _("live data path"),
        max_length=500,
        blank=True,
        help_text=_("Where the live data is, to compare restored files with."),
    )
    webhook_token_hash = models.CharField(max_length=128, blank=True, editable=False)
    enabled = models.BooleanField(_("enabled"), default=True)
    # The reader's last look at the repository (restic, borg).
    last_read_at = models.DateTimeField(
        _("last read"), null=True, blank=True, editable=False
    )
    last_read_error = models.TextField(
        _("last read failed"), blank=True, editable=False
    )

    class Meta:
        verbose_name = _("backup job")
        verbose_name_plural = _("backup jobs")
        ordering = ["system", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["system", "name"], name="continuity_job_unique_name"
            )
        ]

    def __str__(self) -> str:
        return f"{self.system} · {self.name}"


class BackupRun(models.Model):
    """One run of a job as its tool reported it. Written by the readers of
    repositories, the webhook and CSV uploads (which audit the ingestion, not
    each row)."""

    job = models.ForeignKey(
        BackupJob, verbose_name=_("job"), on_delete=models.CASCADE, related_name="runs"
    )
    external_id = models.CharField(
        _("tool's id"),
        max_length=200,
        blank=True,
        help_text=_("The snapshot, archive or run id the tool gave it."),
    )
    status = models.CharField(_("status"), max_length=10, choices=RunStatus.choices)
    started_at = models.DateTimeField(_("started"))
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    size_bytes = models.BigIntegerField(_("size (bytes)"), null=True, blank=True)
    added_bytes = models.BigIntegerField(_("new data (bytes)"), null=True, blank=True)
    files = models.BigIntegerField(_("files"), null=True, blank=True)
    message = models.TextField(_("message"), blank=True)
    source = models.CharField(
        _("reported by"), max_length=12, choices=RunSource.choices
    )
    received_at = models.DateTimeField(_("received"), default=timezone.now)

    class Meta:
        verbose_name = _("backup run")
        verbose_name_plural = _("backup runs")
        ordering = ["-started_at"]
        indexes = [models.Index(fields=["job", "started_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["job", "external_id"],
                condition=~Q(external_id=""),
                name="continuity_run_unique_external_id",
            )
        ]

    def __str__(self) -> str:
        return f"{self.job} {self.started_at:%Y-%m-%d %H:%M} {self.status}"

    @property
    def ended_at(self) -> dt.datetime:
        return self.finished_at or self.started_at
