"""Kinds and states of the service desk, each with the badge colour it shows in."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Category(models.TextChoices):
    HARDWARE = "hardware", _("hardware")
    NETWORK = "network", _("network")
    SOFTWARE = "software", _("software and application")
    DATA = "data", _("data")
    ACCESS = "access", _("account and access")
    SECURITY = "security", _("security")


class MaintenanceKind(models.TextChoices):
    """The four kinds of maintenance (PRODUCT.md): a fault is corrective."""

    CORRECTIVE = "corrective", _("corrective")
    ADAPTIVE = "adaptive", _("adaptive")
    PERFECTIVE = "perfective", _("perfective")
    PREVENTIVE = "preventive", _("preventive")


class Impact(models.IntegerChoices):
    """How much care is affected: a whole ward, a few users, one person."""

    WIDE = 1, _("many people or a whole service")
    SOME = 2, _("a team or a few people")
    ONE = 3, _("one person or one device")


class Urgency(models.IntegerChoices):
    """How soon harm follows if nothing is done."""

    HIGH = 1, _("work has stopped")
    MEDIUM = 2, _("work is slowed, a workaround exists")
    LOW = 3, _("can wait")


class Priority(models.IntegerChoices):
    P1 = 1, _("P1 critical")
    P2 = 2, _("P2 high")
    P3 = 3, _("P3 normal")
    P4 = 4, _("P4 low")

    @property
    def badge(self) -> str:
        return {1: "danger", 2: "warning", 3: "info", 4: "secondary"}[self.value]


class TicketState(models.TextChoices):
    NEW = "new", _("new")
    ASSIGNED = "assigned", _("assigned")
    IN_PROGRESS = "in_progress", _("in progress")
    WAITING = "waiting", _("waiting")
    RESOLVED = "resolved", _("resolved")
    CLOSED = "closed", _("closed")
    REOPENED = "reopened", _("reopened")

    @property
    def badge(self) -> str:
        return {
            "new": "danger",
            "assigned": "primary",
            "in_progress": "primary",
            "waiting": "warning",
            "resolved": "success",
            "closed": "secondary",
            "reopened": "danger",
        }[self.value]


# States in which the ticket still needs work (the "open" tickets).
OPEN_STATES = frozenset(
    {
        TicketState.NEW,
        TicketState.ASSIGNED,
        TicketState.IN_PROGRESS,
        TicketState.WAITING,
        TicketState.REOPENED,
    }
)

# The moves the desk allows; anything else is refused with the reason.
TICKET_MOVES: dict[str, frozenset[str]] = {
    TicketState.NEW: frozenset(
        {TicketState.ASSIGNED, TicketState.IN_PROGRESS, TicketState.RESOLVED}
    ),
    TicketState.ASSIGNED: frozenset(
        {
            TicketState.ASSIGNED,
            TicketState.IN_PROGRESS,
            TicketState.WAITING,
            TicketState.RESOLVED,
        }
    ),
    TicketState.IN_PROGRESS: frozenset(
        {TicketState.ASSIGNED, TicketState.WAITING, TicketState.RESOLVED}
    ),
    TicketState.WAITING: frozenset(
        {TicketState.IN_PROGRESS, TicketState.ASSIGNED, TicketState.RESOLVED}
    ),
    TicketState.RESOLVED: frozenset({TicketState.CLOSED, TicketState.REOPENED}),
    TicketState.REOPENED: frozenset(
        {
            TicketState.ASSIGNED,
            TicketState.IN_PROGRESS,
            TicketState.WAITING,
            TicketState.RESOLVED,
        }
    ),
    TicketState.CLOSED: frozenset({TicketState.REOPENED}),
}


class WaitingFor(models.TextChoices):
    REPORTER = "reporter", _("the reporter")
    PARTS = "parts", _("parts")
    VENDOR = "vendor", _("the vendor")


class Source(models.TextChoices):
    FORM = "form", _("report form")
    LABEL = "label", _("asset label")
    API = "api", _("API")
    MONITORING = "monitoring", _("monitoring")
    MAINTENANCE = "maintenance", _("maintenance or inspection")
    DESK = "desk", _("service desk")


class ResolutionCode(models.TextChoices):
    REPAIRED = "repaired", _("repaired on site")
    SWAPPED = "swapped", _("swapped with a spare")
    VENDOR = "vendor", _("repaired by the vendor")
    CONFIGURED = "configured", _("configuration changed")
    SOFTWARE = "software", _("software fixed or reinstalled")
    ADVICE = "advice", _("advice given, no fault found")
    WORKAROUND = "workaround", _("workaround applied")
    DUPLICATE = "duplicate", _("duplicate of another ticket")
    NOT_REPRODUCIBLE = "not_reproducible", _("could not reproduce")
    RECOVERED = "recovered", _("service recovered (seen by monitoring)")
