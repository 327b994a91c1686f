"""Remote pollers on the server's side: their tokens, their heartbeats, and
judging which have gone quiet.

Each poller has one heartbeat check (kind "heartbeat", ``Check.poller`` =
the poller, run by no engine): the server judges it from the poller's
``last_seen_at`` every ``monitoring.pollers`` run (tasks.py) and at every
report, and stores the verdict through the same recorder as every other
result. A poller not heard from within ``OFFLINE_FACTOR`` times its heartbeat
interval is down: one "poller offline" alert (routed like any other), and
every check assigned to it — the heartbeat is their implicit parent
(services/specs.py) — is marked unreachable, without alerts of its own,
until the poller reports again. A poller never heard from yet is unknown,
not offline.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from wardkeeper.core import audit
from wardkeeper.core.models.audit import AuditAction
from wardkeeper.core.models.tokens import hash_token
from wardkeeper.monitoring.choices import CheckStatus, Severity
from wardkeeper.monitoring.engine.spec import Outcome, Result, Status
from wardkeeper.monitoring.models import Check, Poller
from wardkeeper.monitoring.models.pollers import POLLER_TOKEN_PREFIX
from wardkeeper.monitoring.services import state
from wardkeeper.monitoring.services.specs import HEARTBEAT

OFFLINE_FACTOR = 3
DEFAULT_HEARTBEAT_SECONDS = 30
FAILING = (CheckStatus.DOWN, CheckStatus.UNREACHABLE)


def heartbeat_seconds() -> int:
    """How often a poller reports when it has nothing else to say
    (``WARDKEEPER_MONITOR_POLLER_HEARTBEAT_SECONDS``, default 30)."""
    return int(
        getattr(settings, "MONITOR_POLLER_HEARTBEAT_SECONDS", DEFAULT_HEARTBEAT_SECONDS)
    )


def offline_after() -> dt.timedelta:
    return dt.timedelta(seconds=OFFLINE_FACTOR * heartbeat_seconds())


def authenticate(raw: str) -> Poller | None:
    """The poller holding this token (enabled or not), else None."""
    raw = raw.strip()
    if not raw.startswith(POLLER_TOKEN_PREFIX):
        return None
    return (
        Poller.objects.select_related("zone")
        .filter(token_digest=hash_token(raw))
        .first()
    )


def heartbeat_check(poller: Poller) -> Check:
    """The poller's heartbeat check, made (audited) when missing and kept in
    step with the poller's name and enabled flag."""
    check = Check.objects.filter(poller=poller, kind=HEARTBEAT).order_by("pk").first()
    name = _("Poller %(name)s") % {"name": poller.name}
    interval = heartbeat_seconds()
    if check is None:
        check = Check(
            kind=HEARTBEAT,
            poller=poller,
            params={"passive": True},
            confirm_down=1,
            confirm_up=1,
            severity=Severity.MAJOR,
            notes=_(
                "Judged by the server from the poller's reports: down when the "
                "poller has not reported for %(factor)d heartbeats. The checks "
                "it runs depend on it."
            )
            % {"factor": OFFLINE_FACTOR},
        )
    wanted = {
        "name": name[:150],
        "host": poller.name,
        "enabled": poller.enabled,
        "interval": interval,
        "timeout": interval,
    }
    if check.pk is None or any(getattr(check, k) != v for k, v in wanted.items()):
        for key, value in wanted.items():
            setattr(check, key, value)
        check.save()
    return check


def with_figures(pollers: QuerySet[Poller]) -> QuerySet[Poller]:
    """Pollers with ``checks_count`` (enabled checks, heartbeat left out)."""
    counted = pollers.select_related("zone").annotate(
        checks_count=Count(
            "checks",
            filter=Q(checks__enabled=True) & ~Q(checks__kind=HEARTBEAT),
        )
    )
    return counted.order_by("name")  # Meta.ordering does not reach a GROUP BY


def is_online(poller: Poller, now: dt.datetime | None = None) -> bool | None:
    """True when heard from lately, False when gone quiet, None when never."""
    if poller.last_seen_at is None:
        return None
    now = now or timezone.now()
    return now - poller.last_seen_at <= offline_after()


def touch(
    poller: Poller,
    *,
    address: str | None,
    version: str,
    now: dt.datetime | None = None,
) -> None:
    """The poller reported: remember when, from where, with which version
    (not audited), and bring its heartbeat back up at once if it was down."""
    now = now or timezone.now()
    Poller.objects.filter(pk=poller.pk).update(
        last_seen_at=now, last_address=address or None, version=version[:40]
    )
    poller.last_seen_at, poller.last_address = now, address or None
    poller.version = version[:40]
    beat = Check.objects.filter(poller=poller, kind=HEARTBEAT)
    if not beat.filter(status=CheckStatus.UP).exists():
        judge_one(poller, now)  # first report, or back from offline


def judge(now: dt.datetime | None = None) -> dict[str, int]:
    """Judge every enabled poller's heartbeat (the periodic job)."""
    now = now or timezone.now()
    online = offline = 0
    for poller in Poller.objects.filter(enabled=True).select_related("zone"):
        verdict = judge_one(poller, now)
        if verdict is True:
            online += 1
        elif verdict is False:
            offline += 1
    return {"online": online, "offline": offline}


def judge_one(poller: Poller, now: dt.datetime) -> bool | None:
    """Store the heartbeat's verdict for one poller; returns is_online."""
    check = heartbeat_check(poller)
    verdict = is_online(poller, now)
    if verdict is None or not poller.enabled:
        return verdict
    if verdict:
        outcome = Outcome(Status.UP, message=_("reporting"))
    else:
        assert poller.last_seen_at is not None
        outcome = Outcome(
            Status.DOWN,
            reason="offline",
            message=_("poller offline: no report since %(time)s (%(address)s)")
            % {
                "time": timezone.localtime(poller.last_seen_at).strftime(
                    "%Y-%m-%d %H:%M:%S"
                ),
                "address": poller.last_address or "?",
            },
        )
    state.record([Result(check.pk, now.timestamp(), 0.0, outcome)])
    if not verdict:
        cut_off(poller, now)
    return verdict


def cut_off(poller: Poller, now: dt.datetime) -> int:
    """Mark the offline poller's checks unreachable (no alert: the poller's
    own alert speaks for them); each one audited. Their next results, when
    the poller is back, bring them up again (or raise their own alert)."""
    with transaction.atomic():
        checks = list(
            Check.objects.filter(poller=poller, enabled=True)
            .exclude(kind=HEARTBEAT)
            .exclude(status__in=[*FAILING, CheckStatus.PAUSED])
            .select_for_update()
        )
        if not checks:
            return 0
        Check.objects.filter(pk__in=[c.pk for c in checks]).update(
            status=CheckStatus.UNREACHABLE, status_since=now, fails=0, successes=0
        )
        entries: list[Any] = [
            audit.build_entry(
                AuditAction.UPDATE,
                check,
                changes={"status": [check.status, CheckStatus.UNREACHABLE.value]},
                message="monitoring",
            )
            for check in checks
        ]
        audit.append(entries)
    return len(checks)
