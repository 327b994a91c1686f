"""A PostgreSQL primary and a standby streaming from it (initdb,
pg_basebackup -R), from the newest server under /usr/lib/postgresql."""

from __future__ import annotations

import contextlib
import signal
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

import psycopg

from tests.monitoring.probes.replicas import (
    Node,
    command,
    eventually,
    launch,
    system_user,
    workdir,
)

PG_BIN_DIRS = "/usr/lib/postgresql/*/bin"
PG_TOOLS = ("initdb", "postgres", "pg_basebackup")


def pg_bin() -> Path | None:
    """The newest PostgreSQL bin directory holding the server tools."""
    found = [
        d
        for d in sorted(Path("/").glob(PG_BIN_DIRS.lstrip("/")), key=_version)
        if all((d / tool).exists() for tool in PG_TOOLS)
    ]
    return found[-1] if found else None


def _version(bindir: Path) -> tuple[int, ...]:
    return tuple(int(p) for p in bindir.parent.name.split(".") if p.isdigit())


def postgres_missing() -> str:
    """Why the PostgreSQL pair cannot run here ("" when it can)."""
    if pg_bin() is None:
        return (
            f"PostgreSQL server binaries ({', '.join(PG_TOOLS)}) not in {PG_BIN_DIRS}"
        )
    return ""


class PgNode(Node):
    STOP_SIGNAL = signal.SIGINT  # PostgreSQL's fast shutdown

    def connect(self, user: str = "postgres") -> psycopg.Connection[Any]:
        return psycopg.connect(
            host="127.0.0.1",
            port=self.port,
            user=user,
            dbname="postgres",
            autocommit=True,
            connect_timeout=2,
        )

    def sql(self, query: str, *args: Any) -> list[tuple[Any, ...]]:
        with self.connect() as conn:
            cursor = conn.execute(query, args or None)
            return cursor.fetchall() if cursor.description is not None else []

    def answers(self) -> bool:
        try:
            self.sql("SELECT 1")
        except psycopg.OperationalError:
            return False
        return True


@dataclass
class PgPair:
    """A primary and its standby streaming as application_name STANDBY; the
    table `notes` exists on both."""

    primary: PgNode
    standby: PgNode

    STANDBY: ClassVar[str] = "ward_standby"

    def streaming(self) -> bool:
        rows = self.standby.sql("SELECT status FROM pg_stat_wal_receiver")
        return rows == [("streaming",)]

    def write(self, note: str) -> None:
        """Commit one row on the primary (the standby has WAL to replay)."""
        self.primary.sql("INSERT INTO notes (note) VALUES (%s)", note)

    def replayed(self, note: str) -> bool:
        return bool(self.standby.sql("SELECT FROM notes WHERE note = %s", note))

    def in_step(self) -> bool:
        """The primary has heard from its standby that all its WAL is replayed."""
        return self.primary.sql(
            "SELECT FROM pg_stat_replication WHERE state = 'streaming'"
            " AND replay_lsn = pg_current_wal_lsn()"
        ) == [()]

    def heal(self) -> None:
        """Undo what a test did: primary up, replay resumed, standby streaming
        and in step."""
        if not self.primary.server.running:
            self.primary.start()
        if self.standby.sql("SELECT pg_is_wal_replay_paused()") == [(True,)]:
            self.standby.sql("SELECT pg_wal_replay_resume()")
        eventually(self.in_step, bool)


def _postgres(bindir: Path, datadir: Path) -> Callable[[int], list[str]]:
    return lambda port: [
        str(bindir / "postgres"),
        "-D", str(datadir),
        "-p", str(port),
        "-c", "listen_addresses=127.0.0.1",
        "-c", f"unix_socket_directories={datadir.parent}",
        "-c", "fsync=off",
        "-c", "shared_buffers=16MB",
        "-c", "max_connections=30",
        # A standby whose primary comes back reconnects within a second.
        "-c", "wal_retrieve_retry_interval=200ms",
        "-c", "wal_receiver_status_interval=1s",
    ]  # fmt: skip


@contextlib.contextmanager
def postgres_pair() -> Iterator[PgPair]:
    """A PostgreSQL primary with one standby streaming from it."""
    bindir = pg_bin()
    assert bindir is not None, postgres_missing()
    account = system_user("postgres")
    started: list[Node] = []
    with workdir("wk-pg-pair-", account) as root:
        try:
            command(
                [str(bindir / "initdb"), "-D", str(root / "primary"), "-U", "postgres",
                 "--auth=trust", "--no-sync", "-E", "UTF8", "--locale=C"],
                account, root,
            )  # fmt: skip
            primary = launch(
                PgNode, _postgres(bindir, root / "primary"), root / "primary.log",
                account, started,
            )  # fmt: skip
            command(
                [str(bindir / "pg_basebackup"), "-h", "127.0.0.1",
                 "-p", str(primary.port), "-U", "postgres", "-D", str(root / "standby"),
                 "-R", "-X", "stream", "-c", "fast", "--no-sync",
                 "-d", f"application_name={PgPair.STANDBY}"],
                account, root,
            )  # fmt: skip
            standby = launch(
                PgNode, _postgres(bindir, root / "standby"), root / "standby.log",
                account, started,
            )  # fmt: skip
            pair = PgPair(primary, standby)
            eventually(pair.streaming, bool)
            primary.sql("CREATE TABLE notes (at timestamptz DEFAULT now(), note text)")
            eventually(lambda: standby.sql("SELECT to_regclass('notes')"), _named)
            eventually(pair.in_step, bool)
            yield pair
        finally:
            for node in reversed(started):
                node.stop()


def _named(rows: list[tuple[Any, ...]]) -> bool:
    return rows[0][0] is not None
