"""The monitor end to end: a real loopback TCP server stopped and started,
probed by the real TCP probe, down to the alert and the ticket; a failing
database write keeps the batch for the retry; `wardkeeper monitor` as its
own process runs the MLLP listeners and stops on SIGTERM."""

import asyncio
import gc
import os
import signal
import socket
import subprocess
import sys
import time

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection

from tests.factories.inventory import AssetFactory
from tests.factories.monitoring import AlertRuleFactory, CheckFactory
from tests.factories.servicedesk import TeamFactory
from wardkeeper.monitoring.choices import AlertState, CheckStatus
from wardkeeper.monitoring.engine import hl7v2, mllp
from wardkeeper.monitoring.engine.probes import load_all
from wardkeeper.monitoring.engine.spec import Outcome, Status
from wardkeeper.monitoring.models import Alert, Check, Outage, Result
from wardkeeper.monitoring.runner import Monitor, parse_listen
from wardkeeper.monitoring.services import state
from wardkeeper.servicedesk.choices import Category, Source
from wardkeeper.servicedesk.models import Ticket

pytestmark = pytest.mark.django_db(transaction=True)


class LoopbackServer:
    """A TCP listener on 127.0.0.1 that can be stopped and started on its port."""

    def __init__(self):
        self.sock = None
        self.port = 0
        self.start()

    def start(self):
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", self.port))
        self.sock.listen(64)
        self.port = self.sock.getsockname()[1]

    def stop(self):
        self.sock.close()


async def until(monitor, condition, seconds=15.0):
    """Wait for ``condition``, asked on the monitor's own database thread: a
    second connection to SQLite's shared in-memory test database would find
    the tables locked while the monitor writes."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if await monitor._in_thread(condition):
            return
        await asyncio.sleep(0.2)
    pytest.fail(f"not reached within {seconds} s")


def status_of(check):
    return Check.objects.get(pk=check.pk).status


def test_a_stopped_peer_turns_down_with_one_alert_and_a_ticket_and_up_again():
    TeamFactory(code="hw", categories=[Category.HARDWARE])
    AlertRuleFactory(open_ticket=True)
    server = LoopbackServer()
    check = CheckFactory(
        name="PACS archive port",
        asset=AssetFactory(),
        kind="tcp",
        params={"port": server.port},
        interval=1,
        timeout=1,
        confirm_down=2,
        confirm_up=1,
    )
    probes = {"tcp": load_all()["tcp"]}
    gc_before = (gc.get_threshold(), gc.get_freeze_count())

    async def scenario():
        monitor = Monitor(
            reload_every=0.5, flush_interval=0.1, probes=probes, listen=[]
        )
        stop = asyncio.Event()
        running = asyncio.create_task(monitor.run(stop))
        try:
            await until(monitor, lambda: status_of(check) == CheckStatus.UP)
            server.stop()
            await until(monitor, lambda: status_of(check) == CheckStatus.DOWN)
            await until(monitor, lambda: Ticket.objects.exists())
            server.start()
            await until(monitor, lambda: status_of(check) == CheckStatus.UP)
        finally:
            stop.set()
            await asyncio.wait_for(running, 15)

    try:
        asyncio.run(scenario())
    finally:
        server.stop()
    # Embedded in someone else's loop, the monitor leaves the collector alone.
    assert (gc.get_threshold(), gc.get_freeze_count()) == gc_before
    stored = Result.objects.filter(source=check)
    assert stored.filter(status=Status.UP, reason="").exists()
    assert stored.filter(status=Status.DOWN, reason="refused").exists()
    alert = Alert.objects.get()
    assert alert.source_id == check.pk
    assert alert.state == AlertState.RESOLVED
    assert "PACS archive port is down" in alert.message
    ticket = Ticket.objects.get()
    assert alert.ticket == ticket
    assert ticket.source == Source.MONITORING
    assert ticket.origin == f"check:{check.pk}"
    assert ticket.worklogs.filter(note__contains="up again").exists()
    assert Outage.objects.get(source=check).ended_at is not None


def test_a_failing_write_keeps_the_batch_for_the_retry():
    check = CheckFactory(kind="test_probe", interval=1)
    failures, links = [], []

    async def test_probe(spec):
        return Outcome(status=Status.UP, latency_ms=1.0)

    def flaky_record(results):
        links.append(connection.connection)
        if not failures:
            failures.extend(round(r.at, 3) for r in results)
            raise RuntimeError("database unavailable (test)")
        return state.record(results)

    async def scenario():
        monitor = Monitor(
            record=flaky_record,
            reload_every=5,
            flush_interval=0.1,
            probes={"test_probe": test_probe},
        )
        stop = asyncio.Event()
        running = asyncio.create_task(monitor.run(stop))
        await until(
            monitor,
            lambda: (
                bool(failures)
                and Result.objects.filter(source=check).count() > len(failures) + 1
            ),
        )
        stop.set()
        await asyncio.wait_for(running, 15)

    asyncio.run(scenario())
    # The results of the failed write arrived later: nothing was lost.
    stored = {
        round(r.timestamp(), 3) for r in Result.objects.values_list("at", flat=True)
    }
    assert failures
    assert set(failures) <= stored
    # The failed call's connection was dropped (Django never closes SQLite's
    # in-memory test database); the calls after it share one.
    assert len(links) >= 3
    if connection.vendor != "sqlite" or not connection.is_in_memory_db():
        assert links[1] is not links[0]
    assert all(link is links[1] for link in links[2:])


def test_listen_entries_name_port_and_host():
    found = parse_listen(["2575=lab-feed", "127.0.0.1:2576=ris", "[::1]:2577"])
    assert [(x.name, x.host, x.port) for x in found] == [
        ("lab-feed", "", 2575),
        ("ris", "127.0.0.1", 2576),
        ("port:2577", "::1", 2577),
    ]
    for wrong in ("lab-feed", "70000=big", "host:=x"):
        with pytest.raises(ImproperlyConfigured):
            parse_listen([wrong])


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_the_monitor_process_listens_for_hl7_and_stops_on_sigterm(tmp_path):
    """Its own process: the MLLP listener of WARDKEEPER_MLLP_LISTEN answers
    AA; the checks cannot load (an empty database) and are retried; SIGTERM
    ends it cleanly."""
    port = free_port()
    env = {
        **os.environ,
        "WARDKEEPER_DATA_DIR": str(tmp_path),
        "WARDKEEPER_MLLP_LISTEN": f"127.0.0.1:{port}=lab-feed",
    }
    env.pop("WARDKEEPER_DATABASE_URL", None)
    env.pop("DJANGO_SETTINGS_MODULE", None)
    process = subprocess.Popen(
        [sys.executable, "-m", "wardkeeper.cli", "monitor"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    )
    try:
        assert process.stdout is not None
        assert b"Monitor started." in process.stdout.readline()

        async def ask():
            deadline = time.monotonic() + 15
            while True:
                try:
                    async with asyncio.timeout(5):
                        return await mllp.exchange(
                            "127.0.0.1", port, hl7v2.sample_message()
                        )
                except OSError:
                    if time.monotonic() > deadline:
                        raise
                    await asyncio.sleep(0.2)

        answer, _took = asyncio.run(ask())
        assert hl7v2.field(answer, "MSA", 1) == "AA"
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=20) == 0
        assert b"Monitor stopped" in process.stdout.read()
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=10)
