"""Storing the engine's results and turning confirmed state changes into
outages and alerts.

``Recorder`` takes one batch from the engine at a time. It keeps, in memory,
what the state machine needs of every check (status, fails, successes, the
confirmation counts, what a maintenance window matches on), loaded once and
refreshed when the monitor reloads its checks. Each result advances its
check with the engine's own state machine (``engine.state.advance``: N
failures before down, M successes before up). A batch with no state change
costs the database two statements: one ``executemany`` INSERT of the result
rows and one ``executemany`` UPDATE of the checks whose row must change.

What is written when (the board reads ``status``):

- ``status``, ``status_since``, ``fails`` and ``successes`` whenever they
  change, in the batch's transaction, so the row is always what the state
  machine holds: a restarted monitor carries on where it stopped and never
  reports a change twice.
- ``last_run_at``, ``last_latency_ms``, ``last_up_at`` and ``last_message``
  with the state above, when the message changes, and otherwise at most
  every ``TOUCH_SECONDS`` per check (and for every check when the monitor
  stops): the check page's "last run", latency and "last up" (and
  ``/metrics``' last success) lag behind the newest result by at most
  ``TOUCH_SECONDS`` plus one batch flush.
- the result rows (all of them) together, at most every
  ``MONITOR_RAW_FLUSH_SECONDS`` (or sooner, ``RAW_ROWS_KEPT`` at most wait):
  each check's rows sit side by side in the results index, so writing a
  check's rows of a few runs in one go dirties one index page instead of one
  per run — most of what storing a result costs on SQLite. The recent-results
  list and the latency chart lag by that much (the state, outages and alerts
  do not). Rows still waiting are written when the monitor stops; a killed
  monitor loses them, never a state change.

The memory is the runner's; ``record(results)`` without one (tests, a
one-off) loads the batch's checks from the database each call. Another
writer of the state fields (pausing a check) is seen at the next refresh.

The server adds two statuses to the engine's four. *Unreachable* is the
engine's *down* for a check cut off behind a down parent, so it is restored
as down; *paused* is restored as unknown (a resumed check starts afresh).

A change to or from down is judged with the engine's dependency rule
(``engine.deps.analyse``) on Check rows loaded for the changed checks only:
a down check cut off behind down parents is unreachable (its outage names
the root cause, no alert); a down check the monitor reaches is a root cause
and alerts, naming how many checks are cut off behind it — unless a
maintenance window covers it. An unreachable check whose parents are back is
promoted to a fault of its own on its next failing result. Every state
change is audited. Everything for one batch happens in one transaction: a
database error rolls it back, the memory is dropped (reloaded from the
database on the next batch) and the runner hands the same batch in again.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import partial
from typing import Any, NamedTuple

from django.db import InterfaceError, OperationalError, connection, transaction
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

# The longest a check row's last_run_at / last_latency_ms / last_up_at lag
# behind its newest result (plus one batch flush); a changed message is
# written at once. Pages showing one check read its newest result
# (``show_newest``); lists and /metrics may be this much behind.
TOUCH_SECONDS = 300.0
# At most this many result rows wait in memory (about 40 MB).
RAW_ROWS_KEPT = 100_000

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
RESULT_FIELDS = [
    "source",
    "at",
    "status",
    "latency_ms",
    "reason",
    "message",
    "values",
    "in_maintenance",
]
TOUCH_FIELDS = ["last_run_at", "last_up_at", "last_latency_ms"]
LAST_FIELDS = ("last_run_at", "last_up_at", "last_latency_ms", "last_message")
FAILING = frozenset({CheckStatus.DOWN, CheckStatus.UNREACHABLE})
# The server's own statuses, as the engine's state machine sees them.
ENGINE_STATUS = {
    CheckStatus.UNREACHABLE: Status.DOWN,
    CheckStatus.PAUSED: Status.UNKNOWN,
}
LOAD_FIELDS = (
    "pk",
    "kind",
    "confirm_down",
    "confirm_up",
    "status",
    "fails",
    "successes",
    "service",
    "asset_id",
    "asset__location_id",
    "status_since",
    "last_run_at",
    "last_up_at",
    "last_latency_ms",
    "last_message",
)
# What a refresh compares (no datetimes to parse, no JSON to decode).
REFRESH_FIELDS = LOAD_FIELDS[:10]
# The server's statuses as the engine's, by their stored value.
_ENGINE_OF = {
    str(status): str(ENGINE_STATUS.get(status, status)) for status in CheckStatus
}


@dataclass
class Change:
    check: Check
    old: str
    new: str
    at: dt.datetime
    message: str
    in_maintenance: bool


class _Asset(NamedTuple):
    pk: int
    location_id: int | None


@dataclass(slots=True, eq=False)
class Known:
    """The monitor's memory of one check: the state machine's state and the
    fields a maintenance window matches on (duck-typed for
    ``windows.Coverage.covers``), and the state fields as last written."""

    spec: CheckSpec
    state: CheckState
    status: str
    status_since: dt.datetime | None
    service: str
    asset_id: int | None
    asset: _Asset | None
    uptime: bool  # an SNMP uptime check (RebootWatch)
    last_run_at: dt.datetime | None
    last_up_at: dt.datetime | None
    last_latency_ms: float | None
    last_message: str
    written: float = 0.0  # epoch of the last_run_at in the row
    written_message: str = ""

    @property
    def pk(self) -> int:
        return self.spec.id

    @property
    def fails(self) -> int:
        return self.state.fails

    @property
    def successes(self) -> int:
        return self.state.successes


def engine_state(check: Check) -> CheckState:
    """The engine's state of a check, restored from its row."""
    return _restore(check.status, check.fails, check.successes)


def _restore(status: str, fails: int, successes: int) -> CheckState:
    return CheckState.restore(_ENGINE_OF.get(status, status), fails, successes)


def _known(row: tuple[Any, ...], uptime: bool) -> Known:
    pk, kind, down, up, status, fails, successes, service, asset_id, place = row[:10]
    since, run_at, up_at, latency, message = row[10:]
    return Known(
        spec=CheckSpec(id=pk, kind=kind, host="", confirm_down=down, confirm_up=up),
        state=_restore(status, fails, successes),
        status=str(status),
        status_since=since,
        service=service,
        asset_id=asset_id,
        asset=_Asset(asset_id, place) if asset_id is not None else None,
        uptime=uptime,
        last_run_at=run_at,
        last_up_at=up_at,
        last_latency_ms=latency,
        last_message=message,
        written=run_at.timestamp() if run_at is not None else 0.0,
        written_message=message,
    )


def _compared(known: Known) -> tuple[Any, ...]:
    """A Known as the REFRESH_FIELDS row its check should have."""
    spec, place = known.spec, known.asset.location_id if known.asset else None
    return (
        spec.id,
        spec.kind,
        spec.confirm_down,
        spec.confirm_up,
        known.status,
        known.state.fails,
        known.state.successes,
        known.service,
        known.asset_id,
        place,
    )


def _unwritten(mine: Known, row: Known) -> bool:
    """Whether the memory's last_* values are newer than the row's."""
    if mine.last_run_at is None:
        return False
    return row.last_run_at is None or mine.last_run_at > row.last_run_at


def _uptime_checks(ids: Iterable[int] | None = None) -> set[int]:
    """The SNMP checks that watch sysUpTime (RebootWatch)."""
    rows = Check.objects.filter(kind=CheckKind.SNMP)
    if ids is not None:
        rows = rows.filter(pk__in=ids)
    return {
        pk
        for pk, params in rows.values_list("pk", "params").order_by()
        if _watches_uptime(CheckKind.SNMP, params)
    }


def load_known(ids: Iterable[int] | None = None) -> dict[int, Known]:
    """Every check's Known (``ids``: only those), two queries."""
    ids = None if ids is None else list(ids)
    rows = Check.objects.all() if ids is None else Check.objects.filter(pk__in=ids)
    uptime = _uptime_checks(ids)
    return {
        row[0]: _known(row, row[0] in uptime)
        for row in rows.values_list(*LOAD_FIELDS).order_by()
    }


def _when(epoch: float) -> dt.datetime:
    return dt.datetime.fromtimestamp(epoch, tz=dt.UTC)


@dataclass(slots=True)
class _Moved:
    pk: int
    old: str
    new: str
    at: dt.datetime
    message: str
    in_maintenance: bool


class Recorder:
    """Stores batches of results for one monitor, keeping its checks' state
    in memory (see the module's docstring). Call it from one thread."""

    def __init__(self, *, remember: bool = True, raw_flush: float = 0.0) -> None:
        # remember False: load the batch's checks from the database each call.
        self.remember = remember
        self.known: dict[int, Known] | None = None
        self.raw_flush = raw_flush  # seconds result rows may wait (0: none)
        self.waiting: list[tuple[Any, ...]] = []  # result rows not written yet
        self.waiting_since = 0.0  # epoch of the oldest waiting row's batch

    def __call__(self, results: list[Result]) -> dict[str, int]:
        return self.record(results)

    def refresh(self) -> None:
        """Bring the memory in line with the database (the monitor's reload):
        one light query compares every check's settings and state; the
        checks that differ (edited, paused, new) are loaded again, keeping
        the newest last_* values not yet written; deleted ones are dropped."""
        if self.known is None:
            self.known = load_known()
            return
        known, stale = self.known, []
        rows = Check.objects.values_list(*REFRESH_FIELDS).order_by()
        present = set()
        for row in rows:
            pk = row[0]
            present.add(pk)
            mine = known.get(pk)
            if mine is None or _compared(mine) != row:
                stale.append(pk)
        uptime = _uptime_checks()
        for pk in known.keys() - present:
            del known[pk]
        stale.extend(pk for pk, k in known.items() if k.uptime != (pk in uptime))
        for pk, fresh in load_known(stale).items():
            mine = known.get(pk)
            if mine is not None and _unwritten(mine, fresh):
                for name in LAST_FIELDS:
                    setattr(fresh, name, getattr(mine, name))
            known[pk] = fresh

    def flush(self) -> int:
        """Write the waiting result rows and the last_* values not yet
        written (the monitor stops)."""
        due = [
            k
            for k in (self.known or {}).values()
            if k.last_run_at is not None and k.last_run_at.timestamp() > k.written
        ]
        with transaction.atomic():
            _insert_results(self.waiting)
            _write_state(due)
        self.waiting = []
        return len(due)

    def record(self, results: list[Result]) -> dict[str, int]:
        """Store one batch of results and act on the state changes they
        confirm. Raises the database's error (nothing stored, memory
        dropped) so the caller retries."""
        if not results:
            return {"results": 0, "changes": 0}
        try:
            with transaction.atomic():
                rows, counts = self._record(results)
                now = max(result.at for result in results)
                if not self.waiting:
                    self.waiting_since = now
                due = self.waiting + rows
                written = (
                    now - self.waiting_since >= self.raw_flush
                    or len(due) >= RAW_ROWS_KEPT
                )
                if written:
                    _insert_results(due)
        except BaseException:
            self.known = None  # rolled back: the database is the truth again
            raise
        self.waiting = [] if written else due  # only once the batch committed
        return counts

    def _checks(self, ids: set[int]) -> dict[int, Known]:
        if not self.remember:
            return load_known(ids)
        if self.known is None:
            self.known = load_known()
        missing = ids.difference(self.known)
        if missing:  # new since the last refresh (or deleted: stays missing)
            self.known.update(load_known(missing))
        return self.known

    def _record(
        self, results: list[Result]
    ) -> tuple[list[tuple[Any, ...]], dict[str, int]]:
        """Advance the batch's checks and act on their changes; the result
        rows to write are returned (``record`` writes them)."""
        known = self._checks({result.check_id for result in results})
        ordered = sorted(results, key=lambda r: r.at)
        now = _when(ordered[-1].at)
        coverage = windows.coverage_at(now)
        reboot = RebootWatch(ordered, lambda pk: pk in known and known[pk].uptime)
        adapt_time = _time_adapter()
        adapt_json = connection.ops.adapt_json_value
        # Probes share one values object among runs alike (an answered
        # echo): its JSON is made once per batch, keyed by the object.
        json_of: dict[int, Any] = {}
        rows: list[tuple[Any, ...]] = []
        before: dict[int, str] = {}
        touched: dict[int, Known] = {}
        dirty: set[int] = set()
        moved: list[_Moved] = []
        stuck: set[int] = set()
        for result in ordered:
            check = known.get(result.check_id)
            if check is None:
                continue  # deleted since the engine was given it
            pk, at, outcome = check.pk, _when(result.at), reboot.judge(result)
            in_window = coverage.covers(check)  # type: ignore[arg-type]
            message = outcome.message[:500]
            rows.append(
                (
                    pk,
                    adapt_time(at),
                    outcome.status.value,
                    outcome.latency_ms,
                    outcome.reason[:40],
                    message,
                    json_of.get(id(outcome.values))
                    or json_of.setdefault(
                        id(outcome.values), adapt_json(outcome.values, None)
                    ),
                    in_window,
                )
            )
            if pk not in touched:
                touched[pk] = check
                before[pk] = check.status
            state = check.state
            counts = state.fails, state.successes
            change = advance(state, outcome, check.spec, at=result.at)
            check.last_run_at, check.last_latency_ms = at, outcome.latency_ms
            check.last_message = message
            if outcome.status in (Status.UP, Status.DEGRADED):
                check.last_up_at = at
            if change is not None:
                old, new = check.status, change.new.value
                check.status, check.status_since = new, at
                moved.append(_Moved(pk, old, new, at, message, in_window))
                dirty.add(pk)
            elif counts != (state.fails, state.successes):
                dirty.add(pk)
            if (
                check.status == CheckStatus.UNREACHABLE
                and outcome.status == Status.DOWN
            ):
                stuck.add(pk)  # still failing: its own fault if reached
            else:
                stuck.discard(pk)
        if moved or stuck:
            self._act(moved, stuck, known, before, coverage, now)
            dirty |= stuck  # a stuck child may have become its own fault
        last = ordered[-1].at
        full, touch = [], []
        for pk, check in touched.items():
            if pk in dirty or check.last_message != check.written_message:
                full.append(check)
            elif last - check.written >= TOUCH_SECONDS:
                touch.append(check)
        _write_state(full)
        _write_state(touch, touch=True)
        return rows, {"results": len(rows), "changes": len(moved)}

    def _act(
        self,
        moved: list[_Moved],
        stuck: set[int],
        known: dict[int, Known],
        before: Mapping[int, str],
        coverage: windows.Coverage,
        now: dt.datetime,
    ) -> None:
        """The rare path: outages, alerts and audit for the state changes,
        on Check rows loaded (with what alerting needs) for those checks."""
        ids = {m.pk for m in moved} | stuck
        by_id = {}
        for check in Check.objects.filter(pk__in=ids).select_related(
            "asset__location", "asset__asset_type", "team"
        ):
            _carry(known[check.pk], check)
            by_id[check.pk] = check
        changes = [
            Change(by_id[m.pk], m.old, m.new, m.at, m.message, m.in_maintenance)
            for m in moved
            if m.pk in by_id
        ]
        judged = [c for c in changes if {c.old, c.new} & FAILING]
        if judged or stuck:
            _judge(judged, stuck & by_id.keys(), by_id, before, coverage, now)
            for pk, check in by_id.items():
                known[pk].status = str(check.status)
            # _settle may have moved checks outside by_id (to unreachable).
            failing = Check.objects.filter(status__in=FAILING)
            for pk, status in failing.values_list("pk", "status"):
                if pk in known and pk not in by_id:
                    known[pk].status = status
        _audit(changes)


def record(results: list[Result]) -> dict[str, int]:
    """Store one batch of results and act on the state changes they confirm,
    the checks' state read from the database. Raises the database's error
    (nothing stored) so the caller retries."""
    return Recorder(remember=False).record(results)


def show_newest(check: Check, newest: ResultRow | None) -> None:
    """Put the newest result's time, latency and message on ``check`` (in
    memory only) where the row, written at most every TOUCH_SECONDS, is
    older."""
    if newest is None or (check.last_run_at and check.last_run_at >= newest.at):
        return
    check.last_run_at, check.last_latency_ms = newest.at, newest.latency_ms
    check.last_message = newest.message
    if newest.status in (CheckStatus.UP, CheckStatus.DEGRADED):
        check.last_up_at = newest.at


def _carry(source: Known, target: Check) -> None:
    """The check row's state fields as the monitor's memory has them."""
    for name in STATE_FIELDS:
        setattr(target, name, getattr(source, name))


def _time_adapter() -> Callable[[dt.datetime | None], Any]:
    """``connection.ops.adapt_datetimefield_value`` for aware datetimes,
    each made naive in the connection's zone first (what that method does
    itself, reading the settings for every value)."""
    adapt, zone = connection.ops.adapt_datetimefield_value, connection.timezone
    if connection.vendor == "sqlite":  # what that method gives, without its checks

        def as_text(value: dt.datetime | None) -> Any:
            return (
                None
                if value is None
                else str(value.astimezone(zone).replace(tzinfo=None))
            )

        return as_text

    def adapted(value: dt.datetime | None) -> Any:
        if value is None:
            return None
        return adapt(value.astimezone(zone).replace(tzinfo=None))

    return adapted


def _column(meta: Any, name: str) -> str:
    """The database column of a concrete field."""
    return str(meta.get_field(name).column)


def _insert_results(rows: list[tuple[Any, ...]]) -> None:
    if not rows:
        return
    meta, quote = ResultRow._meta, connection.ops.quote_name
    columns = ", ".join(quote(_column(meta, name)) for name in RESULT_FIELDS)
    marks = "(" + ", ".join(["%s"] * len(RESULT_FIELDS)) + ")"
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES {marks}", rows
        )


def _write_state(checks: list[Known], *, touch: bool = False) -> None:
    """One executemany UPDATE of the checks' state fields (``touch``: only
    last_run_at, last_up_at and last_latency_ms, all that changes on most
    runs)."""
    if not checks:
        return
    meta, quote = Check._meta, connection.ops.quote_name
    adapt = _time_adapter()
    names = TOUCH_FIELDS if touch else STATE_FIELDS
    sets = ", ".join(f"{quote(_column(meta, n))} = %s" for n in names)
    rows = [
        (adapt(c.last_run_at), adapt(c.last_up_at), c.last_latency_ms, c.pk)
        if touch
        else (
            str(c.status),
            adapt(c.status_since),
            c.state.fails,
            c.state.successes,
            adapt(c.last_run_at),
            adapt(c.last_up_at),
            c.last_latency_ms,
            c.last_message,
            c.pk,
        )
        for c in checks
    ]
    with connection.cursor() as cursor:
        cursor.executemany(
            f"UPDATE {quote(meta.db_table)} SET {sets} "
            f"WHERE {quote(meta.pk.column)} = %s",
            rows,
        )
    for c in checks:
        c.written_message = c.last_message
        if c.last_run_at is not None:
            c.written = c.last_run_at.timestamp()


class RebootWatch:
    """Unexpected reboots across monitor restarts. The SNMP uptime probe
    compares sysUpTime with its own previous reading, which a restarted
    monitor has lost; so an uptime result is also compared with the check's
    previous one (in this batch, else its last stored result, one query for
    the batch): lower means the device restarted. While the monitor runs,
    the previous stored result is the probe's own previous reading, so both
    agree and nothing is reported twice."""

    def __init__(
        self, results: Iterable[Result], watches: Callable[[int], bool]
    ) -> None:
        wanted = {
            r.check_id
            for r in results
            if "uptime_s" in r.outcome.values and watches(r.check_id)
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


def _watches_uptime(kind: str, params: Mapping[str, Any] | None) -> bool:
    return (
        kind == CheckKind.SNMP and str((params or {}).get("what", "uptime")) == "uptime"
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
            message=specs.STATE_CHANGE_MESSAGE,
        )
        for change in changes
    )
