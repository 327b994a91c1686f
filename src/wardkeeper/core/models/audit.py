from __future__ import annotations

import hashlib
import json
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

GENESIS = "0" * 64

# The fields an entry's hash covers, in the form ``canonical_bytes`` expects.
# An export carries exactly these, so anyone can recompute the chain off-system.
CANONICAL_FIELDS = (
    "at",
    "actor_id",
    "actor_name",
    "source",
    "client_ip",
    "action",
    "content_type_id",
    "object_id",
    "object_repr",
    "changes",
    "message",
    "flagged",
    "prev_hash",
)


def canonical_bytes(content: dict[str, Any]) -> bytes:
    """The bytes an entry's SHA-256 is taken over: its canonical fields as JSON
    with sorted keys, UTF-8 (``at`` as the ISO 8601 text of the UTC time)."""
    picked = {name: content[name] for name in CANONICAL_FIELDS}
    return json.dumps(picked, sort_keys=True, ensure_ascii=False, default=str).encode()


def hash_of(content: dict[str, Any]) -> str:
    """The hex SHA-256 of an entry's canonical content."""
    return hashlib.sha256(canonical_bytes(content)).hexdigest()


class AuditSource(models.TextChoices):
    UI = "ui", _("web interface")
    API = "api", _("API")
    CLI = "cli", _("command line")
    IMPORT = "import", _("import")
    TASK = "task", _("background task")
    SYSTEM = "system", _("system")


class AuditAction(models.TextChoices):
    CREATE = "create", _("created")
    UPDATE = "update", _("changed")
    DELETE = "delete", _("deleted")
    LIFECYCLE = "lifecycle", _("lifecycle move")
    LOGIN = "login", _("signed in")
    LOGIN_FAILED = "login_failed", _("sign-in failed")
    LOCKOUT = "lockout", _("locked out")
    LOGOUT = "logout", _("signed out")
    EXPORT = "export", _("exported")
    SECURITY = "security", _("security event")


class AuditEntryQuerySet(models.QuerySet["AuditEntry"]):
    """Append-only: bulk updates and deletes through the ORM are refused."""

    def update(self, **kwargs: Any) -> int:
        raise PermissionError("the audit trail is append-only")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise PermissionError("the audit trail is append-only")

    def for_object(self, obj: models.Model) -> AuditEntryQuerySet:
        content_type = ContentType.objects.get_for_model(obj)
        return self.filter(content_type=content_type, object_id=str(obj.pk))


class AuditEntry(models.Model):
    """One thing that happened: who did what to which record, from where, and
    the value of each changed field before and after. Entries are chained by
    hash, so an edit made behind the application's back breaks the chain."""

    at = models.DateTimeField(_("time"), db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        # Nothing happens to entries when the account goes: the actor's id is
        # hashed, and setting it to NULL would break the chain.
        on_delete=models.DO_NOTHING,
        related_name="+",
        db_constraint=False,  # the entry outlives the account
    )
    actor_name = models.CharField(_("actor name"), max_length=150, blank=True)
    source = models.CharField(_("source"), max_length=10, choices=AuditSource.choices)
    client_ip = models.GenericIPAddressField(_("client address"), null=True, blank=True)
    action = models.CharField(_("action"), max_length=20, choices=AuditAction.choices)
    content_type = models.ForeignKey(
        ContentType,
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,  # hashed too: see ``actor``
        related_name="+",
        db_constraint=False,
    )
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    object_repr = models.CharField(_("object"), max_length=255, blank=True)
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    message = models.TextField(_("message"), blank=True)
    flagged = models.BooleanField(_("flagged"), default=False, db_index=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        ordering = ["-id"]
        indexes = [models.Index(fields=["content_type", "object_id"])]
        permissions = [("export_auditentry", _("Export the audit trail"))]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.actor_name} {self.action} {self.object_repr}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise PermissionError("the audit trail is append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise PermissionError("the audit trail is append-only")

    def canonical_content(self) -> dict[str, Any]:
        """Every recorded field and the previous hash, as the hash covers them."""
        return {
            "at": self.at.isoformat(),
            "actor_id": self.actor_id,
            "actor_name": self.actor_name,
            "source": self.source,
            "client_ip": self.client_ip,
            "action": self.action,
            "content_type_id": self.content_type_id,
            "object_id": self.object_id,
            "object_repr": self.object_repr,
            "changes": self.changes,
            "message": self.message,
            "flagged": self.flagged,
            "prev_hash": self.prev_hash,
        }

    def canonical(self) -> bytes:
        """The bytes the hash covers: every recorded field and the previous hash."""
        return canonical_bytes(self.canonical_content())

    def compute_hash(self) -> str:
        """The SHA-256 this entry's hash must equal if nobody edited it."""
        return hash_of(self.canonical_content())


class AuditChainHead(models.Model):
    """The single row holding the newest entry's hash. Appenders lock it, so the
    chain grows one entry at a time even with several writers.

    It also keeps the anchor: the hash of the newest entry removed by pruning,
    which the oldest surviving entry's ``prev_hash`` must equal."""

    hash = models.CharField(max_length=64)
    entries = models.BigIntegerField(default=0)
    last_id = models.BigIntegerField(default=0)
    anchor_hash = models.CharField(max_length=64, default=GENESIS)
    anchor_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("audit chain head")

    def __str__(self) -> str:
        return f"{self.entries} entries, head {self.hash[:12]}"
