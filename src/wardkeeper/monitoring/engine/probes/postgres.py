"""PostgreSQL: connect, run a query, and (optionally) judge replication.

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
  min_replicas on a primary: fewer standbys streaming is DOWN

With lag_warn_s, lag_crit_s or min_replicas set, the probe asks the server
its role.

A standby's lag is 0 while it has replayed all the WAL it received, else the
age of the last transaction it replayed (now() minus
pg_last_xact_replay_timestamp(), the primary's commit time), so a quiet
primary does not look like lag. A standby meant to stream (primary_conninfo
set) with no WAL receiver connected is DOWN ("replication"): its primary is
gone or refuses it, and lag_s is the time since it last replayed a
transaction. A paused replay is named in the message.

A primary lists its standbys from pg_stat_replication (values "standbys":
name, address, state, lag_s, behind_bytes), counts those streaming
("replicas") and judges the largest replay_lag among them (lag_s: 0 for a
standby with nothing left to replay, none without standbys).

PostgreSQL shows the standbys' state only to roles holding pg_monitor (or
pg_read_all_stats); without it a primary's check is UNKNOWN ("privilege")
rather than a guess.

Reasons: auth (role/password refused), database (no such database), refused,
timeout, dns, query (the query failed), unexpected (wrong answer),
replication (lag above lag_crit_s, too few standbys streaming, a standby cut
off from its primary), lag (above lag_warn_s), privilege (UNKNOWN: the role
may not see the replication state). Values: role, lag_s, query_ms; on a
standby connected, replay_paused; on a primary replicas, standbys.
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

STANDBY_STATE = (
    "SELECT coalesce(pg_last_wal_receive_lsn() <= pg_last_wal_replay_lsn(), false),"
    " EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp())::float8,"
    " pg_is_wal_replay_paused(),"
    # Without pg_read_all_stats only the receiver's pid shows (status NULL):
    # a receiver that exists then counts as connected.
    " EXISTS (SELECT FROM pg_stat_wal_receiver"
    " WHERE status IS NULL OR status = 'streaming'),"
    # primary_conninfo is hidden from roles without pg_read_all_settings;
    # then the standby is assumed to be meant to stream.
    " coalesce((SELECT setting <> '' FROM pg_settings"
    " WHERE name = 'primary_conninfo'), true)"
)
# STANDBY_STATE always returns one row; this only satisfies the type.
NOTHING_KNOWN = (False, None, False, False, True)
PRIMARY_STATE = (
    "SELECT application_name, host(client_addr), state,"
    # replay_lag is how long the last replayed WAL took to get there: once a
    # standby has replayed everything it still shows the catch-up, until two
    # idle replies clear it. Nothing left to replay is no lag.
    " CASE WHEN replay_lsn = pg_current_wal_lsn() THEN 0"
    " ELSE EXTRACT(EPOCH FROM replay_lag)::float8 END,"
    " pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn)::float8"
    " FROM pg_stat_replication ORDER BY application_name, client_addr"
)
AUTH_STATES = {"28000", "28P01"}

Judged = tuple[Status, str, str, dict[str, Any]]


def judge_lag(lag: float | None, params: Mapping[str, Any]) -> tuple[Status, str]:
    """(status, reason) for a replication lag in seconds (None: unknown,
    e.g. a primary without standbys)."""
    if lag is None:
        return Status.UP, ""
    crit, warn = params.get("lag_crit_s"), params.get("lag_warn_s")
    if crit is not None and lag > float(crit):
        return Status.DOWN, "replication"
    if warn is not None and lag > float(warn):
        return Status.DEGRADED, "lag"
    return Status.UP, ""


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
) -> Judged:
    """Role, lag and standbys of the server, judged against the params."""
    row = await (await conn.execute("SELECT pg_is_in_recovery()")).fetchone()
    if row and row[0]:
        return await _standby(conn, params)
    return await _primary(conn, params)


async def _standby(
    conn: psycopg.AsyncConnection[Any], params: Mapping[str, Any]
) -> Judged:
    row = await (await conn.execute(STANDBY_STATE)).fetchone() or NOTHING_KNOWN
    caught_up, since, paused, connected, streams = row
    if since is not None:
        # A standby clock a little behind the primary's is not negative lag.
        since = max(0.0, since)
    values: dict[str, Any] = {
        "role": "standby",
        "connected": connected,
        "replay_paused": paused,
    }
    if streams and not connected:
        # Everything received is replayed, so "caught up" would read as no
        # lag; the age of the newest replayed transaction is what is known.
        values["lag_s"] = since
        ago = "" if since is None else f"; last transaction replayed {since:.1f} s ago"
        message = f"standby is not connected to its primary{ago}"
        return Status.DOWN, "replication", message, values
    lag = 0.0 if caught_up else since
    values["lag_s"] = lag
    status, reason = judge_lag(lag, params)
    if lag is None:
        message = "standby has replayed no transaction yet; lag unknown"
    else:
        message = f"standby is {lag:.1f} s behind its primary"
    if paused:
        message += " (replay is paused)"
    return status, reason, message, values


async def _primary(
    conn: psycopg.AsyncConnection[Any], params: Mapping[str, Any]
) -> Judged:
    rows = await (await conn.execute(PRIMARY_STATE)).fetchall()
    standbys = [
        {
            "name": name,
            "address": address,
            "state": state,
            "lag_s": lag,
            "behind_bytes": None if behind is None else int(behind),
        }
        for name, address, state, lag, behind in rows
    ]
    streaming = [s for s in standbys if s["state"] == "streaming"]
    lag = max((s["lag_s"] for s in streaming if s["lag_s"] is not None), default=None)
    values = {
        "role": "primary",
        "lag_s": lag,
        "replicas": len(streaming),
        "standbys": standbys,
    }
    if any(s["state"] is None for s in standbys):
        user = params.get("user", "postgres")
        message = (
            f"role {user} may not see the standbys' state; "
            f"GRANT pg_monitor TO {user} on the primary"
        )
        return Status.UNKNOWN, "privilege", message, values
    wanted = params.get("min_replicas")
    if wanted is not None and len(streaming) < int(wanted):
        message = f"{_count(len(streaming))} streaming, {wanted} wanted"
        others = [f"{_label(s)} {s['state']}" for s in standbys if s not in streaming]
        if others:
            message += f" ({', '.join(others)})"
        return Status.DOWN, "replication", message, values
    status, reason = judge_lag(lag, params)
    if status == Status.UP:
        return status, reason, f"primary, {_count(len(streaming))} streaming", values
    worst = max(streaming, key=lambda s: s["lag_s"] or 0.0)
    return status, reason, f"{_label(worst)} is {lag:.1f} s behind", values


def _count(standbys: int) -> str:
    return f"{standbys} standby" if standbys == 1 else f"{standbys} standbys"


def _label(standby: Mapping[str, Any]) -> str:
    where = f" at {standby['address']}" if standby["address"] else ""
    return f"standby {standby['name'] or '?'}{where}"


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
