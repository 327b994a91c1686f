"""Restoring service: spare swaps, vendor repairs (RMA) and problems
(owned by the restore work)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from wardkeeper.core.models.base import AuditedModel

__all__ = ["Problem"]


class Problem(AuditedModel):
    """The cause behind recurring incidents."""

    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("problem")
        verbose_name_plural = _("problems")
        ordering = ["-id"]

    def __str__(self) -> str:
        return self.title
