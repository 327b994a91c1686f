"""What is wrong with a system's protection right now, and what was."""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wardkeeper.continuity.choices import FindingKind, FindingState
from wardkeeper.continuity.models.links import ticket_link
from wardkeeper.core.models.base import AuditedModel

__all__ = ["Finding"]


class Finding(AuditedModel):
    """One problem found by the continuity checks (a backup overdue for the
    RPO, a failed run, a size anomaly, a stale destination, a failed restore
    test, 3-2-1 not met, degraded storage). Open once per subject: the checks
    update an open finding rather than raising another, and resolve it when
    the problem is gone — so one broken job is one alert and one ticket."""

    # The checks refresh the evidence (ages, sizes) on every pass; the trail
    # keeps what the finding says (kind, state, message), not each refresh.
    audit_exclude = frozenset({"evidence"})

    kind = models.CharField(_("kind"), max_length=20, choices=FindingKind.choices)
    state = models.CharField(
        _("state"),
        max_length=10,
        choices=FindingState.choices,
        default=FindingState.OPEN,
    )
    system = models.ForeignKey(
        "continuity.ProtectedSystem",
        verbose_name=_("system"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="findings",
    )
    job = models.ForeignKey(
        "continuity.BackupJob",
        verbose_name=_("backup job"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="findings",
    )
    destination = models.ForeignKey(
        "continuity.BackupDestination",
        verbose_name=_("destination"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="findings",
    )
    # The subject's key (kind + the ids above): one open finding per subject.
    subject = models.CharField(max_length=80, editable=False)
    opened_at = models.DateTimeField(_("opened"), default=timezone.now)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    message = models.CharField(_("message"), max_length=500)
    evidence = models.JSONField(_("evidence"), default=dict, blank=True)
    ticket = ticket_link(_("ticket"))

    class Meta:
        verbose_name = _("finding")
        verbose_name_plural = _("findings")
        ordering = ["-opened_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["subject"],
                condition=models.Q(state="open"),
                name="continuity_finding_one_open_per_subject",
            )
        ]

    def __str__(self) -> str:
        return self.message

    def get_absolute_url(self) -> str:
        return reverse("continuity:finding-detail", args=[self.pk])
