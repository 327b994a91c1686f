"""Teams, their on-call rotas and leave overrides (owned by the rota work)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from wardkeeper.core.models.base import AuditedModel

__all__ = ["Team"]


class Team(AuditedModel):
    """A team of engineers that takes tickets of some categories, optionally
    only in some places (a campus, a building)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=120)
    # Ticket categories (choices.Category values) this team takes.
    categories = models.JSONField(_("categories"), default=list, blank=True)
    # Places served; none means everywhere. A ticket's place matches when it
    # lies inside one of them.
    locations = models.ManyToManyField(
        "inventory.Location",
        verbose_name=_("places served"),
        blank=True,
        related_name="+",
    )
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("team lead"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="led_teams",
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("members"),
        blank=True,
        related_name="service_teams",
    )
    email = models.EmailField(_("team e-mail"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
