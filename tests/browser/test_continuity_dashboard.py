"""The backup and recovery dashboard at desktop and phone size: the headline
figures, a late system's row, the flag of an old restore proof, and the
filter."""

from __future__ import annotations

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.conftest import shot, sign_in
from tests.continuity.test_dashboard import three_systems
from tests.factories.continuity import database_engineer_persona
from tests.factories.inventory import AssetFactory
from tests.factories.monitoring import CheckFactory
from wardkeeper.monitoring.choices import CheckStatus
from wardkeeper.monitoring.models import Result

pytestmark = pytest.mark.django_db(transaction=True)


def degraded_array(system):
    """A Redfish check of the system's server, its last run: one degraded
    volume (stored as the monitor stores a run)."""
    server = AssetFactory(tag="SRV-0101")
    system.assets.add(server)
    check = CheckFactory(
        name="SRV-0101 storage",
        asset=server,
        kind="redfish",
        status=CheckStatus.DEGRADED,
        last_message="PERC H755 Front: volume OS and data Warning",
    )
    array = {
        "id": "RAID.Integrated.1-1",
        "name": "PERC H755 Front",
        "health": "Warning",
        "controllers": 1,
        "volumes": [
            {
                "name": "OS and data",
                "raid": "RAID5",
                "health": "Warning",
                "state": "Enabled",
            }
        ],
        "drives": 5,
        "failed_drives": 0,
        "hot_spares": 1,
        "cache": "OK",
        "battery": "Warning",
        "problems": ["volume OS and data Warning", "battery Warning"],
    }
    Result.objects.create(
        source=check, at=timezone.now(), status="degraded", values={"arrays": [array]}
    )


def test_dana_reads_the_dashboard(page):
    systems = three_systems()
    degraded_array(systems["HIS"])
    sign_in(page, database_engineer_persona())
    page.goto("/continuity/")
    headline = page.locator("#dashboard-headline")
    expect(headline.locator("[data-figure=rpo]")).to_contain_text("2 of 3")
    expect(headline.locator("[data-figure=rule321]")).to_contain_text("1 of 3")
    expect(headline.locator("[data-figure=findings]")).to_contain_text("1")
    lis = page.locator("tr[data-system=LIS]")
    expect(lis.locator(".wk-proof")).to_contain_text("not proven in 30 days")
    expect(lis.locator(".wk-drill")).to_contain_text("not in 12 months")
    web = page.locator("tr[data-system=Website]")
    expect(web.locator(".wk-proof")).to_contain_text("passed")
    expect(web.locator(".wk-proof")).to_contain_text("not proven in 30 days")
    his = page.locator("tr[data-system=HIS]")
    expect(his.locator(".wk-321")).to_contain_text("met")
    # Nothing spills sideways on a phone.
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"] + 1
    table = page.locator("#dashboard-table").evaluate("t => t.scrollWidth")
    shown = page.locator("#dashboard-table").evaluate(
        "t => t.parentElement.clientWidth"
    )
    assert table <= shown + 1
    array = page.locator("#storage-table tr[data-array='PERC H755 Front']")
    expect(array).to_contain_text("degraded")
    expect(array).to_contain_text("RAID5")
    expect(array).to_contain_text("battery warning")
    shot(page, "continuity-dashboard")

    with page.expect_download() as pdf:
        page.get_by_role("link", name="PDF").click()
    assert pdf.value.suggested_filename.endswith(".pdf")

    if page.size_name == "phone":
        page.get_by_role("button", name="Filters", exact=True).click()
    page.get_by_label("Criticality").select_option("1")
    page.get_by_role("button", name="Filter", exact=True).click()
    expect(page.locator("#dashboard-table tbody tr")).to_have_count(1)
    expect(headline.locator("[data-figure=rpo]")).to_contain_text("1 of 1")
