"""Segmentation, verified from inside each zone: the flow policy turned into
monitoring checks run by the source zone's pollers, and the security side
of what they find.

``sync`` derives one check per (rule, poller of the source zone, target,
port) from the flow rules and keeps the checks in step (idempotent: run it
as often as you like; the ``network.segmentation`` job runs it every few
minutes, and saving or deleting a rule or a poller runs it once the change
is committed):

- TCP: a TCP connect to target:port; ICMP: an echo to the target.
- A must-be-refused rule's checks are inverted (``expect: "refused"``,
  handled by the engine): a connection that gets through is DOWN with
  reason "violation" and the evidence (source zone, poller, destination,
  port, time); a refusal or a timeout is UP. A must-pass rule's checks are
  plain, their failures reason "blocked" (``expect: "pass"``).
- UDP is not probed: a datagram that gets no answer proves nothing either
  way. Such rules are skipped and say so (``probe_notes``).
- A rule whose source zone has no enabled poller is not probed either.

A derived check carries ``flow_rule`` and ``flow_key`` in its params; a
check whose rule or poller went away is deleted, one whose rule or poller
is disabled is disabled. Derived checks are critical: their alert is a
security alert. ``escalate`` makes sure each open one has a ticket (for the
network team, by category) and the security team told (the team taking
"security" tickets: its engineer on call and lead, as watchers of the
ticket, notified once).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext as _

from wardkeeper.core.notifications import notify
from wardkeeper.monitoring.choices import AlertState, CheckKind, Severity
from wardkeeper.monitoring.models import Alert, Check, Poller
from wardkeeper.monitoring.services import alerts, incidents
from wardkeeper.network.choices import FlowAction, FlowProtocol
from wardkeeper.network.models import FlowRule
from wardkeeper.servicedesk.choices import (
    Category,
    MaintenanceKind,
    Source,
)
from wardkeeper.servicedesk.models import Ticket
from wardkeeper.servicedesk.services import tickets
from wardkeeper.servicedesk.services.assignment import choose_team
from wardkeeper.servicedesk.services.rota import on_call

logger = logging.getLogger(__name__)

DEFAULT_INTERVAL = 300
MAX_PORTS = 64  # per rule: a wide range is sampled at its ends, not swept
EVENT_VIOLATION = "network_segmentation"
SECURITY_MARK = "[security-notified]"


def interval() -> int:
    """Seconds between two probes of one path
    (``WARDKEEPER_NETWORK_SEGMENTATION_INTERVAL``, default 300)."""
    return max(
        1, int(getattr(settings, "NETWORK_SEGMENTATION_INTERVAL", DEFAULT_INTERVAL))
    )


def parse_ports(text: str) -> tuple[list[int], bool]:
    """The ports of "104, 11112, 8000-8010" (sorted, unique), and whether
    the list was cut at MAX_PORTS. Bad entries are left out."""
    ports: set[int] = set()
    for part in text.replace(";", ",").split(","):
        part = part.strip()
        if not part:
            continue
        low, _sep, high = part.partition("-")
        try:
            first = int(low)
            last = int(high) if high.strip() else first
        except ValueError:
            continue
        if first > last:
            first, last = last, first
        for port in range(max(1, first), min(65535, last) + 1):
            ports.add(port)
            if len(ports) > MAX_PORTS:
                break
    ordered = sorted(ports)
    return ordered[:MAX_PORTS], len(ordered) > MAX_PORTS


def targets_of(rule: FlowRule) -> list[str]:
    seen: list[str] = []
    for line in rule.targets.replace(",", "\n").splitlines():
        host = line.strip()
        if host and host not in seen:
            seen.append(host)
    return seen


@dataclass(frozen=True)
class ProbePlan:
    """What the pollers probe of one rule: how many probes (one a poller,
    target and port), from how many pollers, and why some or all of it is
    not probed (``notes``)."""

    probes: int
    pollers: int
    notes: list[str]

    @property
    def verified(self) -> bool:
        return self.probes > 0


def probe_plans(rules: Iterable[FlowRule]) -> dict[int, ProbePlan]:
    """rule pk → its ProbePlan, for the policy page (one query for the
    pollers, whatever the number of rules)."""
    pollers = Counter(
        Poller.objects.filter(enabled=True, zone__isnull=False).values_list(
            "zone_id", flat=True
        )
    )
    return {rule.pk: _plan(rule, pollers[rule.source_id]) for rule in rules}


def probe_notes(rule: FlowRule) -> list[str]:
    """Why (part of) a rule is not probed, for the rule's page."""
    return probe_plans([rule])[rule.pk].notes


def _plan(rule: FlowRule, pollers: int) -> ProbePlan:
    notes = []
    targets = targets_of(rule)
    ports, cut = parse_ports(rule.ports)
    if rule.protocol == FlowProtocol.UDP:
        notes.append(
            _(
                "UDP cannot be verified by a connection (an unanswered datagram "
                "proves nothing): this rule is not probed."
            )
        )
    if not targets:
        notes.append(_("No targets: name the hosts to probe in the destination zone."))
    if rule.protocol == FlowProtocol.TCP and not ports:
        notes.append(_("No ports: a TCP rule is probed on its ports."))
    if rule.protocol == FlowProtocol.TCP and cut:
        notes.append(
            _("Only the first %(count)d ports are probed.") % {"count": MAX_PORTS}
        )
    if not pollers:
        notes.append(
            _("No poller runs in zone %(zone)s: nothing verifies this rule.")
            % {"zone": rule.source}
        )
    if not rule.enabled:
        notes.append(_("The rule is disabled: its probes are paused."))
    per_poller = len(targets) * (len(ports) if rule.protocol == FlowProtocol.TCP else 1)
    probed = rule.enabled and rule.protocol != FlowProtocol.UDP
    return ProbePlan(per_poller * pollers if probed else 0, pollers, notes)


@dataclass
class Summary:
    created: int = 0
    updated: int = 0
    disabled: int = 0
    deleted: int = 0
    unchanged: int = 0
    skipped: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, int]:
        return {
            "created": self.created,
            "updated": self.updated,
            "disabled": self.disabled,
            "deleted": self.deleted,
            "unchanged": self.unchanged,
            "skipped": len(self.skipped),
        }


def _wanted(rule: FlowRule, poller: Poller, every: int) -> dict[str, dict[str, Any]]:
    """flow_key → the fields of the checks one rule gives one poller."""
    refused = rule.action == FlowAction.REFUSE
    kind = CheckKind.TCP if rule.protocol == FlowProtocol.TCP else CheckKind.ICMP
    ports: list[int | None]
    ports = list(parse_ports(rule.ports)[0]) if kind == CheckKind.TCP else [None]
    verdict = _("must be refused") if refused else _("must pass")
    what = rule.service or rule.get_protocol_display()
    timeout = max(1, min(10, every // 2))
    wanted = {}
    for target in targets_of(rule):
        for port in ports:
            key = f"{rule.pk}:{poller.pk}:{target}:{port or 0}"
            where = f"{target}:{port}" if port else target
            proto = f"{rule.protocol}/{port}" if port else str(rule.protocol)
            params: dict[str, Any] = {
                "expect": "refused" if refused else "pass",
                "evidence": {
                    "zone": rule.source.name,
                    "poller": poller.name,
                    "destination": rule.destination.name,
                    "rule": rule.pk,
                    "service": rule.service,
                },
                "flow_rule": rule.pk,
                "flow_key": key,
            }
            if port:
                params["port"] = port
            else:
                params["count"] = 1
            name = _(
                "Segmentation %(source)s → %(destination)s: %(what)s %(proto)s "
                "%(where)s %(verdict)s"
            ) % {
                "source": rule.source.name,
                "destination": rule.destination.name,
                "what": what,
                "proto": proto,
                "where": where,
                "verdict": verdict,
            }
            wanted[key] = {
                "name": name[:150],
                "kind": kind,
                "host": target,
                "params": params,
                "poller": poller,
                "interval": every,
                "timeout": timeout,
                # One connection that gets through is proof enough; a
                # must-pass path may lose one SYN.
                "confirm_down": 1 if refused else 2,
                "confirm_up": 2,
                "severity": Severity.CRITICAL,
                "service": (rule.service or "")[:120],
                "enabled": rule.enabled and poller.enabled,
                "notes": _(
                    "Derived from the flow policy (%(rule)s): probed from zone "
                    "%(source)s by poller %(poller)s. Edit the rule, not this check."
                )
                % {"rule": rule, "source": rule.source.name, "poller": poller.name},
            }
    return wanted


def derived_checks() -> dict[str, Check]:
    """flow_key → the check derived for it (a duplicate key is left out)."""
    found: dict[str, Check] = {}
    rows = Check.objects.filter(params__has_key="flow_key").select_related("poller")
    for check in rows.order_by("pk"):
        key = str(check.params.get("flow_key"))
        found.setdefault(key, check)
    return found


@transaction.atomic
def sync(now: dt.datetime | None = None) -> Summary:
    """Bring the derived checks in line with the enabled flow rules."""
    summary = Summary()
    every = interval()
    pollers_by_zone: dict[int, list[Poller]] = {}
    for poller in Poller.objects.filter(zone__isnull=False).order_by("pk"):
        assert poller.zone_id is not None
        pollers_by_zone.setdefault(poller.zone_id, []).append(poller)
    wanted: dict[str, dict[str, Any]] = {}
    rules = FlowRule.objects.select_related("source", "destination").order_by("pk")
    for rule in rules:
        if rule.protocol == FlowProtocol.UDP:
            summary.skipped.append(f"{rule}: udp")
            continue
        zone_pollers = pollers_by_zone.get(rule.source_id, [])
        if not zone_pollers:
            summary.skipped.append(f"{rule}: no poller")
            continue
        for poller in zone_pollers:
            wanted.update(_wanted(rule, poller, every))
    existing = derived_checks()
    for key, gone in existing.items():
        if key in wanted:
            continue
        gone.delete()
        summary.deleted += 1
    for key, fields in wanted.items():
        check = existing.get(key)
        if check is None:
            Check(**fields).save()
            summary.created += 1
            continue
        changed = [
            name
            for name, value in fields.items()
            if (getattr(check, name) if name != "poller" else check.poller) != value
        ]
        if not changed:
            summary.unchanged += 1
            continue
        if changed == ["enabled"] and not fields["enabled"]:
            summary.disabled += 1
        else:
            summary.updated += 1
        for name in changed:
            setattr(check, name, fields[name])
        check.save()
    if summary.skipped:
        logger.info("segmentation: not probed: %s", "; ".join(summary.skipped))
    return summary


def _sync_later(**_kwargs: Any) -> None:
    transaction.on_commit(_sync_quietly)


def _sync_quietly() -> None:
    try:
        sync()
    except Exception:  # the periodic job tries again
        logger.exception("segmentation: sync after a change failed")


# A rule or a poller changed: the checks follow once the change is committed.
post_save.connect(_sync_later, sender=FlowRule, dispatch_uid="segmentation-rule")
post_delete.connect(_sync_later, sender=FlowRule, dispatch_uid="segmentation-rule-del")


@receiver(post_save, sender=Poller, dispatch_uid="segmentation-poller")
def _poller_saved(sender: Any, instance: Poller, raw: bool = False, **kw: Any) -> None:
    if not raw:
        _sync_later()


def is_segmentation(check: Check) -> bool:
    return isinstance(check.params, dict) and "flow_key" in check.params


def wording(check: Check) -> alerts.Wording | None:
    """How a segmentation check's alert reads: a must-be-refused path that
    answers is a violation (not "down"), a must-pass path that does not is
    blocked; recovery says the path is refused (or passes) again."""
    if not is_segmentation(check):
        return None
    facts = check.params.get("evidence") or {}
    port = check.params.get("port")
    path = _("%(source)s → %(destination)s: %(what)s on %(host)s") % {
        "source": facts.get("zone", ""),
        "destination": facts.get("destination", ""),
        "what": " ".join(
            part
            for part in (
                str(facts.get("service") or ""),
                f"{check.kind}/{port}" if port else str(check.kind),
            )
            if part
        ),
        "host": check.host,
    }
    if check.params.get("expect") == "refused":
        return alerts.Wording(
            down=_("Segmentation violation: %(path)s reachable") % {"path": path},
            up=_("Segmentation: %(path)s refused again") % {"path": path},
            says="violation",
        )
    return alerts.Wording(
        down=_("Segmentation: required path blocked: %(path)s") % {"path": path},
        up=_("Segmentation: %(path)s passes again") % {"path": path},
        says="blocked",
    )


# Alerts, tickets and notifications of segmentation checks use these words.
if wording not in alerts.WORDINGS:
    alerts.WORDINGS.append(wording)


def evidence_of(check: Check, alert: Alert | None = None) -> list[tuple[str, str]]:
    """The facts of a segmentation check's finding, as (label, value)."""
    facts = check.params.get("evidence") or {}
    port = check.params.get("port")
    rows = [
        (_("From zone"), str(facts.get("zone", ""))),
        (_("Poller"), str(facts.get("poller", ""))),
        (_("To zone"), str(facts.get("destination", ""))),
        (_("Destination"), f"{check.host}:{port}" if port else check.host),
        (_("Protocol"), str(check.kind)),
        (
            _("Policy"),
            _("must be refused")
            if check.params.get("expect") == "refused"
            else _("must pass"),
        ),
    ]
    if alert is not None:
        rows.append(
            (
                _("Seen at"),
                timezone.localtime(alert.opened_at).strftime("%Y-%m-%d %H:%M:%S"),
            )
        )
    return rows


def _description(alert: Alert) -> str:
    check = alert.source
    lines = [alert.message, ""]
    lines += [f"{label}: {value}" for label, value in evidence_of(check, alert)]
    return "\n".join(lines)


def _ticket_for(alert: Alert, now: dt.datetime) -> Ticket:
    check = alert.source
    return tickets.open_or_note(
        tickets.Report(
            title=alerts.wording_of(check).down[:200],
            description=_description(alert),
            category=Category.NETWORK,
            kind=MaintenanceKind.CORRECTIVE,
            impact=1,
            urgency=1,
            reporter_name=_("Monitoring"),
            source=Source.MONITORING,
            origin=incidents.origin_of(check),
        ),
        _description(alert),
        now=now,
    )


def _tell_security(alert: Alert, ticket: Ticket, now: dt.datetime) -> bool:
    """Tell the security team once per ticket (a work-log mark says so)."""
    if ticket.worklogs.filter(note__startswith=SECURITY_MARK).exists():
        return False
    team = choose_team(Category.SECURITY, None)
    people = []
    if team is not None:
        for person in (on_call(team, now), team.lead):
            if person is not None and person.is_active and person not in people:
                people.append(person)
        if not people:
            people = [m for m in team.members.filter(is_active=True)]
    for person in people:
        ticket.watchers.add(person)
    notify(
        EVENT_VIOLATION,
        people,
        subject=_("Security: %(msg)s") % {"msg": alert.message[:180]},
        body=_description(alert),
        link=alerts.link_of(alert.source),
        urgent=True,
    )
    names = ", ".join(str(p) for p in people) or _("nobody (no security team)")
    tickets.log_work(
        ticket,
        author=None,
        note=f"{SECURITY_MARK} "
        + _("Security team told: %(names)s.") % {"names": names},
        now=now,
    )
    return True


def escalate(
    now: dt.datetime | None = None, *, check_ids: Iterable[int] | None = None
) -> dict[str, int]:
    """Each open segmentation alert (of ``check_ids``, else all) gets its
    ticket and the security team told; idempotent."""
    now = now or timezone.now()
    found = (
        Alert.objects.exclude(state=AlertState.RESOLVED)
        .filter(source__params__has_key="flow_key")
        .select_related("source", "ticket")
    )
    if check_ids is not None:
        found = found.filter(source_id__in=list(check_ids))
    opened = told = 0
    for alert in found:
        if alert.ticket is None:
            alert.ticket = _ticket_for(alert, now)
            alert.save()
            opened += 1
        if _tell_security(alert, alert.ticket, now):
            told += 1
    return {"tickets": opened, "told": told}
