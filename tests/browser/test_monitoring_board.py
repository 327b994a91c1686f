"""The status board at desktop and phone size: a check of a real TCP server
on loopback turns red when the server stops and green when it is back, the
board refreshing itself (htmx) without a reload; how long a fault has lasted
reads sensibly from its first seconds; paused checks are counted apart, in a
muted card leading to them and a muted column per group."""

import asyncio
import datetime as dt
import socket
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.conftest import shot, sign_in
from tests.factories.inventory import AssetFactory, DepartmentFactory
from tests.factories.monitoring import CheckFactory
from tests.factories.monitoring_views import WATCH, person
from wardkeeper.monitoring.choices import CheckStatus
from wardkeeper.monitoring.engine.probes.tcp import check_tcp
from wardkeeper.monitoring.engine.spec import Result
from wardkeeper.monitoring.services.specs import spec_of
from wardkeeper.monitoring.services.state import record

REFRESH_MS = 20_000  # the board asks every 15 s


class Peer:
    """A TCP server on loopback that accepts connections (the kernel's
    backlog answers them) until stopped; restarts on the same port."""

    def __init__(self) -> None:
        self.port = 0
        self.sock: socket.socket | None = None

    def start(self) -> None:
        sock = socket.socket()
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", self.port))
        sock.listen(64)
        self.port, self.sock = sock.getsockname()[1], sock

    def stop(self) -> None:
        assert self.sock is not None
        self.sock.close()
        self.sock = None


def poll(check, rounds: int) -> None:
    """Run the real TCP probe ``rounds`` times and hand the results to the
    state service, as the monitor does."""
    spec = spec_of(check)
    for _ in range(rounds):
        # Playwright's loop runs in this thread: the probe gets one of its own.
        with ThreadPoolExecutor(1) as pool:
            outcome = pool.submit(
                asyncio.run, asyncio.wait_for(check_tcp(spec), 3)
            ).result()
        record([Result(check_id=check.pk, at=time.time(), lag=0.0, outcome=outcome)])


@pytest.mark.django_db(transaction=True)
def test_the_board_turns_red_when_the_peer_stops_and_green_when_it_is_back(page):
    peer = Peer()
    peer.start()
    radiology = DepartmentFactory(name="Radiology")
    pacs = CheckFactory(
        name="PACS gateway",
        asset=AssetFactory(name="PACS gateway", department=radiology),
        kind="tcp",
        host="127.0.0.1",
        params={"port": peer.port},
        timeout=2,
        confirm_down=2,
        confirm_up=1,
        service="PACS",
    )
    CheckFactory(name="HIS web", service="HIS", status="up")
    try:
        poll(pacs, 1)
        sign_in(page, person("nick", *WATCH))
        page.goto("/monitoring/")
        expect(page.get_by_text("Nothing is down.")).to_be_visible()
        # Nothing paused: no paused count, no paused column.
        expect(page.locator("#board-paused")).to_have_count(0)
        expect(page.locator("#board-groups th")).to_have_count(5)
        shot(page, "monitoring-board-green")

        peer.stop()
        poll(pacs, 2)
        root = page.locator(".wk-root-cause", has_text="PACS gateway")
        expect(root).to_be_visible(timeout=REFRESH_MS)  # no reload: htmx
        expect(root.locator(".badge", has_text="down")).to_be_visible()
        expect(root).to_contain_text("Connect call failed")
        expect(page.locator('[data-status="down"]')).to_have_text("1")
        shot(page, "monitoring-board-red")

        page.get_by_role("link", name="Department", exact=True).click()
        expect(page.locator("#board-groups")).to_contain_text("Radiology")
        expect(page.locator("#board-groups tr.table-danger")).to_contain_text(
            "Radiology"
        )
        shot(page, "monitoring-board-by-department")

        peer.start()
        poll(pacs, 1)
        expect(page.get_by_text("Nothing is down.")).to_be_visible(timeout=REFRESH_MS)
        expect(page.locator('[data-status="up"]')).to_have_text("2")
    finally:
        if peer.sock:
            peer.stop()
    page.goto(pacs.get_absolute_url())
    expect(page.locator("#latency-chart canvas")).to_be_visible()
    expect(page.locator("#check-outages")).to_contain_text("down")
    shot(page, "monitoring-check-detail")


@pytest.mark.django_db(transaction=True)
def test_a_fault_seconds_old_lasts_less_than_a_minute_not_zero_minutes(page):
    now = timezone.now()
    fresh = CheckFactory(
        name="PACS gateway",
        status=CheckStatus.DOWN,
        status_since=now - dt.timedelta(seconds=5),
    )
    CheckFactory(
        name="Lab printer queue",
        status=CheckStatus.DOWN,
        status_since=now - dt.timedelta(hours=2, minutes=5),
    )
    sign_in(page, person("nick", *WATCH))
    page.goto("/monitoring/")
    down = page.locator("#board-down")
    expect(down.locator("li", has_text="PACS gateway")).to_contain_text(
        "for less than a minute"
    )
    expect(down.locator("li", has_text="Lab printer queue")).to_contain_text(
        "for 2 hours, 5 minutes"
    )
    expect(down).not_to_contain_text("0 minutes")
    shot(page, "monitoring-board-just-down")

    page.goto(fresh.get_absolute_url())
    expect(page.locator("#check-facts")).to_contain_text("for less than a minute")
    page.goto("/monitoring/checks/?status=down")
    expect(page.get_by_role("listbox")).to_have_count(0)  # status chips
    expect(page.get_by_label("down", exact=True)).to_be_checked()
    row = page.locator("tr", has_text="PACS gateway")
    expect(row).to_contain_text("just now")
    # No service, never measured: a phone's card leaves those out.
    hidden = 2 if page.size_name == "phone" else 0
    expect(row.locator("td:visible")).to_have_count(8 - hidden)
    expect(page.locator("tr", has_text="Lab printer queue")).to_contain_text(
        "2 hours, 5 minutes ago"
    )
    shot(page, "monitoring-checks-just-down")


@pytest.mark.django_db(transaction=True)
def test_paused_checks_are_counted_apart_and_lead_to_the_paused_checks(page):
    ward, lab = DepartmentFactory(name="Ward 7"), DepartmentFactory(name="Laboratory")
    on_ward, in_lab = AssetFactory(department=ward), AssetFactory(department=lab)
    CheckFactory(name="Ward 7 switch", asset=on_ward, status=CheckStatus.UP)
    CheckFactory(name="LIS", asset=in_lab, status=CheckStatus.DOWN)
    for name, asset in [
        ("Ward 7 monitor gateway", on_ward),
        ("Ward 7 pump gateway", on_ward),
        ("Old LIS interface", in_lab),
    ]:
        CheckFactory(name=name, asset=asset, enabled=False, status=CheckStatus.PAUSED)
    sign_in(page, person("nick", *WATCH))
    page.goto("/monitoring/?by=department")

    card = page.locator("#board-paused")
    expect(card).to_contain_text("3")
    expect(card).to_contain_text("paused")
    # The statuses count only the watched checks.
    expect(page.locator('[data-status="up"]')).to_have_text("1")
    groups = page.locator("#board-groups")
    expect(groups.locator("th[title=paused]")).to_be_visible()
    expect(groups.locator("tr", has_text="Ward 7").locator("td").last).to_have_text("2")
    expect(groups.locator("tr", has_text="Laboratory").locator("td").last).to_have_text(
        "1"
    )
    # The whole table fits the screen: nothing to scroll sideways.
    wide = groups.evaluate(
        "t => t.parentElement.scrollWidth > t.parentElement.clientWidth"
    )
    assert not wide
    shot(page, "monitoring-board-paused")

    card.click()
    expect(page).to_have_url("/monitoring/checks/?enabled=false")
    expect(page.get_by_label("Enabled")).to_have_value("false")
    listed = page.locator("tbody tr")
    expect(listed).to_have_count(3)
    expect(listed.filter(has_text="Ward 7 switch")).to_have_count(0)
    shot(page, "monitoring-checks-paused")
