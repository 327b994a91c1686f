"""States and kinds of monitoring, each with the badge colour it shows in."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class CheckStatus(models.TextChoices):
    """The engine's statuses (engine/spec.Status) plus the two the server adds."""

    UP = "up", _("up")
    DEGRADED = "degraded", pgettext_lazy("check status", "degraded")
    DOWN = "down", _("down")
    UNREACHABLE = "unreachable", _("unreachable (a parent is down)")
    UNKNOWN = "unknown", _("unknown")
    PAUSED = "paused", _("paused")

    @property
    def badge(self) -> str:
        return {
            "up": "success",
            "degraded": "warning",
            "down": "danger",
            "unreachable": "secondary",
            "unknown": "light",
            "paused": "light",
        }[self.value]


class CheckKind(models.TextChoices):
    ICMP = "icmp", _("ping (ICMP echo)")
    TCP = "tcp", _("TCP connect")
    HTTP = "http", _("HTTP(S)")
    TLS = "tls", _("TLS certificate")
    DNS = "dns", _("DNS")
    SMTP = "smtp", _("SMTP")
    IMAP = "imap", _("IMAP")
    SNMP = "snmp", _("SNMP")
    POSTGRES = "postgres", _("PostgreSQL")
    MYSQL = "mysql", _("MySQL / MariaDB")
    DICOM_ECHO = "dicom_echo", _("DICOM C-ECHO")
    DICOM_WORKLIST = "dicom_worklist", _("DICOM worklist C-FIND")
    HL7 = "hl7", _("HL7 v2 over MLLP")
    HL7_PASSIVE = "hl7_passive", _("HL7 interface traffic")
    SIP = "sip", _("SIP OPTIONS")
    REDFISH = "redfish", _("Redfish storage (server management controller)")
    THROUGHPUT = "throughput", _("throughput (time to move N MB)")
    # Judged by the server from a poller's reports, never probed.
    HEARTBEAT = "heartbeat", _("poller heartbeat")


# Kinds people may choose for a check (the rest are the system's own).
CHOOSABLE_KINDS = [
    (k, label) for k, label in CheckKind.choices if k != CheckKind.HEARTBEAT
]


class Severity(models.IntegerChoices):
    CRITICAL = 1, _("critical")
    MAJOR = 2, _("major")
    MINOR = 3, _("minor")
    INFO = 4, _("information")

    @property
    def badge(self) -> str:
        return {1: "danger", 2: "warning", 3: "info", 4: "secondary"}[self.value]


class AlertState(models.TextChoices):
    OPEN = "open", pgettext_lazy("alert state", "open")
    ACKNOWLEDGED = "acknowledged", _("acknowledged")
    SILENCED = "silenced", _("silenced")
    RESOLVED = "resolved", _("resolved")

    @property
    def badge(self) -> str:
        return {
            "open": "danger",
            "acknowledged": "warning",
            "silenced": "secondary",
            "resolved": "success",
        }[self.value]


class Recurrence(models.TextChoices):
    ONCE = "once", _("once")
    DAILY = "daily", _("every day")
    WEEKLY = "weekly", _("every week")
    MONTHLY = "monthly", _("every month")
