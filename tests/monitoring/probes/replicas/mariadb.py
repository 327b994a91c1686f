"""A MariaDB primary and a replica of it (mariadb-install-db, CHANGE
MASTER TO ... MASTER_USE_GTID), run with --no-defaults so nothing of the
system server's configuration applies."""

from __future__ import annotations

import contextlib
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

import pymysql

from tests.monitoring.probes.replicas import (
    SBIN,
    Node,
    command,
    eventually,
    launch,
    system_user,
    workdir,
)

MARIADB_TOOLS = ("mariadbd", "mariadb-install-db")


def mariadb_missing() -> str:
    """Why the MariaDB pair cannot run here ("" when it can)."""
    absent = [t for t in MARIADB_TOOLS if not shutil.which(t, path=SBIN)]
    return (
        f"MariaDB server binaries not installed: {', '.join(absent)}" if absent else ""
    )


class MyNode(Node):
    def connect(self, **options: Any) -> pymysql.Connection[Any]:
        options = {"user": "root", "password": "", "connect_timeout": 2, **options}
        return pymysql.connect(
            host="127.0.0.1", port=self.port, autocommit=True, **options
        )

    def sql(self, query: str, *args: Any) -> list[dict[str, Any]]:
        conn = self.connect(cursorclass=pymysql.cursors.DictCursor)
        with conn, conn.cursor() as cursor:
            cursor.execute(query, args or None)
            return list(cursor.fetchall())

    def answers(self) -> bool:
        try:
            self.sql("SELECT 1")
        except pymysql.err.OperationalError:
            return False
        return True


@dataclass
class MyPair:
    """A MariaDB primary and its replica (GTID); the user MONITOR may read
    the replica status on both, and the schema `ward` exists on both."""

    primary: MyNode
    replica: MyNode

    MONITOR: ClassVar[str] = "ward_monitor"
    MONITOR_PASSWORD: ClassVar[str] = "watch-the-wards"

    def healthy(self) -> bool:
        rows = self.replica.sql("SHOW REPLICA STATUS")
        status = rows[0] if rows else {}
        running = status.get("Slave_IO_Running"), status.get("Slave_SQL_Running")
        return running == ("Yes", "Yes") and status.get("Seconds_Behind_Master") == 0

    def caught_up(self) -> bool:
        wanted = self.primary.sql("SELECT @@gtid_binlog_pos AS pos")[0]["pos"]
        got = self.replica.sql("SELECT @@gtid_slave_pos AS pos")[0]["pos"]
        return bool(got == wanted and self.healthy())

    def heal(self) -> None:
        """Primary up, and the replica replicating from the primary's current
        position (whatever a test broke is skipped, not repaired)."""
        if not self.primary.server.running:
            self.primary.start()
        if not self.healthy():
            position = self.primary.sql("SELECT @@gtid_binlog_pos AS pos")[0]["pos"]
            self.replica.sql("STOP REPLICA")
            self.replica.sql("SET GLOBAL gtid_slave_pos = %s", position)
            self.replica.sql("START REPLICA")
        eventually(self.caught_up, bool)


def _mariadbd(datadir: Path, server_id: int) -> Callable[[int], list[str]]:
    files = datadir.parent / datadir.name
    return lambda port: [
        shutil.which("mariadbd", path=SBIN) or "mariadbd",
        "--no-defaults",  # never the system server's my.cnf (port, socket)
        f"--datadir={datadir}",
        f"--tmpdir={datadir.parent}",  # not /tmp: its temp-table names may clash
        f"--port={port}",
        "--bind-address=127.0.0.1",
        f"--socket={files}.sock",
        f"--pid-file={files}.pid",
        f"--log-error={files}.log",
        f"--server-id={server_id}",
        f"--log-bin={datadir.name}-bin",
        f"--relay-log={datadir.name}-relay",
        "--skip-name-resolve",
        "--innodb-buffer-pool-size=16M",
        "--innodb-log-file-size=4M",
        "--innodb-flush-log-at-trx-commit=0",
        "--sync-binlog=0",
    ]


@contextlib.contextmanager
def mariadb_pair() -> Iterator[MyPair]:
    """A MariaDB primary and a replica streaming its binary log."""
    assert not mariadb_missing(), mariadb_missing()
    account = system_user("mysql")
    started: list[Node] = []
    with workdir("wk-my-pair-", account) as root:
        try:
            command(
                [shutil.which("mariadb-install-db", path=SBIN) or "mariadb-install-db",
                 "--no-defaults", f"--datadir={root / 'primary'}",
                 "--auth-root-authentication-method=normal", "--skip-test-db",
                 "--skip-name-resolve", "--innodb-log-file-size=4M",
                 f"--tmpdir={root}"],
                account, root,
            )  # fmt: skip
            # A copy of a fresh data directory is a fresh server too.
            command(
                ["cp", "-a", str(root / "primary"), str(root / "replica")], None, root
            )
            nodes = [
                launch(MyNode, _mariadbd(root / name, server_id), root / f"{name}.log",
                        account, started)
                for server_id, name in ((1, "primary"), (2, "replica"))
            ]  # fmt: skip
            pair = MyPair(*nodes)
            _replicate(pair)
            yield pair
        finally:
            for node in reversed(started):
                node.stop()


def _replicate(pair: MyPair) -> None:
    password = "copy-the-wards"
    pair.primary.sql("CREATE USER repl@'127.0.0.1' IDENTIFIED BY %s", password)
    pair.primary.sql("GRANT REPLICATION SLAVE ON *.* TO repl@'127.0.0.1'")
    pair.replica.sql(
        "CHANGE MASTER TO MASTER_HOST='127.0.0.1', MASTER_PORT=%s,"
        " MASTER_USER='repl', MASTER_PASSWORD=%s, MASTER_CONNECT_RETRY=1,"
        " MASTER_USE_GTID=slave_pos",
        pair.primary.port,
        password,
    )
    pair.replica.sql("START REPLICA")
    # Made on the primary once replication runs: the replica gets them the
    # way it gets everything else.
    pair.primary.sql("CREATE DATABASE ward")
    pair.primary.sql(
        f"CREATE USER {MyPair.MONITOR}@'127.0.0.1' IDENTIFIED BY %s",
        MyPair.MONITOR_PASSWORD,
    )
    pair.primary.sql(
        f"GRANT SELECT, SLAVE MONITOR ON *.* TO {MyPair.MONITOR}@'127.0.0.1'"
    )
    eventually(pair.caught_up, bool)
