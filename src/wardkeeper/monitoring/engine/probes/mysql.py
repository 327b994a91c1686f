"""MySQL / MariaDB: connect, run a query, and (optionally) judge a replica.

Uses aiomysql (asyncio-native, on top of PyMySQL): a check cancelled by the
engine's timeout releases its connection at once, where PyMySQL in an
executor would hold a thread until its own socket timeouts expire.

Params:
  port         3306
  user         (required)
  password     (a secret)
  database     schema to use ("" = none)
  query        SQL to run (SELECT 1); keep it cheap, it runs every interval
  expect       the first column of the first row must equal this (as text)
  replica      true: the server must be a running replica
  lag_warn_s   Seconds_Behind_Master above which the check is DEGRADED
  lag_crit_s   Seconds_Behind_Master above which the check is DOWN

With replica, lag_warn_s or lag_crit_s set, the probe reads SHOW REPLICA
STATUS (MariaDB 10.5+, MySQL 8.0.22+; SHOW SLAVE STATUS on older servers).
The user needs REPLICATION CLIENT for it (MariaDB 10.5+: SLAVE MONITOR).
A stopped or failing IO thread (nothing received from the primary) or SQL
thread (nothing applied) is DOWN with the thread's last error in the
message; otherwise Seconds_Behind_Master is compared with the limits. With
the SQL thread stopped the server reports no lag at all (NULL): that is
DOWN, never "0 s behind".

Reasons: auth (access denied), database (unknown database), refused,
timeout, dns, query, unexpected, replication (not a replica, a stopped
replication thread, lag above lag_crit_s), lag (above lag_warn_s).
Values: server (version), role, lag_s, io_running, sql_running, query_ms.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Mapping
from typing import Any

import aiomysql

from wardkeeper.monitoring.engine.probes import probe
from wardkeeper.monitoring.engine.probes._net import budget, failed, ms
from wardkeeper.monitoring.engine.spec import CheckSpec, Outcome, Status

AUTH_CODES = {1044, 1045, 1698}
UNKNOWN_DATABASE = 1049
PARSE_ERROR = 1064


def _column(row: Mapping[str, Any], *names: str) -> Any:
    # MySQL 8.0.22+ renamed Slave/Master to Replica/Source; MariaDB did not.
    for name in names:
        if name in row:
            return row[name]
    return None


def judge_replica(
    row: Mapping[str, Any] | None, params: Mapping[str, Any]
) -> tuple[Status, str, str]:
    """(status, reason, message) for one SHOW REPLICA STATUS row (None: the
    server is not a replica)."""
    if row is None:
        if params.get("replica"):
            return Status.DOWN, "replication", "not a replica"
        return Status.UP, "", ""
    broken = [
        _thread_problem(row, "IO", "not receiving from its primary"),
        _thread_problem(row, "SQL", "not applying what it received"),
    ]
    if any(broken):
        return Status.DOWN, "replication", "replica " + "; ".join(filter(None, broken))
    lag = _column(row, "Seconds_Behind_Master", "Seconds_Behind_Source")
    if lag is None:
        return Status.DOWN, "replication", "replica reports no lag figure"
    message = f"replica is {lag} s behind its primary"
    crit, warn = params.get("lag_crit_s"), params.get("lag_warn_s")
    if crit is not None and float(lag) > float(crit):
        return Status.DOWN, "replication", message
    if warn is not None and float(lag) > float(warn):
        return Status.DEGRADED, "lag", message
    return Status.UP, "", message


def _thread_problem(row: Mapping[str, Any], thread: str, what: str) -> str:
    """Empty for a running replication thread, else what it is not doing,
    its state and its own last error."""
    running = _column(row, f"Slave_{thread}_Running", f"Replica_{thread}_Running")
    if running == "Yes":
        return ""
    state = "stopped" if running in ("No", None) else str(running).lower()
    error = _column(row, f"Last_{thread}_Error") or ""
    return f"is {what} ({thread} thread {state})" + (f": {error}" if error else "")


def connect_failure(error: aiomysql.MySQLError) -> Outcome:
    """Name why a connection failed, from the server's error code or the
    network error underneath aiomysql's 2003."""
    code = error.args[0] if error.args and isinstance(error.args[0], int) else 0
    text = str(error.args[1]) if len(error.args) > 1 else str(error)
    if code in AUTH_CODES:
        return Outcome(Status.DOWN, message=text, reason="auth")
    if code == UNKNOWN_DATABASE:
        return Outcome(Status.DOWN, message=text, reason="database")
    cause = error.__cause__
    if isinstance(cause, (OSError, TimeoutError)):
        return failed(cause, "connect")
    return Outcome(Status.DOWN, message=text, reason="error")


async def replica_row(cursor: Any) -> Mapping[str, Any] | None:
    try:
        await cursor.execute("SHOW REPLICA STATUS")
    except aiomysql.ProgrammingError as error:
        if error.args[0] != PARSE_ERROR:
            raise
        await cursor.execute("SHOW SLAVE STATUS")
    row: Mapping[str, Any] | None = await cursor.fetchone()
    return row


def replica_values(row: Mapping[str, Any]) -> dict[str, Any]:
    """The figures a replica's status row gives the check's history."""
    return {
        "lag_s": _column(row, "Seconds_Behind_Master", "Seconds_Behind_Source"),
        "io_running": _column(row, "Slave_IO_Running", "Replica_IO_Running"),
        "sql_running": _column(row, "Slave_SQL_Running", "Replica_SQL_Running"),
    }


def _wants_replication(params: Mapping[str, Any]) -> bool:
    return any(params.get(k) for k in ("replica", "lag_warn_s", "lag_crit_s"))


@probe("mysql")
async def check_mysql(spec: CheckSpec) -> Outcome:
    """Connect, query and judge replication; never raises for server or
    network failures."""
    params = spec.params
    limit = budget(spec.timeout)
    started = time.perf_counter()
    try:
        async with asyncio.timeout(limit):
            conn = await aiomysql.connect(
                host=spec.host,
                port=int(params.get("port", 3306)),
                user=str(params.get("user", "")),
                password=str(params.get("password", "")),
                db=str(params.get("database", "")) or None,
                connect_timeout=limit,
                program_name="wardkeeper-monitor",
            )
    except TimeoutError as error:
        return failed(error, "connect")
    except aiomysql.MySQLError as error:
        return connect_failure(error)
    try:
        async with asyncio.timeout(max(0.05, limit - (time.perf_counter() - started))):
            return await _examine(conn, params, started)
    except TimeoutError:
        return Outcome(Status.DOWN, message="query timed out", reason="timeout")
    except aiomysql.MySQLError as error:
        return Outcome(Status.DOWN, message=str(error), reason="query")
    finally:
        conn.close()


async def _examine(conn: Any, params: Mapping[str, Any], started: float) -> Outcome:
    # MariaDB prefixes its version with "5.5.5-" for old clients; drop it.
    values: dict[str, Any] = {"server": conn.get_server_info().removeprefix("5.5.5-")}
    async with conn.cursor(aiomysql.DictCursor) as cursor:
        queried = time.perf_counter()
        await cursor.execute(str(params.get("query", "SELECT 1")))
        row = await cursor.fetchone()
        values["query_ms"] = ms(queried, time.perf_counter())
        status, reason, message = Status.UP, "", ""
        if _wants_replication(params):
            replica = await replica_row(cursor)
            values["role"] = "primary" if replica is None else "replica"
            if replica is not None:
                values.update(replica_values(replica))
            status, reason, message = judge_replica(replica, params)
    latency = ms(started, time.perf_counter())
    expected = params.get("expect")
    if expected is not None:
        got = None if not row else str(next(iter(row.values())))
        if got != str(expected):
            wrong = f"query returned {got!r}, expected {str(expected)!r}"
            return Outcome(Status.DOWN, latency, wrong, "unexpected", values)
    return Outcome(status, latency, message, reason, values)
