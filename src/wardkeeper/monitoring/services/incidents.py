"""The service-desk side of an alert: the ticket it opens, the note on
recovery, and resolving the ticket once the service has stayed up.

One open ticket per check (its ``origin`` is ``check:<id>``): a check that
goes down again while its ticket is open adds a note to that ticket.

A recovered service's ticket is resolved by monitoring after
``MONITOR_RECOVERY_MINUTES`` (default 10) of the check staying up, unless an
engineer has taken it: the ticket is no longer new or assigned (in
progress, waiting, reopened), or a person moved it, wrote in its work log or
recorded a visit. Then it is theirs to resolve.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.translation import gettext as _

from wardkeeper.inventory.choices import AssetCategory
from wardkeeper.monitoring import conf
from wardkeeper.monitoring.choices import CheckStatus, Severity
from wardkeeper.monitoring.models import Alert, Check
from wardkeeper.servicedesk.choices import (
    OPEN_STATES,
    Category,
    MaintenanceKind,
    ResolutionCode,
    Source,
    TicketState,
)
from wardkeeper.servicedesk.models import Ticket
from wardkeeper.servicedesk.services import tickets

# Severity → (impact, urgency): the priority matrix turns them into P1..P4;
# a fault on a critical asset is P1 whatever they say (priority rules).
IMPACT_URGENCY = {
    Severity.CRITICAL: (1, 1),
    Severity.MAJOR: (2, 1),
    Severity.MINOR: (2, 2),
    Severity.INFO: (3, 3),
}
UNTAKEN_STATES = frozenset({TicketState.NEW, TicketState.ASSIGNED})


def origin_of(check: Check) -> str:
    return f"check:{check.pk}"


def category_of(check: Check) -> str:
    asset: Any = check.asset if check.asset_id else None
    if asset is None or asset.asset_type.category == AssetCategory.NETWORK:
        return Category.NETWORK
    return Category.HARDWARE


def open_or_note(alert: Alert, now: dt.datetime) -> Ticket:
    """The check's open ticket, noted again; else a new one from the alert."""
    from wardkeeper.monitoring.services.alerts import wording_of

    check = alert.source
    impact, urgency = IMPACT_URGENCY[Severity(alert.severity)]
    return tickets.open_or_note(
        tickets.Report(
            title=wording_of(check).down[:200],
            description=alert.message,
            category=category_of(check),
            kind=MaintenanceKind.CORRECTIVE,
            impact=impact,
            urgency=urgency,
            asset=check.asset if check.asset_id else None,
            reporter_name=_("Monitoring"),
            source=Source.MONITORING,
            origin=origin_of(check),
        ),
        alert.message,
        now=now,
    )


def note_recovery(ticket: Ticket, check: Check, now: dt.datetime) -> None:
    from wardkeeper.monitoring.services.alerts import wording_of

    if ticket.state in OPEN_STATES:
        tickets.log_work(
            ticket,
            author=None,
            note=_("Monitoring: %(what)s.") % {"what": wording_of(check).up},
            now=now,
        )


def is_taken(ticket: Ticket) -> bool:
    """Has an engineer taken the ticket (see the module's rule)?"""
    return (
        ticket.state not in UNTAKEN_STATES
        or ticket.transitions.filter(actor__isnull=False).exists()
        or ticket.worklogs.filter(author__isnull=False).exists()
        or ticket.visits.exists()
    )


def settle(now: dt.datetime) -> dict[str, int]:
    """Resolve the tickets of alerts whose check has stayed up for the
    confirmation period (and that no engineer has taken)."""
    period = dt.timedelta(minutes=conf.get("MONITOR_RECOVERY_MINUTES"))
    code = conf.get("MONITOR_RESOLUTION_CODE")
    if code not in ResolutionCode.values:
        code = ResolutionCode.NOT_REPRODUCIBLE
    alerts = (
        Alert.objects.filter(
            resolved_at__lte=now - period,
            # Alerts from the last week only: older ones were settled or kept.
            resolved_at__gte=now - period - dt.timedelta(days=7),
            ticket__state__in=OPEN_STATES,
            source__status=CheckStatus.UP,
            source__status_since__lte=now - period,
        )
        .select_related("ticket", "source")
        .order_by("resolved_at")
    )
    resolved = kept = 0
    for alert in alerts:
        ticket = alert.ticket
        assert ticket is not None
        if Alert.objects.filter(source=alert.source).exclude(state="resolved").exists():
            continue  # down again: the ticket stays open
        if is_taken(ticket):
            kept += 1
            continue
        tickets.resolve(
            ticket,
            code=code,
            actor=None,
            resolution=_("monitoring: service recovered"),
            note=_("Monitoring: %(check)s has stayed up for %(minutes)d minutes.")
            % {"check": alert.source, "minutes": int(period.total_seconds() // 60)},
            now=now,
        )
        resolved += 1
    return {"resolved": resolved, "kept": kept}
