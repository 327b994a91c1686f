"""Storing the engine's results and turning confirmed state changes into
outages and alerts.

``record`` takes one batch from the engine: the raw results go in with one
bulk insert, each check's state is advanced by the engine's own state
machine (``engine.state.advance``: N failures before down, M successes
before up) and written back with one bulk update. The state lives in the
Check row (status, fails, successes), so a restarted monitor carries on
where it stopped and never reports a change twice.

The server adds two statuses to the engine's four. *Unreachable* is the
engine's *down* for a check cut off behind a down parent, so it is restored
as down; *paused* is restored as unknown (a resumed check starts afresh).

A change to or from down is judged with the engine's dependency rule
(``engine.deps.analyse``): a down check cut off behind down parents is
unreachable (its outage names the root cause, no alert); a down check the
monitor reaches is a root cause and alerts, naming how many checks are cut
off behind it — unless a maintenance window covers it. An unreachable check
whose parents are back is promoted to a fault of its own on its next failing
result. Everything for one batch happens in one transaction: a database
error rolls it back and the runner hands the same batch in again.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import partial
from typing import Any

from django.db import InterfaceError, OperationalError, transaction
from django.db.models import OuterRef, Subquery
from django.db.models.fields.json import KT

from wardkeeper.core import audit
from wardkeeper.core.models.audit import AuditAction
from wardkeeper.monitoring.choices import AlertState, CheckKind, CheckStatus
from wardkeeper.monitoring.engine.deps import Impact, analyse
from wardkeeper.monitoring.engine.spec import CheckSpec, Outcome, Result, Status
from wardkeeper.monitoring.engine.state import CheckState, advance
from wardkeeper.monitoring.models import Alert, Check, Outage
from wardkeeper.monitoring.models import Result as ResultRow
from wardkeeper.monitoring.services import alerts, specs, windows

logger = logging.getLogger(__name__)

STATE_FIELDS = [
    "status",
    "status_since",
    "fails",
    "successes",
    "last_run_at",
    "last_up_at",
    "last_latency_ms",
    "last_message",
]
FAILING = frozenset({CheckStatus.DOWN, CheckStatus.UNREACHABLE})
# The server's own statuses, as the engine's state machine sees them.
ENGINE_STATUS = {
    CheckStatus.UNREACHABLE: Status.DOWN,
    CheckStatus.PAUSED: Status.UNKNOWN,
}


@dataclass
class Change:
    check: Check
    old: str
    new: str
    at: dt.datetime
    message: str
    in_maintenance: bool


def engine_state(check: Check) -> CheckState:
    """The engine's state of a check, restored from its row."""
    status = ENGINE_STATUS.get(CheckStatus(check.status), check.status)
    return CheckState.restore(str(status), check.fails, check.successes)


def _spec(check: Check) -> CheckSpec:
    return CheckSpec(
        id=check.pk,
        kind=check.kind,
        host=check.host,
        confirm_down=check.confirm_down,
        confirm_up=check.confirm_up,
    )


def _when(epoch: float) -> dt.datetime:
    return dt.datetime.fromtimestamp(epoch, tz=dt.UTC)


def record(results: list[Result]) -> dict[str, int]:
    """Store one batch of results and act on the state changes they confirm.
    Raises the database's error (nothing stored) so the caller retries."""
    if not results:
        return {"results": 0, "changes": 0}
    with transaction.atomic():
        ids = {result.check_id for result in results}
        checks = Check.objects.filter(pk__in=ids).select_related(
            "asset__location", "asset__asset_type", "team"
        )
        by_id = {check.pk: check for check in checks}
        before = {pk: check.status for pk, check in by_id.items()}
        ordered = sorted(results, key=lambda r: r.at)
        coverage = windows.coverage_at(_when(ordered[-1].at))
        reboot = RebootWatch(ordered, by_id)
        states: dict[int, CheckState] = {}
        rows, changes, stuck = [], [], set()
        for result in ordered:
            check = by_id.get(result.check_id)
            if check is None:
                continue  # deleted since the engine was given it
            at, outcome = _when(result.at), reboot.judge(result)
            in_window = coverage.covers(check)
            rows.append(_row(check, at, outcome, in_window))
            state = states.get(check.pk)
            if state is None:
                state = states[check.pk] = engine_state(check)
            moved = advance(state, outcome, _spec(check), at=result.at)
            check.fails, check.successes = state.fails, state.successes
            _remember(check, at, outcome)
            if moved is not None:
                old, check.status, check.status_since = check.status, moved.new, at
                changes.append(
                    Change(check, old, moved.new.value, at, outcome.message, in_window)
                )
            if (
                check.status == CheckStatus.UNREACHABLE
                and outcome.status == Status.DOWN
            ):
                stuck.add(check.pk)  # still failing: its own fault if reached
            else:
                stuck.discard(check.pk)
        ResultRow.objects.bulk_create(rows, batch_size=500)
        judged = [c for c in changes if {c.old, c.new} & FAILING]
        if judged or stuck:
            _judge(judged, stuck, by_id, before, coverage, _when(ordered[-1].at))
        Check.objects.bulk_update(by_id.values(), STATE_FIELDS, batch_size=500)
        _audit(changes)
    return {"results": len(rows), "changes": len(changes)}


class RebootWatch:
    """Unexpected reboots across monitor restarts. The SNMP uptime probe
    compares sysUpTime with its own previous reading, which a restarted
    monitor has lost; so an uptime result is also compared with the check's
    previous one (in this batch, else its last stored result, one query for
    the batch): lower means the device restarted. While the monitor runs,
    the previous stored result is the probe's own previous reading, so both
    agree and nothing is reported twice."""

    def __init__(self, results: Iterable[Result], by_id: Mapping[int, Check]) -> None:
        wanted = {
            r.check_id
            for r in results
            if "uptime_s" in r.outcome.values and _watches_uptime(by_id.get(r.check_id))
        }
        self.last: dict[int, tuple[float, float]] = _stored_uptimes(wanted)
        self.wanted = wanted
        self._is_reboot: Callable[..., bool] | None = None

    def judge(self, result: Result) -> Outcome:
        """The result's outcome, DEGRADED "rebooted" when its uptime went
        backwards since the previous reading (a counter wrap is not one)."""
        outcome = result.outcome
        if result.check_id not in self.wanted or "uptime_s" not in outcome.values:
            return outcome
        uptime = float(outcome.values["uptime_s"])
        previous = self.last.get(result.check_id)
        self.last[result.check_id] = (uptime, result.at)
        if outcome.status != Status.UP or previous is None:
            return (
                outcome  # already judged (a reboot the probe saw), or a first reading
            )
        if self._is_reboot is None:
            # The probe's own rule; imported here because it loads pysnmp.
            from wardkeeper.monitoring.engine.probes.snmp import is_reboot

            self._is_reboot = is_reboot
        if not self._is_reboot(previous, uptime, result.at):
            return outcome
        return dataclasses.replace(
            outcome,
            status=Status.DEGRADED,
            reason="rebooted",
            message=f"restarted {uptime:.0f} s ago",
        )


def _watches_uptime(check: Check | None) -> bool:
    return (
        check is not None
        and check.kind == CheckKind.SNMP
        and str((check.params or {}).get("what", "uptime")) == "uptime"
    )


def _stored_uptimes(ids: set[int]) -> dict[int, tuple[float, float]]:
    """check id → (uptime in s, epoch) of its last stored uptime reading."""
    if not ids:
        return {}
    latest = ResultRow.objects.filter(
        source=OuterRef("pk"), values__has_key="uptime_s"
    ).order_by("-at")
    rows = (
        Check.objects.filter(pk__in=ids)
        .annotate(
            read_at=Subquery(latest.values("at")[:1]),
            uptime=Subquery(latest.values(u=KT("values__uptime_s"))[:1]),
        )
        .values_list("pk", "read_at", "uptime")
    )
    found = {}
    for pk, read_at, uptime in rows:
        if read_at is None or uptime in (None, ""):
            continue
        try:
            found[pk] = (float(uptime), _epoch(read_at))
        except ValueError:
            continue
    return found


def _epoch(value: Any) -> float:
    if isinstance(value, str):  # SQLite hands a subquery's datetime back as text
        value = dt.datetime.fromisoformat(value)
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return float(value.timestamp())


def _row(check: Check, at: dt.datetime, outcome: Outcome, in_window: bool) -> ResultRow:
    return ResultRow(
        source_id=check.pk,
        at=at,
        status=outcome.status.value,
        latency_ms=outcome.latency_ms,
        reason=outcome.reason[:40],
        message=outcome.message[:500],
        values=outcome.values,
        in_maintenance=in_window,
    )


def _remember(check: Check, at: dt.datetime, outcome: Outcome) -> None:
    check.last_run_at = at
    check.last_latency_ms = outcome.latency_ms
    check.last_message = outcome.message[:500]
    if outcome.status in (Status.UP, Status.DEGRADED):
        check.last_up_at = at


def _judge(
    changes: list[Change],
    stuck: set[int],
    by_id: dict[int, Check],
    before: Mapping[int, str],
    coverage: windows.Coverage,
    now: dt.datetime,
) -> None:
    """Outages and alerts for the batch's changes to and from down, judged
    on the dependency graph as it stands after the batch."""
    failing = dict(Check.objects.filter(status__in=FAILING).values_list("pk", "status"))
    failing.update(before)  # the batch's checks: as they were before it
    down = {
        pk for pk, status in failing.items() if status in FAILING and pk not in by_id
    }
    down |= {pk for pk, check in by_id.items() if check.status in FAILING}
    impact = analyse(specs.parent_map(enabled_only=False), down)
    for change in changes:
        if change.old in FAILING:
            _recovered(change)
        else:
            _down(change, impact)
    _settle(impact, stuck, by_id, failing, coverage, now)


def _cause(impact: Impact, pk: int) -> int | None:
    causes = impact.unreachable.get(pk)
    return min(causes) if causes else None


def _recovered(change: Change) -> None:
    Outage.objects.filter(source=change.check, ended_at__isnull=True).update(
        ended_at=change.at
    )
    _guard(lambda: alerts.recover(change.check, change.at))


def _down(change: Change, impact: Impact) -> None:
    check, pk = change.check, change.check.pk
    cut_off = pk in impact.cut_off
    if cut_off:
        change.new = CheckStatus.UNREACHABLE
    Outage.objects.create(
        source=check,
        started_at=change.at,
        status=change.new,
        root_cause_id=(_cause(impact, pk) if cut_off else pk),
        in_maintenance=change.in_maintenance,
        message=change.message[:500],
    )
    if cut_off or change.in_maintenance:
        return
    affected = impact.affected.get(pk, 0)
    _guard(
        lambda: alerts.raise_alert(
            check, affected=affected, detail=change.message, now=change.at
        )
    )


def _settle(
    impact: Impact,
    stuck: set[int],
    by_id: dict[int, Check],
    was: Mapping[int, str],
    coverage: windows.Coverage,
    now: dt.datetime,
) -> None:
    """Bring every down check's status in line with the graph: a root cause
    that is now cut off becomes unreachable (its alert resolved quietly); an
    unreachable check that failed again with its parents back becomes a root
    cause and alerts; the root causes' counts of affected checks follow."""
    for pk, causes in impact.unreachable.items():
        check = by_id.get(pk)
        if check is not None:
            check.status = CheckStatus.UNREACHABLE
        if was.get(pk) != CheckStatus.DOWN:
            continue  # new or already unreachable: its outage says so
        cause = min(causes) if causes else None
        if check is None:
            Check.objects.filter(pk=pk).update(status=CheckStatus.UNREACHABLE)
        Outage.objects.filter(source_id=pk, ended_at__isnull=True).update(
            status=CheckStatus.UNREACHABLE, root_cause_id=cause
        )
        name = str(Check.objects.get(pk=cause)) if cause is not None else ""
        _guard(partial(alerts.resolve_quietly, [pk], now, name))
    for pk in sorted(stuck & impact.roots):
        check = by_id[pk]
        check.status = CheckStatus.DOWN
        Outage.objects.filter(source=check, ended_at__isnull=True).update(
            status=CheckStatus.DOWN, root_cause=check
        )
        if not coverage.covers(check):
            _guard(
                partial(
                    alerts.raise_alert,
                    check,
                    affected=impact.affected.get(pk, 0),
                    detail=check.last_message,
                    now=check.last_run_at or now,
                )
            )
    _guard(lambda: _count_affected(impact))


def _count_affected(impact: Impact) -> None:
    open_alerts = (
        Alert.objects.filter(source_id__in=impact.roots)
        .exclude(state=AlertState.RESOLVED)
        .select_related("source")
    )
    for alert in open_alerts:
        count = impact.affected.get(alert.source_id, 0)
        if alert.affected != count:
            alerts.update_affected(alert.source, count)


def _guard(action: Callable[[], object]) -> None:
    """Run an alerting step in a savepoint: a fault in it (a ticket rule that
    refuses) is logged and must not lose the batch; a database outage is
    raised so the whole batch is retried."""
    try:
        with transaction.atomic():
            action()
    except (OperationalError, InterfaceError):
        raise
    except Exception:
        logger.exception("monitoring: alerting step failed")


def _audit(changes: Iterable[Change]) -> None:
    audit.append(
        audit.build_entry(
            AuditAction.UPDATE,
            change.check,
            changes={"status": [change.old, change.new]},
            message="monitoring",
        )
        for change in changes
    )
