"""The interactive API docs render from local files and can call the API."""

from urllib.parse import urlparse

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import shot, sign_in
from tests.factories.inventory import AssetFactory, AssetModelFactory
from wardkeeper.inventory.models import AssetType


@pytest.mark.django_db(transaction=True)
def test_the_docs_page_renders_offline_and_tries_a_call(page, hardware_engineer):
    # Made here rather than taken from the migrations' seed rows, which the
    # harness does not restore for the second screen size.
    kind, _ = AssetType.objects.get_or_create(
        code="api-docs", defaults={"name": "PC", "category": "end_user"}
    )
    asset = AssetFactory(model=AssetModelFactory(asset_type=kind))
    hosts = set()
    page.on("request", lambda request: hosts.add(urlparse(request.url).netloc))
    sign_in(page, hardware_engineer)
    page.goto("/api/docs/")
    expect(page.get_by_role("heading", name="Wardkeeper API")).to_be_visible()
    operation = page.locator("#operations-assets-assets_list")
    operation.locator(".opblock-summary").click()
    operation.get_by_role("button", name="Try it out").click()
    operation.get_by_role("button", name="Execute").click()
    live = operation.locator(".live-responses-table")
    expect(live.locator("tbody .response-col_status").first).to_contain_text("200")
    expect(live).to_contain_text(asset.tag)
    shot(page, "api-docs")
    # Everything the page loaded came from this server: no CDN, no Internet.
    assert hosts == {urlparse(page.url).netloc}
