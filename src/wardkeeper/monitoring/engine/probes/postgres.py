"""PostgreSQL: connect, run a query, and (optionally) judge replication lag.

Params:
  port         5432
  dbname       postgres
  user         postgres
  password     (a secret; empty for trust/peer setups)
  sslmode      libpq sslmode (prefer)
  query        SQL to run (SELECT 1); keep it cheap, it runs every interval
  expect       the first column of the first row must equal this (as text)
  lag_warn_s   replication lag above which the check is DEGRADED
  lag_crit_s   replication lag above which the check is DOWN
  min_replicas on a primary: fewer connected standbys is DOWN

With lag_warn_s, lag_crit_s or min_replicas set, the probe asks the server
its role: a standby reports now() - pg_last_xact_replay_timestamp() (0 when
it has replayed all it received, so an idle primary does not look like lag),
a primary the largest replay_lag in pg_stat_replication.

Reasons: auth (role/password refused), database (no such database), refused,
timeout, dns, query (the query failed), unexpected (wrong answer),
replication (lag above lag_crit_s, too few standbys), lag (above
lag_warn_s). Values: role, lag_s, replicas, query_ms.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Mapping
from typing import Any

import psycopg

from wardkeeper.monitoring.engine.probes import probe
from wardkeeper.monitoring.engine.probes._net import budget, failed, ms
from wardkeeper.monitoring.engine.spec import CheckSpec, Outcome, Status

STANDBY_LAG = (
    "SELECT CASE WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0"
    " ELSE EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()) END"
)
PRIMARY_LAG = (
    "SELECT max(EXTRACT(EPOCH FROM replay_lag)), count(*) FROM pg_stat_replication"
)
AUTH_STATES = {"28000", "28P01"}


def judge_lag(lag: float | None, params: Mapping[str, Any]) -> tuple[Status, str, str]:
    """(status, reason, message) for a replication lag in seconds (None:
    unknown, e.g. a primary without standbys)."""
    if lag is None:
        return Status.UP, "", ""
    crit, warn = params.get("lag_crit_s"), params.get("lag_warn_s")
    message = f"replication lag {lag:.1f} s"
    if crit is not None and lag > float(crit):
        return Status.DOWN, "replication", message
    if warn is not None and lag > float(warn):
        return Status.DEGRADED, "lag", message
    return Status.UP, "", ""


def connect_failure(error: psycopg.OperationalError) -> Outcome:
    """Name why a connection failed, from the SQLSTATE or libpq's words."""
    state = error.sqlstate or ""
    text = str(error).strip().splitlines()[-1] if str(error).strip() else ""
    lowered = str(error).lower()
    if state in AUTH_STATES or "authentication failed" in lowered:
        return Outcome(Status.DOWN, message=text, reason="auth")
    if state == "3D000" or ("database" in lowered and "does not exist" in lowered):
        return Outcome(Status.DOWN, message=text, reason="database")
    if "role" in lowered and "does not exist" in lowered:
        return Outcome(Status.DOWN, message=text, reason="auth")
    if "refused" in lowered:
        return Outcome(Status.DOWN, message=text, reason="refused")
    if "timeout" in lowered or "timed out" in lowered:
        return Outcome(Status.DOWN, message=text, reason="timeout")
    if "translate host name" in lowered or "name or service" in lowered:
        return Outcome(Status.DOWN, message=text, reason="dns")
    return Outcome(Status.DOWN, message=text, reason="error")


async def replication(
    conn: psycopg.AsyncConnection[Any], params: Mapping[str, Any]
) -> tuple[Status, str, str, dict[str, Any]]:
    """Role, lag and standbys of the server, judged against the params."""
    standby = (
        await (await conn.execute("SELECT pg_is_in_recovery()")).fetchone() or [0]
    )[0]
    if standby:
        row = await (await conn.execute(STANDBY_LAG)).fetchone()
        lag = None if row is None or row[0] is None else float(row[0])
        values: dict[str, Any] = {"role": "standby", "lag_s": lag}
        return (*judge_lag(lag, params), values)
    row = await (await conn.execute(PRIMARY_LAG)).fetchone()
    lag = None if row is None or row[0] is None else float(row[0])
    replicas = int(row[1]) if row else 0
    values = {"role": "primary", "lag_s": lag, "replicas": replicas}
    wanted = params.get("min_replicas")
    if wanted is not None and replicas < int(wanted):
        message = f"{replicas} standbys connected, {wanted} wanted"
        return Status.DOWN, "replication", message, values
    return (*judge_lag(lag, params), values)


def _wants_replication(params: Mapping[str, Any]) -> bool:
    return any(
        params.get(k) is not None for k in ("lag_warn_s", "lag_crit_s", "min_replicas")
    )


@probe("postgres")
async def check_postgres(spec: CheckSpec) -> Outcome:
    """Connect, query and judge replication; never raises for server or
    network failures."""
    params = spec.params
    limit = budget(spec.timeout)
    started = time.perf_counter()
    try:
        async with asyncio.timeout(limit):
            conn = await psycopg.AsyncConnection.connect(
                host=spec.host,
                port=int(params.get("port", 5432)),
                dbname=str(params.get("dbname", "postgres")),
                user=str(params.get("user", "postgres")),
                password=str(params.get("password", "")),
                sslmode=str(params.get("sslmode", "prefer")),
                connect_timeout=max(2, int(limit)),
                application_name="wardkeeper-monitor",
                autocommit=True,
                # The server gives up on a runaway query before we do.
                options=f"-c statement_timeout={int(limit * 1000)}",
            )
    except TimeoutError as error:
        return failed(error, "connect")
    except psycopg.OperationalError as error:
        return connect_failure(error)
    async with conn:
        return await _examine(conn, params, started, limit)


async def _examine(
    conn: psycopg.AsyncConnection[Any],
    params: Mapping[str, Any],
    started: float,
    limit: float,
) -> Outcome:
    values: dict[str, Any] = {}
    try:
        async with asyncio.timeout(max(0.05, limit - (time.perf_counter() - started))):
            queried = time.perf_counter()
            row = await (
                await conn.execute(str(params.get("query", "SELECT 1")))
            ).fetchone()
            values["query_ms"] = ms(queried, time.perf_counter())
            status, reason, message = Status.UP, "", ""
            if _wants_replication(params):
                status, reason, message, more = await replication(conn, params)
                values.update(more)
    except TimeoutError:
        return Outcome(Status.DOWN, message="query timed out", reason="timeout")
    except psycopg.Error as error:
        return Outcome(Status.DOWN, message=str(error).strip(), reason="query")
    latency = ms(started, time.perf_counter())
    expected = params.get("expect")
    if expected is not None:
        got = None if row is None else str(row[0])
        if got != str(expected):
            wrong = f"query returned {got!r}, expected {str(expected)!r}"
            return Outcome(Status.DOWN, latency, wrong, "unexpected", values)
    return Outcome(status, latency, message, reason, values)
