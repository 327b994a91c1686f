"""Remote pollers: the monitoring engine running inside a network zone
(``wardkeeper poller``), fetching the checks assigned to it and reporting
their results over the API with a token of its own. A poller that stops
reporting is one "poller offline" alert: its checks depend on it."""

from __future__ import annotations

import secrets

from django.db import models
from django.utils.translation import gettext_lazy as _

from wardkeeper.core.models.base import AuditedModel
from wardkeeper.core.models.tokens import hash_token

__all__ = ["Poller"]

POLLER_TOKEN_PREFIX = "wkp_"


class Poller(AuditedModel):
    name = models.CharField(_("name"), max_length=80, unique=True)
    zone = models.ForeignKey(
        "network.Zone",
        verbose_name=_("zone"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="pollers",
    )
    enabled = models.BooleanField(_("enabled"), default=True)
    description = models.TextField(_("description"), blank=True)
    token_prefix = models.CharField(_("token"), max_length=12, editable=False)
    token_digest = models.CharField(max_length=64, editable=False, db_index=True)
    # Kept by the API as the poller reports; not audited.
    last_seen_at = models.DateTimeField(_("last seen"), null=True, blank=True)
    last_address = models.GenericIPAddressField(
        _("last address"), null=True, blank=True
    )
    version = models.CharField(_("version"), max_length=40, blank=True)

    audit_exclude = frozenset({"last_seen_at", "last_address", "version"})
    audit_secret = frozenset({"token_digest"})

    class Meta:
        verbose_name = _("poller")
        verbose_name_plural = _("pollers")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def new_token(self) -> str:
        """Give the poller a new token (the old one stops working); return
        it — shown once, only its hash is kept. The caller saves."""
        raw = POLLER_TOKEN_PREFIX + secrets.token_urlsafe(32)
        self.token_prefix, self.token_digest = raw[:12], hash_token(raw)
        return raw
