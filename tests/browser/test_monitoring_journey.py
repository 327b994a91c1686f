"""The issue's journey, with the real monitor: a loopback TCP peer behind
the ICU's floor switch stops; the monitor (``Monitor.run``, the real TCP
probe, the engine's confirmation counts) turns the board red, opens a P1
ticket (the room is critical) in the on-call network engineer's queue;
the peer comes back, the board turns green, the alert is resolved and the
ticket noted, and after the confirmation period resolved.

The monitor runs in a thread with its own event loop (Playwright's sync API
keeps a loop running in the test's thread) and its own database connection:
on PostgreSQL a second connection to the test database; on SQLite a second
connection to the same shared-cache in-memory database. There, a reader is
refused ("table is locked") while another connection writes, so the live
server's connection reads uncommitted (PRAGMA read_uncommitted) for the
length of the test; the monitor retries its own batches anyway.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import threading
import time

import pytest
from django.db import connection
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.conftest import shot, sign_in
from tests.browser.test_monitoring_board import Peer
from tests.factories.inventory import AssetFactory, RoomFactory, asset_type
from tests.factories.monitoring import AlertRuleFactory, CheckFactory
from tests.factories.servicedesk import TeamFactory
from tests.factories.servicedesk_rota import weekly_rota
from wardkeeper.inventory.choices import Criticality
from wardkeeper.monitoring.choices import AlertState, CheckStatus
from wardkeeper.monitoring.engine.probes import load_all
from wardkeeper.monitoring.models import Alert, Check
from wardkeeper.monitoring.runner import Monitor
from wardkeeper.monitoring.services import incidents
from wardkeeper.servicedesk.choices import Category, Priority, Source, TicketState
from wardkeeper.servicedesk.models import Ticket

WAIT_S = 25.0


class BackgroundMonitor:
    """``Monitor.run(stop)`` in a thread of its own with its own loop."""

    def __init__(self, monitor: Monitor) -> None:
        self.monitor = monitor
        self.ready = threading.Event()
        self.loop: asyncio.AbstractEventLoop | None = None
        self.stop: asyncio.Event | None = None
        self.thread = threading.Thread(target=self._run, name="monitor", daemon=True)

    def _run(self) -> None:
        async def main() -> None:
            self.loop, self.stop = asyncio.get_running_loop(), asyncio.Event()
            self.ready.set()
            await self.monitor.run(self.stop)

        asyncio.run(main())

    def __enter__(self) -> BackgroundMonitor:
        self.thread.start()
        assert self.ready.wait(10), "the monitor's loop did not start"
        return self

    def __exit__(self, *exc: object) -> None:
        assert self.loop is not None
        assert self.stop is not None
        self.loop.call_soon_threadsafe(self.stop.set)
        self.thread.join(20)
        assert not self.thread.is_alive(), "the monitor did not stop"


def wait_for(condition, what: str, seconds: float = WAIT_S) -> None:
    """Poll ``condition`` (a database question) until true; bounded."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    pytest.fail(f"{what}: not within {seconds} s")


def reload_until(page, condition, seconds: float = WAIT_S) -> None:
    """Reload until ``condition()`` holds (the board also refreshes itself
    every 15 s; reloading keeps the test short); bounded."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and not condition():
        time.sleep(0.5)
        page.reload()


def shown_after_reloads(page, locator, seconds: float = WAIT_S) -> None:
    """Reload until ``locator`` is visible; bounded."""
    reload_until(page, lambda: locator.count() and locator.first.is_visible(), seconds)
    expect(locator.first).to_be_visible(timeout=1)


@pytest.fixture
def uncommitted_reads():
    """See the module's docstring: SQLite's shared cache and two writers."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA read_uncommitted = 1")
    yield
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA read_uncommitted = 0")


def status_of(check: Check) -> str:
    return Check.objects.values_list("status", flat=True).get(pk=check.pk)


@pytest.mark.django_db(transaction=True)
def test_a_stopped_peer_pages_the_on_call_engineer_and_recovers(
    page, network_engineer, uncommitted_reads
):
    network = TeamFactory(code="network", name="Network", categories=[Category.NETWORK])
    weekly_rota(
        network,
        [network_engineer],
        # Two weeks back: a handover has passed whatever today's weekday.
        starts_on=timezone.localdate() - dt.timedelta(days=14),
    )
    AlertRuleFactory(name="Faults open tickets", open_ticket=True)
    icu = RoomFactory(name="ICU 1", criticality=Criticality.CRITICAL)
    switch = AssetFactory(
        name="ICU floor switch",
        location=icu,
        model__asset_type=asset_type("switch"),
    )
    peer = Peer()
    peer.start()
    check = CheckFactory(
        name="ICU floor switch uplink",
        asset=switch,
        kind="tcp",
        host="127.0.0.1",
        params={"port": peer.port},
        interval=1,
        timeout=1,
        confirm_down=2,
        confirm_up=1,
        service="Nurse call",
    )
    monitor = Monitor(
        reload_every=1, flush_interval=0.2, probes={"tcp": load_all()["tcp"]}, listen=[]
    )
    sign_in(page, network_engineer)
    try:
        with BackgroundMonitor(monitor):
            wait_for(lambda: status_of(check) == CheckStatus.UP, "up at first")
            page.goto("/monitoring/")
            expect(page.locator("#board-all-clear")).to_be_visible()
            expect(page.locator('[data-status="up"]')).to_have_text("1")
            shot(page, "monitoring-journey-1-green")

            peer.stop()
            root = page.locator(".wk-root-cause", has_text="ICU floor switch uplink")
            shown_after_reloads(page, root)
            expect(root.locator(".badge", has_text="down")).to_be_visible()
            expect(page.locator('[data-status="down"]')).to_have_text("1")
            shot(page, "monitoring-journey-2-red")

            wait_for(lambda: Ticket.objects.exists(), "a ticket")
            ticket = Ticket.objects.get()
            assert (ticket.priority, ticket.source) == (Priority.P1, Source.MONITORING)
            assert ticket.assignee == network_engineer  # on call this week
            page.goto("/desk/queue/")
            item = page.locator(".wk-queue-item", has_text=ticket.reference)
            expect(item).to_contain_text("ICU floor switch uplink is down")
            expect(item).to_contain_text("P1")
            shot(page, "monitoring-journey-3-queue")

            peer.start()
            page.goto("/monitoring/")
            # The counts and the "down now" list are read a moment apart, so
            # a page drawn just as the check recovers may show one but not
            # the other yet: the next refresh agrees.
            down = page.locator('[data-status="down"]')
            reload_until(
                page,
                lambda: (
                    page.locator("#board-all-clear").count() > 0
                    and down.inner_text().strip() == "0"
                ),
            )
            expect(page.locator("#board-all-clear")).to_be_visible()
            expect(down).to_have_text("0")
            shot(page, "monitoring-journey-4-green-again")
            wait_for(
                lambda: Alert.objects.filter(state=AlertState.RESOLVED).exists(),
                "the alert resolved",
            )
    finally:
        if peer.sock:
            peer.stop()

    page.goto("/monitoring/alerts/")
    row = page.locator("tr", has_text="ICU floor switch uplink")
    expect(row).to_contain_text("resolved")
    expect(row).to_contain_text(ticket.reference)
    shot(page, "monitoring-journey-5-alerts")

    # The periodic job resolves the ticket once the switch has stayed up.
    later = timezone.now() + dt.timedelta(minutes=11)
    assert incidents.settle(later) == {"resolved": 1, "kept": 0}
    page.goto(f"/desk/tickets/{ticket.pk}/")
    expect(page.get_by_text("is up again").first).to_be_visible()
    expect(page.locator("#ticket-state")).to_contain_text("resolved")
    shot(page, "monitoring-journey-6-ticket")
    ticket.refresh_from_db()
    assert ticket.state == TicketState.RESOLVED
