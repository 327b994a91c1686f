"""Alerts: one per real fault, routed by the alert rules to people and
channels, optionally with a ticket; acknowledged, silenced, escalated.

Only a root cause alerts: a check confirmed down that is not behind a down
parent and not inside a maintenance window (services/state.py decides).
There is never more than one unresolved alert per check — a database
constraint holds it even against a restarted or second monitor.

Routing: the first active rule (by order) whose severity, asset
criticality, team and local time match. A check matched by no rule still
gets its alert (on the board) and the team's engineer on call is told; no
ticket is opened.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.urls import NoReverseMatch
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from wardkeeper.core import audit
from wardkeeper.core.errors import DomainError
from wardkeeper.core.models.audit import AuditAction
from wardkeeper.core.notifications import notify
from wardkeeper.monitoring.choices import AlertState, Severity
from wardkeeper.monitoring.models import Alert, AlertRule, Check
from wardkeeper.monitoring.services import incidents
from wardkeeper.servicedesk.models import Team
from wardkeeper.servicedesk.services.assignment import choose_team
from wardkeeper.servicedesk.services.rota import on_call

logger = logging.getLogger(__name__)

EVENT_DOWN = "monitoring_down"
EVENT_UP = "monitoring_up"
EVENT_ESCALATED = "monitoring_escalated"


def link_of(check: Check) -> str:
    """The check's page, once the pages are installed."""
    try:
        return check.get_absolute_url()
    except NoReverseMatch:
        return ""


def team_of(check: Check) -> Team | None:
    """The check's team, else the team that takes its asset's faults."""
    if check.team_id:
        return check.team
    asset: Any = check.asset if check.asset_id else None
    place = asset.location if asset is not None and asset.location_id else None
    return choose_team(incidents.category_of(check), place)


def route(check: Check, team: Team | None, at: dt.datetime) -> AlertRule | None:
    """The first active rule that takes this check's alert at ``at``."""
    asset: Any = check.asset if check.asset_id else None
    criticality = asset.criticality if asset is not None else None
    for rule in AlertRule.objects.filter(is_active=True).order_by("order", "pk"):
        if check.severity > rule.max_severity:
            continue
        if rule.max_criticality is not None and (
            criticality is None or criticality > rule.max_criticality
        ):
            continue
        if rule.team_id is not None and (team is None or rule.team_id != team.pk):
            continue
        if rule.applies_at(at):
            return rule
    return None


@dataclass(frozen=True)
class Wording:
    """How the alert of a kind of check reads where people see it: ``down``
    opens the message (the probe's detail follows), ``up`` tells of the
    recovery."""

    down: str
    up: str
    # The probe's detail opens with its reason ("violation: …"); a wording
    # that already says so names that reason and the message leaves it out.
    says: str = ""


# Areas whose checks mean something other than "down" when they fail add a
# function here (check → Wording, or None for a check not theirs); the first
# that answers wins. The network's segmentation checks do (a connection that
# gets through is a violation, not an outage).
WORDINGS: list[Callable[[Check], Wording | None]] = []


def wording_of(check: Check) -> Wording:
    """The words of ``check``'s alert: an area's own, else "is down/up"."""
    for hook in WORDINGS:
        found = hook(check)
        if found is not None:
            return found
    return Wording(
        down=_("%(check)s is down") % {"check": check},
        up=_("%(check)s is up again") % {"check": check},
    )


def message_for(check: Check, affected: int, detail: str) -> str:
    wording = wording_of(check)
    text = wording.down
    if wording.says:
        detail = detail.removeprefix(f"{wording.says}: ")
    if detail:
        text += f": {detail}"
    if affected:
        text += ". " + ngettext(
            "Root cause: %(count)d dependent check is unreachable.",
            "Root cause: %(count)d dependent checks are unreachable.",
            affected,
        ) % {"count": affected}
    return text[:500]


def raise_alert(
    check: Check, *, affected: int, detail: str, now: dt.datetime
) -> Alert | None:
    """Open the check's alert, tell people, open the ticket; ``None`` if the
    check already has an unresolved alert (its count of affected children is
    brought up to date instead)."""
    current = Alert.objects.filter(source=check).exclude(state=AlertState.RESOLVED)
    if current.exists():
        update_affected(check, affected)
        return None
    team = team_of(check)
    rule = route(check, team, now)
    alert = Alert(
        source=check,
        severity=check.severity,
        opened_at=now,
        affected=affected,
        message=message_for(check, affected, detail),
        rule=rule,
    )
    try:
        with transaction.atomic():
            alert.save()
    except IntegrityError:
        return None  # another monitor opened it a moment ago
    _tell(alert, rule, team, now)
    if rule is not None and rule.open_ticket:
        alert.ticket = incidents.open_or_note(alert, now)
        alert.save()
    return alert


def _tell(alert: Alert, rule: AlertRule | None, team: Team | None, now: Any) -> None:
    people = []
    if team is not None and (rule is None or rule.notify_team):
        people.append(on_call(team, now))
    notify(
        EVENT_DOWN,
        [p for p in people if p is not None],
        extra_channels=rule.channels.all() if rule is not None else [],
        subject=alert.message[:200],
        body=alert.message,
        link=link_of(alert.source),
        urgent=alert.severity == Severity.CRITICAL,
    )


def update_affected(check: Check, affected: int) -> None:
    """Keep the unresolved alert's count of unreachable children current."""
    for alert in Alert.objects.filter(source=check).exclude(state=AlertState.RESOLVED):
        if alert.affected != affected:
            alert.affected = affected
            alert.message = message_for(check, affected, "")
            alert.save()


def recover(check: Check, now: dt.datetime) -> Alert | None:
    """The check is up again: its alert is resolved, its ticket noted (and
    resolved later by ``incidents.settle``)."""
    alert = (
        Alert.objects.filter(source=check)
        .exclude(state=AlertState.RESOLVED)
        .select_related("ticket", "acknowledged_by")
        .first()
    )
    if alert is None:
        return None
    alert.state = AlertState.RESOLVED
    alert.resolved_at = now
    alert.save()
    if alert.ticket is not None:
        incidents.note_recovery(alert.ticket, check, now)
    people = [alert.acknowledged_by] if alert.acknowledged_by else []
    notify(
        EVENT_UP,
        people,
        subject=wording_of(check).up,
        body=_("%(check)s recovered at %(time)s.")
        % {"check": check, "time": timezone.localtime(now).strftime("%H:%M")},
        link=link_of(check),
    )
    return alert


def resolve_quietly(check_ids: Iterable[int], now: dt.datetime, reason: str) -> int:
    """Resolve the alerts of checks that turned out to be behind a down
    parent (the parent's alert now speaks for them)."""
    count = 0
    for alert in Alert.objects.filter(source_id__in=list(check_ids)).exclude(
        state=AlertState.RESOLVED
    ):
        alert.state = AlertState.RESOLVED
        alert.resolved_at = now
        alert.message = f"{alert.message} ({reason})"[:500]
        alert.save()
        count += 1
    return count


def _refuse_resolved(alert: Alert) -> None:
    if alert.state == AlertState.RESOLVED:
        raise DomainError(_("This alert is already resolved."), code="resolved")


@transaction.atomic
def acknowledge(alert: Alert, user: Any, *, now: dt.datetime | None = None) -> Alert:
    """Someone is on it: escalation stops. Raises DomainError if resolved."""
    alert = Alert.objects.select_for_update().get(pk=alert.pk)
    _refuse_resolved(alert)
    alert.acknowledged_by = user
    alert.acknowledged_at = now or timezone.now()
    if alert.state == AlertState.OPEN:
        alert.state = AlertState.ACKNOWLEDGED
    with audit.audit_context(actor=user):
        alert.save(audit_action="acknowledged")
    return alert


@transaction.atomic
def silence(
    alert: Alert, user: Any, until: dt.datetime, *, now: dt.datetime | None = None
) -> Alert:
    """Quiet until ``until`` (no escalation meanwhile). Raises DomainError if
    resolved or ``until`` is not in the future."""
    now = now or timezone.now()
    if until <= now:
        raise DomainError(_("Silence until a time in the future."), field="until")
    alert = Alert.objects.select_for_update().get(pk=alert.pk)
    _refuse_resolved(alert)
    alert.state = AlertState.SILENCED
    alert.silenced_until = until
    with audit.audit_context(actor=user):
        alert.save(audit_action="silenced")
    return alert


@transaction.atomic
def unsilence(alert: Alert, user: Any) -> Alert:
    """End a silence now (or when it runs out: ``expire_silences``)."""
    alert = Alert.objects.select_for_update().get(pk=alert.pk)
    if alert.state != AlertState.SILENCED:
        return alert
    alert.state = (
        AlertState.ACKNOWLEDGED if alert.acknowledged_by_id else AlertState.OPEN
    )
    alert.silenced_until = None
    with audit.audit_context(actor=user):
        alert.save(audit_action="unsilenced")
    return alert


def expire_silences(now: dt.datetime) -> int:
    expired = Alert.objects.filter(state=AlertState.SILENCED, silenced_until__lte=now)
    for alert in expired:
        unsilence(alert, None)
    return len(expired)


def escalate_due(now: dt.datetime) -> int:
    """Tell the team lead about open alerts nobody acknowledged within their
    rule's ``escalate_after``; each alert escalates once."""
    candidates = Alert.objects.filter(
        state=AlertState.OPEN,
        escalated_at__isnull=True,
        rule__escalate_after__isnull=False,
    ).select_related("rule", "source__team", "source__asset__location")
    count = 0
    for alert in candidates:
        assert alert.rule is not None
        assert alert.rule.escalate_after is not None
        if alert.opened_at + dt.timedelta(minutes=alert.rule.escalate_after) > now:
            continue
        # Claim it: a second worker's update changes no row and sends nothing.
        with transaction.atomic():
            claimed = Alert.objects.filter(
                pk=alert.pk, state=AlertState.OPEN, escalated_at__isnull=True
            ).update(escalated_at=now)
            if claimed != 1:
                continue
            audit.append(
                [
                    audit.build_entry(
                        AuditAction.UPDATE,
                        alert,
                        changes={"escalated_at": [None, now.isoformat()]},
                        message=_("escalated: not acknowledged"),
                    )
                ]
            )
            team = alert.rule.team or team_of(alert.source)
            lead = team.lead if team is not None else None
            notify(
                EVENT_ESCALATED,
                [lead] if lead is not None else [],
                extra_channels=alert.rule.channels.all(),
                subject=_("Not acknowledged: %(msg)s") % {"msg": alert.message[:150]},
                body=alert.message,
                link=link_of(alert.source),
                urgent=True,
            )
        count += 1
    return count
