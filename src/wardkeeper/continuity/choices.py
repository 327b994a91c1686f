"""The fixed vocabularies of backup and recovery."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class DataStoreKind(models.TextChoices):
    DATABASE = "database", _("database")
    FILES = "files", _("files")
    IMAGES = "images", _("image archive")
    CONFIGURATION = "configuration", _("configuration")
    VIRTUAL_MACHINE = "vm", _("virtual machine")


class BackupTool(models.TextChoices):
    """How a job's results reach Wardkeeper: restic and borg repositories are
    read directly; pg_dump and pg_basebackup runs report like other tools."""

    RESTIC = "restic", "restic"
    BORG = "borg", "borg"
    PG_DUMP = "pg_dump", "pg_dump"
    PG_BASEBACKUP = "pg_basebackup", "pg_basebackup"
    WEBHOOK = "webhook", _("other product, reporting by webhook")
    CSV = "csv", _("other product, reporting by CSV upload")

    @classmethod
    def reads_repository(cls, tool: str) -> bool:
        return tool in (cls.RESTIC, cls.BORG)


class Media(models.TextChoices):
    """The kind of medium a destination writes to (the "2" of 3-2-1)."""

    DISK = "disk", _("disk")
    NAS = "nas", _("network storage")
    TAPE = "tape", _("tape")
    CLOUD = "cloud", _("cloud / object storage")
    OPTICAL = "optical", _("optical disc")


class RunStatus(models.TextChoices):
    SUCCESS = "success", pgettext_lazy("backup run", "succeeded")
    WARNING = "warning", pgettext_lazy("backup run", "succeeded with warnings")
    FAILED = "failed", pgettext_lazy("backup run", "failed")
    RUNNING = "running", pgettext_lazy("backup run", "running")


class RunSource(models.TextChoices):
    """Where a run's record came from."""

    REPOSITORY = "repository", _("read from the repository")
    WEBHOOK = "webhook", _("webhook / API")
    CSV = "csv", _("CSV upload")
    MANUAL = "manual", _("entered by hand")


class RestoreMethod(models.TextChoices):
    SAMPLE = "sample", _("restore a sample of files and compare checksums")
    FULL = "full", _("restore everything and compare checksums")
    DATABASE = "database", _("restore a PostgreSQL dump and run sanity queries")
    # Done by people (a vendor's tape restore, a base backup brought up on a
    # spare server) and recorded afterwards: never run by Wardkeeper.
    MANUAL = "manual", _("restored by hand and recorded")


class CompareWith(models.TextChoices):
    SNAPSHOT = "snapshot", _("the snapshot's own listing")
    LIVE = "live", _("the live data")


class Expectation(models.TextChoices):
    """What a sanity query's single value must satisfy."""

    AT_LEAST = "at_least", _("at least")
    AT_MOST = "at_most", _("at most")
    EQUALS = "equals", _("equals")
    NEWER_THAN_HOURS = "newer_than_hours", _("a time no older than (hours)")


class ProofStatus(models.TextChoices):
    RUNNING = "running", pgettext_lazy("restore test", "running")
    PASSED = "passed", pgettext_lazy("restore test", "passed")
    FAILED = "failed", pgettext_lazy("restore test", "failed")


class Trigger(models.TextChoices):
    SCHEDULE = "schedule", _("on schedule")
    ON_DEMAND = "on_demand", _("on demand")
    MANUAL = "manual", _("recorded by hand")


class RunbookState(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("runbook", "draft")
    APPROVED = "approved", pgettext_lazy("runbook", "approved")
    SUPERSEDED = "superseded", pgettext_lazy("runbook", "superseded")


class ReviewVerdict(models.TextChoices):
    """One entry of a runbook version's review: asked for, sent back, passed."""

    ASKED = "asked", pgettext_lazy("runbook review", "review asked")
    CHANGES = "changes", pgettext_lazy("runbook review", "changes asked")
    APPROVED = "approved", pgettext_lazy("runbook review", "approved")


class DrillState(models.TextChoices):
    PLANNED = "planned", pgettext_lazy("drill", "planned")
    RUNNING = "running", pgettext_lazy("drill", "under way")
    FINISHED = "finished", pgettext_lazy("drill", "finished")
    CANCELLED = "cancelled", pgettext_lazy("drill", "cancelled")


class StepOutcome(models.TextChoices):
    PENDING = "pending", pgettext_lazy("drill step", "not started")
    RUNNING = "running", pgettext_lazy("drill step", "under way")
    DONE = "done", pgettext_lazy("drill step", "done")
    PROBLEM = "problem", pgettext_lazy("drill step", "done with a problem")
    SKIPPED = "skipped", pgettext_lazy("drill step", "skipped")


class FindingKind(models.TextChoices):
    """What can be wrong with a system's protection; each open finding is one
    alert (and, where the system's criticality asks, one ticket)."""

    RPO_MISSED = "rpo_missed", _("no successful backup within the RPO")
    RUN_FAILED = "run_failed", _("backup run failed")
    SIZE_ANOMALY = "size_anomaly", _("backup size far from its recent median")
    DESTINATION_STALE = "destination_stale", _("destination not written")
    RESTORE_FAILED = "restore_failed", _("restore test failed")
    NO_RESTORE_PROOF = "no_restore_proof", _("no successful restore test")
    RULE_321 = "rule_321", _("3-2-1 rule not met")
    STORAGE_DEGRADED = "storage_degraded", _("storage degraded")


class FindingState(models.TextChoices):
    OPEN = "open", pgettext_lazy("finding", "open")
    RESOLVED = "resolved", pgettext_lazy("finding", "resolved")
