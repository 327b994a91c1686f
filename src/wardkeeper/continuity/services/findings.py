"""Opening and resolving findings: one open finding per subject, one alert
(notification to the system's team) and, for the systems that warrant it,
one service-desk ticket. Every check of this area (backup freshness, failed
runs, size anomalies, stale destinations, restore tests, 3-2-1, storage)
reports through here.

CONTRACT (the helper "ingest" implements the bodies; others call them):
- ``raise_finding`` opens the subject's finding, or, when one is already
  open, updates its message and evidence (no second alert, no second
  ticket). On opening: audited (AuditedModel), the system's team is told
  through core notifications, and a ticket is opened when ``ticket`` is true
  (priority from the system's criticality, the system's team, origin
  ``continuity:<subject>``; a ticket still open for the subject gets a note).
- ``resolve_finding`` resolves the subject's open finding (if any) with a
  note on its ticket; returns it, or None when nothing was open.

Who is told: the engineer on call in the system's team (else its lead) and
the system's owner; a finding on a critical system is sent as urgent.
"""

from __future__ import annotations

import datetime as dt
from contextlib import nullcontext
from typing import Any

from django.db import IntegrityError, transaction
from django.urls import NoReverseMatch
from django.utils import timezone
from django.utils.translation import gettext as _

from wardkeeper.continuity.choices import FindingKind, FindingState
from wardkeeper.continuity.models import (
    BackupDestination,
    BackupJob,
    Finding,
    ProtectedSystem,
)
from wardkeeper.core import audit
from wardkeeper.core.notifications import notify
from wardkeeper.inventory.choices import Criticality
from wardkeeper.servicedesk.choices import (
    OPEN_STATES,
    Category,
    MaintenanceKind,
    Source,
)
from wardkeeper.servicedesk.models import Ticket
from wardkeeper.servicedesk.services import tickets
from wardkeeper.servicedesk.services.rota import on_call

EVENT_FOUND = "continuity_finding"
EVENT_CLEARED = "continuity_resolved"

# System criticality → (impact, urgency): the desk's matrix makes P1..P4.
IMPACT_URGENCY = {
    Criticality.CRITICAL: (1, 1),
    Criticality.HIGH: (1, 2),
    Criticality.NORMAL: (2, 2),
    Criticality.NON_CLINICAL: (3, 2),
}


def subject_of(
    kind: str,
    system: ProtectedSystem | None,
    job: BackupJob | None = None,
    destination: BackupDestination | None = None,
) -> str:
    """The key that makes a finding "the same problem": kind and subject."""
    parts = [kind]
    for prefix, obj in (("s", system), ("j", job), ("d", destination)):
        if obj is not None:
            parts.append(f"{prefix}{obj.pk}")
    return ":".join(parts)


def origin_of(subject: str) -> str:
    """The service-desk origin of a subject's tickets (one open per origin)."""
    return f"continuity:{subject}"


def link_of(finding: Finding) -> str:
    """The finding's page, once the pages are installed."""
    try:
        return finding.get_absolute_url()
    except NoReverseMatch:
        return ""


def raise_finding(
    kind: FindingKind,
    *,
    system: ProtectedSystem | None,
    job: BackupJob | None = None,
    destination: BackupDestination | None = None,
    message: str,
    evidence: dict[str, Any] | None = None,
    ticket: bool = True,
    now: dt.datetime | None = None,
) -> Finding:
    """Open the subject's finding (told, ticketed) or bring the open one up
    to date (told nobody again). Returns the finding."""
    now = now or timezone.now()
    subject = subject_of(kind, system, job, destination)
    message = str(message)[:500]
    evidence = dict(evidence or {})
    current = _open(subject)
    if current is not None:
        return _refresh(current, message, evidence)
    finding = Finding(
        kind=kind,
        system=system,
        job=job,
        destination=destination,
        subject=subject,
        opened_at=now,
        message=message,
        evidence=evidence,
    )
    try:
        with transaction.atomic():
            finding.save()
    except IntegrityError:
        # Another worker opened it a moment ago: that one speaks for both.
        current = _open(subject)
        assert current is not None
        return _refresh(current, message, evidence)
    with transaction.atomic():
        if ticket:
            finding.ticket = _open_or_note(finding, now)
            finding.save()
        _tell(finding, now)
    return finding


def resolve_finding(
    kind: FindingKind,
    *,
    system: ProtectedSystem | None,
    job: BackupJob | None = None,
    destination: BackupDestination | None = None,
    note: str = "",
    now: dt.datetime | None = None,
    actor: Any = None,
) -> Finding | None:
    """Resolve the subject's open finding with a note on its ticket; None
    when nothing was open. ``actor``: the person resolving it by hand (the
    audit entry and the ticket's note are theirs); None for the checks."""
    now = now or timezone.now()
    subject = subject_of(kind, system, job, destination)
    by_hand = audit.audit_context(actor=actor) if actor else nullcontext()
    with transaction.atomic(), by_hand:
        finding = (
            Finding.objects.select_for_update()
            .filter(subject=subject, state=FindingState.OPEN)
            .first()
        )
        if finding is None:
            return None
        finding.state = FindingState.RESOLVED
        finding.resolved_at = now
        finding.save(audit_action="resolved")
        text = note or _("Cleared: %(msg)s") % {"msg": finding.message}
        ticket = finding.ticket
        if ticket is not None and ticket.state in OPEN_STATES:
            tickets.log_work(
                ticket, author=actor, note=_("Backup checks: %s") % text, now=now
            )
        notify(
            EVENT_CLEARED,
            _people(finding.system, now),
            subject=(_("Cleared: %(msg)s") % {"msg": finding.message})[:200],
            body=text,
            link=link_of(finding),
        )
    return finding


def resolve_by_hand(finding: Finding, *, actor: Any) -> Finding | None:
    """Resolve this finding by hand (the page's button, the API's action),
    the user's note on its ticket; None when it is no longer open. Asked
    about a past finding whose problem came back, it leaves the new one."""
    if finding.state != FindingState.OPEN:
        return None
    return resolve_finding(
        FindingKind(finding.kind),
        system=finding.system,
        job=finding.job,
        destination=finding.destination,
        note=_("Resolved by hand by %(user)s.") % {"user": actor},
        actor=actor,
    )


def _open(subject: str) -> Finding | None:
    return Finding.objects.filter(subject=subject, state=FindingState.OPEN).first()


def _refresh(finding: Finding, message: str, evidence: dict[str, Any]) -> Finding:
    """Keep the open finding current; saved (and audited) only on a change."""
    if finding.message != message or finding.evidence != evidence:
        finding.message = message
        finding.evidence = evidence
        finding.save()
    return finding


def _people(system: ProtectedSystem | None, now: dt.datetime) -> list[Any]:
    """The team's engineer on call (else its lead) and the system's owner."""
    if system is None:
        return []
    people: list[Any] = []
    team = system.team if system.team_id else None
    if team is not None:
        people.append(on_call(team, now) or team.lead)
    if system.owner_id:
        people.append(system.owner)
    return [person for person in people if person is not None]


def _tell(finding: Finding, now: dt.datetime) -> None:
    system = finding.system
    notify(
        EVENT_FOUND,
        _people(system, now),
        subject=finding.message[:200],
        body=_description(finding),
        link=link_of(finding),
        urgent=system is not None and system.criticality == Criticality.CRITICAL,
    )


def _description(finding: Finding) -> str:
    lines = [finding.message]
    if finding.evidence:
        lines.append("")
        lines += [f"{key}: {value}" for key, value in finding.evidence.items()]
    return "\n".join(lines)


def _open_or_note(finding: Finding, now: dt.datetime) -> Ticket:
    """The subject's open ticket, noted again; else a new one for the
    system's team, its priority from the system's criticality."""
    system = finding.system
    criticality = system.criticality if system is not None else Criticality.NORMAL
    impact, urgency = IMPACT_URGENCY[Criticality(criticality)]
    return tickets.open_or_note(
        tickets.Report(
            title=finding.message[:200],
            description=_description(finding),
            category=Category.DATA,
            kind=MaintenanceKind.CORRECTIVE,
            impact=impact,
            urgency=urgency,
            reporter_name=_("Backup checks"),
            source=Source.MONITORING,
            origin=origin_of(finding.subject),
            # The system's team takes it (its engineer on call, else its
            # queue), whatever team the desk would route data faults to.
            team=system.team if system is not None else None,
        ),
        _description(finding),
        now=now,
    )
