"""The throughput paths page in a browser at desktop and phone size: the
paths with their figures, the chart and its periods, and a path's own check
page reading its Mbit/s."""

from __future__ import annotations

import datetime as dt
import math

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.conftest import shot, sign_in
from tests.browser.test_network_traffic import nothing_scrolls_sideways
from tests.factories.monitoring import CheckFactory
from wardkeeper.monitoring.choices import CheckKind, CheckStatus
from wardkeeper.monitoring.models import Poller, Result
from wardkeeper.network.models import Zone

pytestmark = pytest.mark.django_db(transaction=True)


def week_of_runs(check, typical: float) -> None:
    """A run every hour for a week; the afternoons slower (the PACS busy)."""
    now = timezone.now()
    rows = []
    for k in range(7 * 24):
        at = now - dt.timedelta(hours=k, minutes=5)
        mbps = round(typical * (0.75 + 0.25 * math.cos(at.hour / 24 * 2 * math.pi)), 1)
        seconds = round(check.params["size_mb"] * 8 / mbps, 2)
        rows.append(
            Result(
                source=check,
                at=at,
                status=CheckStatus.UP,
                latency_ms=seconds * 1000,
                message=f"{check.params['size_mb']} MB in {seconds} s: {mbps} Mbit/s",
                values={"bytes": check.params["size_mb"] * 10**6, "mbps": mbps},
            )
        )
    Result.objects.bulk_create(rows)


def test_the_paths_their_history_and_one_paths_page(page, network_engineer):
    imaging = Poller.objects.create(
        name="imaging-1", zone=Zone.objects.create(name="imaging")
    )
    to_pacs = CheckFactory(
        name="Imaging → PACS",
        kind=CheckKind.THROUGHPUT,
        host="10.20.0.5",
        params={"size_mb": 50, "min_mbps": 200, "port": 5201},
        poller=imaging,
        status=CheckStatus.UP,
        interval=900,
    )
    week_of_runs(to_pacs, 640)
    download = CheckFactory(
        name="Ward 3 → WADO download",
        kind=CheckKind.THROUGHPUT,
        host="pacs.ward.example",
        params={
            "mode": "http",
            "url": "https://pacs.ward.example/wado/studies/1.2.840.113619.2.55.3",
            "size_mb": 20,
        },
        status=CheckStatus.DEGRADED,
        interval=900,
    )
    week_of_runs(download, 90)
    sign_in(page, network_engineer)
    page.goto("/network/traffic/throughput/")
    expect(page.locator("h1")).to_have_text("Throughput paths")
    rows = page.locator("table.wk-table tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.filter(has_text="Imaging → PACS")).to_contain_text(
        "imaging-1 (imaging)"
    )
    expect(rows.filter(has_text="WADO")).to_contain_text("the server")
    expect(page.locator("#throughput-chart canvas")).to_have_count(1)
    nothing_scrolls_sideways(page)
    shot(page, "network-throughput")
    page.get_by_role("link", name="7 days").click()
    expect(page.get_by_role("link", name="7 days")).to_have_attribute(
        "aria-current", "true"
    )
    expect(page.locator("#throughput-chart canvas")).to_have_count(1)
    shot(page, "network-throughput-week")
    page.get_by_role("link", name="Imaging → PACS").click()
    expect(page.locator("#check-results")).to_contain_text("Mbit/s")
    shot(page, "network-throughput-check")
