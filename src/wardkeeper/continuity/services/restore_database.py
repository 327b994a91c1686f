"""Restoring a PostgreSQL dump into a scratch database and running the
owner's sanity queries on it.

The job's repository is a directory of ``pg_dump`` outputs (custom format
files, or directory-format folders); the newest one is restored with
``pg_restore`` into ``wk_restore_<run>_<random>`` on the server
``CONTINUITY_PG_RESTORE_URL`` names, and that database is dropped afterwards,
whatever happened. Each query runs in a read-only transaction with a
statement timeout; its single value must meet the expectation. "No older
than N hours" is measured from the dump's time: it proves the dump holds the
data of its day (how old the dump itself is, is the RPO check's business)."""

from __future__ import annotations

import datetime as dt
import secrets
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import psycopg
from django.conf import settings
from django.utils.translation import gettext as _
from psycopg import sql
from psycopg.conninfo import conninfo_to_dict, make_conninfo

from wardkeeper.continuity.choices import Expectation
from wardkeeper.continuity.models import RestoreTest, SanityQuery
from wardkeeper.continuity.services.restore_tools import (
    Outcome,
    ToolFailed,
    run_tool,
    tool_env,
)

DEFAULT_URL = "postgresql://localhost:5432/postgres"
QUERY_TIMEOUT = "60s"
# libpq's connection keys and the environment variables its tools read.
LIBPQ_ENV = {
    "host": "PGHOST",
    "port": "PGPORT",
    "user": "PGUSER",
    "password": "PGPASSWORD",
    "sslmode": "PGSSLMODE",
}


def server_url() -> str:
    return str(getattr(settings, "CONTINUITY_PG_RESTORE_URL", "") or DEFAULT_URL)


def newest_dump(folder: str) -> Path | None:
    """The newest dump in ``folder`` (by modification time, then name)."""
    root = Path(folder)
    if not root.is_dir():
        return None
    dumps = [p for p in root.iterdir() if _is_dump(p)]
    return max(dumps, key=lambda p: (p.stat().st_mtime, p.name), default=None)


def _is_dump(path: Path) -> bool:
    if path.is_dir():
        return (path / "toc.dat").is_file()
    if not path.is_file():
        return False
    with path.open("rb") as handle:
        return handle.read(5) == b"PGDMP"


def restore_database(test: RestoreTest, run_pk: int) -> Outcome:
    """Restore the newest dump and run the sanity queries; see the module."""
    dump = newest_dump(test.job.repository)
    log: list[dict[str, Any]] = []
    evidence: dict[str, Any] = {"tool": "pg_restore", "commands": log}
    if dump is None:
        return Outcome(
            False,
            _("No pg_dump file found in %(folder)s.") % {"folder": test.job.repository},
            evidence=evidence,
        )
    taken = dt.datetime.fromtimestamp(dump.stat().st_mtime, tz=dt.UTC)
    scratch = f"wk_restore_{run_pk}_{secrets.token_hex(4)}"
    evidence["dump"] = {"name": dump.name, "time": taken.isoformat()}
    evidence["database"] = scratch
    base = conninfo_to_dict(server_url())
    ids = [dump.name]
    try:
        _admin(base, sql.SQL("CREATE DATABASE {} TEMPLATE template0"), scratch)
    except psycopg.Error as error:
        evidence["error"] = str(error).strip()
        return Outcome(
            False,
            _("Could not create the scratch database: %s") % evidence["error"],
            dump.name,
            ids,
            evidence,
        )
    try:
        return _restore_and_ask(test, dump, taken, base, scratch, evidence, ids)
    finally:
        try:
            _admin(base, sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)"), scratch)
        except psycopg.Error as error:
            # The outcome stands; the leftover database is named for the operator.
            evidence["cleanup_error"] = str(error).strip()


def _restore_and_ask(
    test: RestoreTest,
    dump: Path,
    taken: dt.datetime,
    base: dict[str, Any],
    scratch: str,
    evidence: dict[str, Any],
    ids: list[str],
) -> Outcome:
    env = tool_env({LIBPQ_ENV[k]: str(v) for k, v in base.items() if k in LIBPQ_ENV})
    try:
        run_tool(
            [
                "pg_restore",
                "--no-owner",
                "--no-privileges",
                "--dbname",
                scratch,
                str(dump),
            ],
            env=env,
            log=evidence["commands"],
        )
    except ToolFailed as failed:
        evidence["error"] = failed.message
        return Outcome(
            False,
            _("The restore failed: %s") % failed.message,
            dump.name,
            ids,
            evidence,
        )
    queries = list(test.queries.all())
    answers = ask(make_conninfo(**{**base, "dbname": scratch}), queries, taken)
    evidence["queries"] = answers
    failed_count = sum(not answer["passed"] for answer in answers)
    if failed_count:
        message = _("%(bad)d of %(all)d sanity queries failed.") % {
            "bad": failed_count,
            "all": len(answers),
        }
    else:
        message = _("Restored; %(all)d sanity queries passed.") % {"all": len(answers)}
    return Outcome(not failed_count, message, dump.name, ids, evidence)


def _admin(base: dict[str, Any], statement: sql.SQL, name: str) -> None:
    with psycopg.connect(make_conninfo(**base), autocommit=True) as conn:
        conn.execute(statement.format(sql.Identifier(name)))


def ask(
    conninfo: str, queries: list[SanityQuery], reference: dt.datetime
) -> list[dict[str, Any]]:
    """Each query's answer and whether it meets its expectation."""
    answers = []
    with psycopg.connect(conninfo) as conn:
        for query in queries:
            answer: dict[str, Any] = {
                "label": query.label,
                "sql": query.sql,
                "expectation": query.expectation,
                "expected": query.value,
            }
            try:
                with conn.transaction():
                    conn.execute("SET TRANSACTION READ ONLY")
                    conn.execute(f"SET LOCAL statement_timeout = '{QUERY_TIMEOUT}'")
                    rows = conn.execute(query.sql.strip().rstrip(";")).fetchall()
                value = _single(rows)
                answer["value"] = _shown(value)
                answer["passed"], answer["error"] = meets(
                    value, query.expectation, query.value, reference
                )
            except (psycopg.Error, ValueError) as error:
                answer.update(value=None, passed=False, error=str(error).strip())
            answers.append(answer)
    return answers


def _single(rows: list[Any]) -> Any:
    if len(rows) != 1 or len(rows[0]) != 1:
        raise ValueError(f"expected one value, got {len(rows)} row(s)")
    return rows[0][0]


def _shown(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def meets(
    value: Any, expectation: str, expected: str, reference: dt.datetime
) -> tuple[bool, str]:
    """(passed, why not) for one value."""
    if value is None:
        return False, "the query returned NULL"
    if expectation == Expectation.NEWER_THAN_HOURS:
        when = _as_time(value)
        limit = reference - dt.timedelta(hours=float(expected))
        return (
            when >= limit,
            "" if when >= limit else f"older than {limit:%Y-%m-%d %H:%M} UTC",
        )
    if expectation == Expectation.EQUALS and not _is_number(expected):
        return str(value) == expected, ""
    number, target = _number(value), _number(expected)
    ok = {
        Expectation.AT_LEAST: number >= target,
        Expectation.AT_MOST: number <= target,
        Expectation.EQUALS: number == target,
    }[Expectation(expectation)]
    return ok, ""


def _is_number(text: str) -> bool:
    try:
        Decimal(text)
    except InvalidOperation:
        return False
    return True


def _number(value: Any) -> Decimal:
    try:
        return Decimal(str(value))
    except InvalidOperation:
        raise ValueError(f"not a number: {value!r}") from None


def _as_time(value: Any) -> dt.datetime:
    """A timestamp value as UTC (a date is its midnight; naive is UTC)."""
    if isinstance(value, dt.datetime):
        return value if value.tzinfo else value.replace(tzinfo=dt.UTC)
    if isinstance(value, dt.date):
        return dt.datetime.combine(value, dt.time(), tzinfo=dt.UTC)
    raise ValueError(f"not a time: {value!r}")
