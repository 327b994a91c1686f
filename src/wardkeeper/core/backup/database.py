"""The database half of a backup: a consistent snapshot while the server
writes, its migration state and record counts read from that same snapshot,
and loading it back into an empty database.

SQLite uses the online backup API (a reader in WAL mode blocks no writer).
PostgreSQL uses ``pg_dump -Fc`` on a snapshot exported from a repeatable-read
transaction, in which the counts are taken too, so they describe exactly what
was dumped. The password reaches the PostgreSQL tools through their
environment, never their command line (which other users can read).
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
from collections.abc import Iterable
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.apps import apps
from django.db import connection, transaction
from django.utils.translation import gettext as _

from wardkeeper.core.backup import BackupError

SQLITE = "sqlite"
POSTGRESQL = "postgresql"
SQLITE_FILE = "wardkeeper.sqlite3"
MEMBERS = {
    SQLITE: "database/wardkeeper.sqlite3",
    POSTGRESQL: "database/wardkeeper.pgdump",
}
# libpq reads these from the environment; the OPTIONS of a database URL may
# carry the TLS ones.
_PG_OPTIONS = {
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "passfile": "PGPASSFILE",
    "service": "PGSERVICE",
}


@dataclass(frozen=True)
class State:
    """What a database snapshot holds: applied migrations and rows per table."""

    migrations: dict[str, list[str]]
    counts: dict[str, int]


def vendor() -> str:
    """The configured database's vendor; raises BackupError for one we cannot back up."""
    if connection.vendor not in MEMBERS:
        raise BackupError(
            _("Backing up a %(vendor)s database is not supported.")
            % {"vendor": connection.vendor}
        )
    return connection.vendor


def read_state(cursor: Any, tables: Iterable[str]) -> State:
    """Migrations and record counts through any DB-API cursor, for every
    model whose table exists (a model added since the snapshot has none)."""
    present = set(tables)
    migrations: dict[str, list[str]] = {}
    if "django_migrations" in present:
        cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
        for app, name in cursor.fetchall():
            migrations.setdefault(app, []).append(name)
    counts = {}
    for model in apps.get_models(include_auto_created=True):
        table = model._meta.db_table
        if model._meta.managed and not model._meta.proxy and table in present:
            cursor.execute(
                f'SELECT COUNT(*) FROM "{table}"'
            )  # a model's own table name
            counts[model._meta.label_lower] = int(cursor.fetchone()[0])
    return State(migrations, counts)


def sqlite_tables(cursor: Any) -> list[str]:
    cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
    return [row[0] for row in cursor.fetchall()]


def sqlite_state(path: Path) -> State | None:
    """The state of the SQLite file at ``path``; None if it has no tables."""
    if not path.exists() or path.stat().st_size == 0:
        return None
    with closing(sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)) as db:
        cursor = db.cursor()
        tables = sqlite_tables(cursor)
        return read_state(cursor, tables) if tables else None


def snapshot(target: Path) -> State:
    """Write a consistent copy of the configured database to ``target``."""
    if vendor() == SQLITE:
        return _snapshot_sqlite(Path(connection.settings_dict["NAME"]), target)
    return _snapshot_postgresql(target)


def _snapshot_sqlite(source: Path, target: Path) -> State:
    if not source.exists():
        raise BackupError(
            _("There is no database at %(path)s to back up.") % {"path": source}
        )
    try:
        with (
            closing(sqlite3.connect(source, timeout=20)) as live,
            closing(sqlite3.connect(target)) as copy,
        ):
            live.backup(copy)
            check = copy.execute("PRAGMA quick_check").fetchone()[0]
            if check != "ok":
                raise BackupError(
                    _("The database failed its integrity check: %(detail)s")
                    % {"detail": check}
                )
    except sqlite3.Error as exc:
        raise BackupError(
            _("The SQLite backup failed: %(error)s") % {"error": exc}
        ) from exc
    state = sqlite_state(target)
    if state is None:
        raise BackupError(_("The database is empty: there is nothing to back up."))
    return state


def _snapshot_postgresql(target: Path) -> State:
    # The counts are taken in the transaction whose snapshot pg_dump uses,
    # which stays open (and the snapshot valid) until pg_dump has finished.
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot_id = cursor.fetchone()[0]
        tables = connection.introspection.table_names(cursor)
        if not tables:
            raise BackupError(_("The database is empty: there is nothing to back up."))
        _run_pg_tool(
            "pg_dump",
            ["--format=custom", f"--snapshot={snapshot_id}", f"--file={target}"],
        )
        return read_state(cursor, tables)


def postgresql_tables() -> list[str]:
    """Tables in the configured PostgreSQL database's schema."""
    with connection.cursor() as cursor:
        return list(connection.introspection.table_names(cursor))


def load_postgresql(dump: Path) -> None:
    """Load a ``pg_dump -Fc`` file into the configured, empty database, in
    one transaction: a failure leaves the database empty."""
    connection.close()
    name = str(connection.settings_dict["NAME"])
    _run_pg_tool(
        "pg_restore",
        [
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            "--single-transaction",
            f"--dbname={name}",
            str(dump),
        ],
    )


def _run_pg_tool(tool: str, arguments: list[str]) -> None:
    try:
        result = subprocess.run(
            [tool, "--no-password", *arguments],
            env=pg_environment(connection.settings_dict),
            capture_output=True,
            text=True,
            check=False,
        )
    except FileNotFoundError as exc:
        raise BackupError(
            _(
                "%(tool)s was not found. Install the PostgreSQL client tools "
                "(Debian: postgresql-client) of the server's major version or newer."
            )
            % {"tool": tool}
        ) from exc
    if result.returncode != 0:
        raise BackupError(
            _("%(tool)s failed: %(error)s")
            % {"tool": tool, "error": result.stderr.strip() or result.returncode}
        )


def pg_environment(settings: dict[str, Any]) -> dict[str, str]:
    """The environment that points libpq's tools at the configured database."""
    variables = dict(os.environ)
    for key, name in (
        ("HOST", "PGHOST"),
        ("PORT", "PGPORT"),
        ("USER", "PGUSER"),
        ("PASSWORD", "PGPASSWORD"),
        ("NAME", "PGDATABASE"),
    ):
        if settings.get(key):
            variables[name] = str(settings[key])
    for option, name in _PG_OPTIONS.items():
        if settings.get("OPTIONS", {}).get(option):
            variables[name] = str(settings["OPTIONS"][option])
    variables["PGAPPNAME"] = "wardkeeper-backup"
    return variables
