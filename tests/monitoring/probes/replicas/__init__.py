"""Real replicated database servers for the probe tests, each pair in its
own temporary directory on free loopback ports so xdist workers never share
one: postgres.py starts a PostgreSQL primary with a streaming standby,
mariadb.py a MariaDB primary with a replica. The servers refuse to run as
root, so under root they run as the `postgres` / `mysql` system users. Every
server started here is stopped (its process group killed if it lingers) when
the pair's context exits, whatever the test did; every wait is bounded.

Debian packages: postgresql-15 and postgresql-client-15 (initdb, postgres,
pg_basebackup), mariadb-server (mariadbd, mariadb-install-db)."""

from __future__ import annotations

import atexit
import contextlib
import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar, TypeVar

T = TypeVar("T")
N = TypeVar("N", bound="Node")
STARTUP_S = 30.0  # a server that is not answering by then will not
COMMAND_S = 60.0
SBIN = "/usr/sbin:/usr/bin:/sbin:/bin"


def eventually(
    poll: Callable[[], T], done: Callable[[T], bool], *, within: float = 20.0
) -> T:
    """Call poll until done(result) holds; AssertionError with the last
    result after `within` seconds."""
    deadline = time.monotonic() + within
    while True:
        result = poll()
        if done(result):
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"still {result!r} after {within} s")
        time.sleep(0.1)


def system_user(name: str) -> pwd.struct_passwd | None:
    """The system user the servers run as when we are root (they refuse
    root); None: run them as ourselves."""
    if os.geteuid() != 0:
        return None
    try:
        return pwd.getpwnam(name)
    except KeyError:
        raise RuntimeError(f"running as root and there is no {name!r} user") from None


def drop_root(account: pwd.struct_passwd | None) -> dict[str, Any]:
    if account is None:
        return {}
    return {"user": account.pw_uid, "group": account.pw_gid, "extra_groups": []}


def command(argv: list[str], account: pwd.struct_passwd | None, cwd: Path) -> None:
    done = subprocess.run(
        argv,
        cwd=cwd,
        capture_output=True,
        timeout=COMMAND_S,
        env={"PATH": SBIN, "HOME": str(cwd), "LANG": "C.UTF-8"},
        check=False,
        **drop_root(account),
    )
    if done.returncode:
        output = (done.stdout + done.stderr).decode(errors="replace")
        raise RuntimeError(f"{' '.join(argv)} failed:\n{output[-2000:]}")


@contextlib.contextmanager
def workdir(prefix: str, account: pwd.struct_passwd | None) -> Iterator[Path]:
    # Not pytest's tmp_path: its parents are private to root, and the
    # servers run as their own users.
    root = Path(tempfile.mkdtemp(prefix=prefix))
    try:
        if account is not None:
            os.chown(root, account.pw_uid, account.pw_gid)
        yield root
    finally:
        shutil.rmtree(root, ignore_errors=True)


_RUNNING: set[subprocess.Popen[bytes]] = set()


@atexit.register
def _kill_leftovers() -> None:
    # Last resort for an interpreter that exits without tearing fixtures
    # down; the context managers below normally leave nothing here.
    for process in list(_RUNNING):
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(process.pid, signal.SIGKILL)


@dataclass
class Server:
    """One server process started here, leader of its own process group."""

    argv: list[str]
    log: Path
    account: pwd.struct_passwd | None
    process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                self.argv,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
                **drop_root(self.account),
            )
        _RUNNING.add(self.process)

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def stop(self, sig: int, within: float = 15.0) -> None:
        """Ask the server to shut down; kill its process group if it has not
        within `within` seconds."""
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.send_signal(sig)
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.process.wait(within)
        # Children (postgres backends) share the group.
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.process.pid, signal.SIGKILL)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(5)
        _RUNNING.discard(self.process)
        self.process = None

    def failure(self) -> str:
        """The end of the server's log, for a start-up that went wrong."""
        text = self.log.read_text(errors="replace") if self.log.exists() else ""
        return "\n".join(text.splitlines()[-15:])


@dataclass
class Node:
    """A database server started here on a loopback port."""

    port: int
    server: Server
    STOP_SIGNAL: ClassVar[int] = signal.SIGTERM

    def answers(self) -> bool:
        raise NotImplementedError

    def start(self) -> None:
        """Start and wait until it answers; raise with its log if it dies or
        stays silent."""
        self.server.start()
        deadline = time.monotonic() + STARTUP_S
        while not self.answers():
            if not self.server.running:
                raise RuntimeError(
                    f"{self.server.argv[0]} exited:\n{self.server.failure()}"
                )
            if time.monotonic() > deadline:
                raise RuntimeError(
                    f"{self.server.argv[0]} silent:\n{self.server.failure()}"
                )
            time.sleep(0.05)

    def stop(self) -> None:
        self.server.stop(self.STOP_SIGNAL)


def launch(
    kind: type[N],
    argv: Callable[[int], list[str]],
    log: Path,
    account: pwd.struct_passwd | None,
    started: list[Node],
) -> N:
    """Start a server on a free port; another xdist worker may take the port
    before the server binds it, so a port in use is retried elsewhere."""
    for _attempt in range(3):
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = int(sock.getsockname()[1])
        node = kind(port, Server(argv(port), log, account))
        started.append(node)
        try:
            node.start()
        except RuntimeError:
            if "already in use" not in node.server.failure():
                raise
            node.stop()
            started.remove(node)
            log.unlink(missing_ok=True)
            continue
        return node
    raise RuntimeError(f"no free port for {log.stem}")
