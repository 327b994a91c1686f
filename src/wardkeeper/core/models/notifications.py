"""Notifications: where messages go (channels, each person's preferences) and
each message queued for one recipient (deliveries), retried until it is sent
or given up. The sending itself lives in ``wardkeeper.core.notifications``."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from wardkeeper.core.fields import EncryptedTextField
from wardkeeper.core.models.base import AuditedModel

__all__ = [
    "Channel",
    "ChannelKind",
    "Delivery",
    "DeliveryState",
    "NotificationEvent",
    "NotificationPreference",
]


class NotificationEvent(models.TextChoices):
    """Everything Wardkeeper tells people about. An area that adds events adds
    them here, so channels and preferences can subscribe to them."""

    ASSIGNED = "assigned", _("ticket assigned")
    SLA_WARNING = "sla_warning", _("SLA about to be breached")
    SLA_BREACH = "sla_breach", _("SLA breached")
    ESCALATED = "escalated", _("ticket escalated")
    RESOLVED = "resolved", _("ticket resolved")
    REOPENED = "reopened", _("ticket reopened")
    RESTOCK = "restock", _("spare pool below minimum")
    WORKORDER_OVERDUE = "workorder_overdue", _("maintenance work order overdue")
    MONITORING_DOWN = "monitoring_down", _("a monitored service is down")
    MONITORING_UP = "monitoring_up", _("a monitored service is back up")
    MONITORING_ESCALATED = "monitoring_escalated", _("a monitoring alert escalated")
    CONTINUITY_FINDING = "continuity_finding", _("a backup or recovery problem found")
    CONTINUITY_RESOLVED = (
        "continuity_resolved",
        _("a backup or recovery problem cleared"),
    )
    RUNBOOK_REVIEW = (
        "runbook_review",
        _("a runbook draft asked for review, sent back or approved"),
    )
    TEST = "test", _("test message")


class ChannelKind(models.TextChoices):
    EMAIL = "email", _("e-mail")
    WEBHOOK = "webhook", _("generic JSON webhook")
    WECOM = "wecom", _("WeCom group robot")
    DINGTALK = "dingtalk", _("DingTalk group robot")
    SLACK = "slack", _("Slack incoming webhook")
    TEAMS = "teams", _("Microsoft Teams incoming webhook")

    @classmethod
    def webhooks(cls) -> list[tuple[str, Any]]:
        return [(value, label) for value, label in cls.choices if value != cls.EMAIL]


class DeliveryState(models.TextChoices):
    PENDING = "pending", _("pending")
    SENT = "sent", _("sent")
    FAILED = "failed", _("failed, will retry")
    GAVE_UP = "gave_up", _("gave up")

    @property
    def badge(self) -> str:
        return {
            "pending": "info",
            "sent": "success",
            "failed": "warning",
            "gave_up": "danger",
        }[self.value]


class Channel(AuditedModel):
    """A shared destination for messages: a team mailbox, or a chat group's
    robot (WeCom, DingTalk, Slack, Teams) or any system taking JSON. It gets
    every event it subscribes to, whoever the people told are."""

    audit_secret = frozenset({"url", "secret"})

    name = models.CharField(_("name"), max_length=120, unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=ChannelKind.choices)
    # The webhook URL, or the e-mail address for an e-mail channel. Robot URLs
    # carry their access token, so they are kept encrypted.
    url = EncryptedTextField(
        _("address"), help_text=_("The webhook URL, or the e-mail address.")
    )
    secret = EncryptedTextField(
        _("signing secret"),
        blank=True,
        default="",
        help_text=_("DingTalk only: the robot's signing secret (SEC…)."),
    )
    events = models.JSONField(_("events"), default=list, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("notification channel")
        verbose_name_plural = _("notification channels")
        ordering = ["name"]
        permissions = [
            ("manage_notifications", _("Manage notification channels and deliveries"))
        ]

    def __str__(self) -> str:
        return self.name

    def event_labels(self) -> list[str]:
        labels = dict(NotificationEvent.choices)
        return [str(labels.get(code, code)) for code in self.events]


class NotificationPreference(AuditedModel):
    """What one person wants to be told about one kind of event: by e-mail or
    not, and optionally on a chat robot of their own. No row: e-mail on."""

    audit_secret = frozenset({"webhook_url"})

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="notification_preferences",
    )
    event = models.CharField(_("event"), max_length=40)
    email = models.BooleanField(_("e-mail"), default=True)
    webhook_kind = models.CharField(
        _("chat robot kind"),
        max_length=10,
        choices=ChannelKind.webhooks(),
        blank=True,
    )
    webhook_url = EncryptedTextField(_("chat robot URL"), blank=True, default="")

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "event"], name="notification_preference_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.event}"


class DeliveryQuerySet(models.QuerySet["Delivery"]):
    def due(self, now: Any) -> DeliveryQuerySet:
        """Deliveries to try now (served by the state/next-attempt index)."""
        return self.filter(
            state__in=(DeliveryState.PENDING, DeliveryState.FAILED),
            next_attempt_at__lte=now,
        )


class Delivery(models.Model):
    """One message for one recipient (a person or a channel) on one medium.

    Not an AuditedModel: each attempt changes the row, and recording every
    save through the locked audit chain would serialise the worker on it.
    The notifications package writes the trail itself in batches
    (``audit.build_entry`` + ``audit.append``): queued, sent, given up, retried.
    """

    event = models.CharField(_("event"), max_length=40)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="notification_deliveries",
    )
    channel = models.ForeignKey(
        Channel,
        verbose_name=_("channel"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="deliveries",
    )
    kind = models.CharField(_("kind"), max_length=10, choices=ChannelKind.choices)
    # A person's e-mail address or own robot URL, taken when queued; a
    # channel's address is read from the channel at each attempt.
    address = EncryptedTextField(_("address"), blank=True, default="")
    subject = models.CharField(_("subject"), max_length=255)
    body = models.TextField(_("message"), blank=True)
    link = models.URLField(_("link"), max_length=500, blank=True)
    payload = models.JSONField(_("payload"), default=dict, blank=True)
    urgent = models.BooleanField(_("urgent"), default=False)
    state = models.CharField(
        _("state"),
        max_length=10,
        choices=DeliveryState.choices,
        default=DeliveryState.PENDING,
    )
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("queued"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    objects = DeliveryQuerySet.as_manager()
    badge_choices = {"state": DeliveryState}

    class Meta:
        verbose_name = _("notification delivery")
        verbose_name_plural = _("notification deliveries")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["state", "next_attempt_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.recipient_label} · {self.subject}"

    @property
    def recipient_label(self) -> str:
        return str(self.user or self.channel or "—")

    @property
    def event_label(self) -> str:
        return str(dict(NotificationEvent.choices).get(self.event, self.event))

    @property
    def can_retry(self) -> bool:
        return self.state != DeliveryState.SENT
