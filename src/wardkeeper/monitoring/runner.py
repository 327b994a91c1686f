"""The monitor process: the engine, fed with the checks in the database,
writing its results back through ``services.state.record``, and the MLLP
listeners of ``WARDKEEPER_MLLP_LISTEN`` (their figures feed the passive HL7
checks, which read them in this same process).

The sink runs ``record`` (by default a ``state.Recorder``, which keeps the
checks' state in memory) in a worker thread (the database is blocking; the
engine's loop must not be), one batch at a time. The thread keeps its
database connection across batches (reopening it per batch cost SQLite its
PRAGMAs and page cache each time); it is closed, and opened afresh for the
next call, only after an error — which is also how a connection the
database closed (a restart, a failover) shows. A database error is raised
back to the engine, which keeps the batch and hands it in again with
back-off: a database briefly unavailable loses nothing but the batch in
flight at a crash. Every ``MONITOR_RELOAD_SECONDS`` the monitor looks at the
audit trail (``specs.ChangeWatch``: one query) and, when a check, asset or
poller changed, loads the checks again (and refreshes the recorder's
memory); every ``MONITOR_FULL_RELOAD_SECONDS`` it loads them whatever the
trail says. The engine is given the set when it changed. (Reading 20,000
checks costs ~150 ms; reading them every 30 s was a fifth of what the
database thread spent per ICMP echo.)

``Monitor.run_forever`` is the monitor's own process (``wardkeeper
monitor``): its own event loop (uvloop when installed), the garbage
collector tuned for the engine (``engine.run.tune_gc``, process-wide), and a
clean stop on SIGTERM/SIGINT. ``Monitor.run`` runs inside a loop someone
else owns (tests, an embedding program) and leaves the collector alone.
"""

from __future__ import annotations

import asyncio
import logging
import sys
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db import connections

from wardkeeper.core.audit import audit_context
from wardkeeper.core.models.audit import AuditSource
from wardkeeper.monitoring import conf
from wardkeeper.monitoring.engine import run as engine_run
from wardkeeper.monitoring.engine.mllp import MllpListener
from wardkeeper.monitoring.engine.scheduler import Engine
from wardkeeper.monitoring.engine.spec import CheckSpec, Result
from wardkeeper.monitoring.services import specs, state

logger = logging.getLogger(__name__)

SNMP_CLIENT = "wardkeeper.monitoring.engine.probes.snmp_client"


def parse_listen(entries: Iterable[str]) -> list[MllpListener]:
    """Listeners from ``[HOST:]PORT[=NAME]`` entries ("2575=lab-feed",
    "127.0.0.1:2576=ris", "[::1]:2577"). No host: every interface; no name:
    ``port:PORT``. Raises ImproperlyConfigured for an entry that is not one."""
    listeners = []
    for entry in entries:
        address, _sep, name = entry.partition("=")
        host, _sep, port = address.strip().rpartition(":")
        try:
            number = int(port)
        except ValueError:
            number = -1
        if not 0 <= number < 65536:  # 0: any free port
            raise ImproperlyConfigured(
                f"WARDKEEPER_MLLP_LISTEN: {entry!r} is not [HOST:]PORT[=NAME]"
            )
        listeners.append(MllpListener(name.strip() or None, host.strip("[] "), number))
    return listeners


class Monitor:
    """The engine plus its Django side. ``record`` and ``load`` are
    injectable so tests can watch them."""

    def __init__(
        self,
        *,
        record: Callable[[list[Result]], Any] | None = None,
        load: Callable[[], list[CheckSpec]] | None = None,
        reload_every: float | None = None,
        listen: Iterable[str] | None = None,
        **engine_options: Any,
    ) -> None:
        # The default recorder keeps the checks' state in memory; an
        # injected ``record`` (tests) is called as it is.
        self.recorder = (
            state.Recorder(raw_flush=float(conf.get("MONITOR_RAW_FLUSH_SECONDS")))
            if record is None
            else None
        )
        self._record: Callable[[list[Result]], Any] = (
            record or self.recorder or (state.record)
        )
        self._load = load or specs.SpecLoader()
        self.reload_every = reload_every or float(conf.get("MONITOR_RELOAD_SECONDS"))
        self.full_reload_every = float(conf.get("MONITOR_FULL_RELOAD_SECONDS"))
        self._watch = specs.ChangeWatch()
        self._loaded_at = -float("inf")  # loop time of the last full load
        # One thread: batches are written in order, one at a time, and the
        # thread keeps its own database connection.
        self._db = ThreadPoolExecutor(max_workers=1, thread_name_prefix="monitor-db")
        options = {
            "concurrency": conf.get("MONITOR_CONCURRENCY"),
            "per_host": conf.get("MONITOR_PER_HOST"),
            "min_host_gap": conf.get("MONITOR_MIN_HOST_GAP"),
            "batch_size": conf.get("MONITOR_BATCH_SIZE"),
            "flush_interval": conf.get("MONITOR_FLUSH_SECONDS"),
            **engine_options,
        }
        self.engine = Engine(self.sink, **options)
        self.specs: list[CheckSpec] = []
        self.batches = 0
        self.listeners = parse_listen(
            conf.get("MLLP_LISTEN") if listen is None else listen
        )

    def _in_thread(self, func: Callable[..., Any], *args: Any) -> Any:
        def call() -> Any:
            # The thread's connection stays open between calls.
            try:
                with audit_context(source=AuditSource.TASK, reason="monitor"):
                    return func(*args)
            except Exception:
                # A broken connection (or one the database closed) must not
                # be reused for the retry: the next call opens a new one.
                connections.close_all()
                raise

        return asyncio.get_running_loop().run_in_executor(self._db, call)

    async def sink(self, results: list[Result]) -> None:
        """Store one batch; raises (and the engine retries) on a DB error."""
        try:
            await self._in_thread(self._record, results)
        except Exception:
            logger.exception("monitor: %d results not stored, will retry", len(results))
            raise
        self.batches += 1

    async def reload(self, *, force: bool = True) -> bool:
        """Load the checks (and refresh the recorder's memory of them);
        give them to the engine if they changed. Without ``force``, only when
        the audit trail shows a change or the full reload is due."""
        now = asyncio.get_running_loop().time()
        force = force or now - self._loaded_at >= self.full_reload_every
        loaded = await self._in_thread(self._load_all, force)
        if loaded is None:
            return False  # nothing changed
        self._loaded_at = now
        if loaded == self.specs:
            return False
        self.specs = loaded
        self.engine.set_checks(loaded)
        logger.info("monitor: %d checks", len(loaded))
        return True

    async def _look(self) -> bool:
        return await self.reload(force=False)

    def _load_all(self, force: bool) -> list[CheckSpec] | None:
        changed = self._watch.changed()  # look even when forced: moves the mark
        if not (force or changed):
            return None
        loaded = self._load()
        if self.recorder is not None:
            self.recorder.refresh()
        return loaded

    def _flush(self) -> None:
        if self.recorder is not None:
            self.recorder.flush()

    def run_forever(
        self, *, use_uvloop: bool = True, started: Callable[[], Any] | None = None
    ) -> None:
        """The monitor's own process: run in a new loop (uvloop when
        installed) with the collector tuned, until SIGTERM or SIGINT.
        ``started`` is called once the signals are caught."""

        async def main() -> None:
            stop = asyncio.Event()
            engine_run.stop_on_signals(stop)
            engine_run.tune_gc()
            if started is not None:
                started()
            await self.run(stop)

        engine_run.run(main(), use_uvloop=use_uvloop)

    async def run(self, stop: asyncio.Event) -> None:
        """Run until ``stop`` is set, then write what is buffered and return."""
        await self._listen()
        await self._retrying(self.reload, stop)
        engine = asyncio.create_task(self.engine.run(stop))
        try:
            while not stop.is_set():
                try:
                    await asyncio.wait_for(stop.wait(), self.reload_every)
                except TimeoutError:
                    await self._retrying(self._look, stop, attempts=1)
        finally:
            stop.set()
            await engine
            await self._close()
            try:  # the last_* values the recorder had not written yet
                await self._in_thread(self._flush)
            except Exception:
                logger.exception("monitor: last check times not written")
            # The thread's connection is closed in the thread that opened it.
            await asyncio.get_running_loop().run_in_executor(
                self._db, connections.close_all
            )
            self._db.shutdown(wait=True)

    async def _listen(self) -> None:
        """Start the MLLP listeners; one that cannot bind (the port is taken)
        is logged and left out, the monitor carries on without it."""
        started = []
        for listener in self.listeners:
            try:
                await listener.start()
            except OSError:
                logger.exception(
                    "monitor: MLLP listener %s on port %d not started",
                    listener.name,
                    listener.port,
                )
                continue
            started.append(listener)
            logger.info("monitor: MLLP %s on port %d", listener.name, listener.port)
        self.listeners = started

    async def _close(self) -> None:
        """Close the listeners and, when SNMP probes ran, their sockets."""
        for listener in self.listeners:
            await listener.close()
        snmp_client = sys.modules.get(SNMP_CLIENT)
        if snmp_client is not None:
            snmp_client.close_engines()

    async def _retrying(
        self, action: Callable[[], Any], stop: asyncio.Event, attempts: int = 0
    ) -> None:
        """Run ``action``; on an error wait and try again (``attempts`` 0:
        until it works or ``stop``)."""
        delay, tried = 0.5, 0
        while not stop.is_set():
            try:
                await action()
                return
            except Exception:
                logger.exception("monitor: loading checks failed")
                tried += 1
                if attempts and tried >= attempts:
                    return
            try:
                await asyncio.wait_for(stop.wait(), delay)
            except TimeoutError:
                delay = min(30.0, delay * 2)
