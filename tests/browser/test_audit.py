"""An audit administrator finds an asset's change in the audit trail."""

import importlib

import pytest
from django.apps import apps as django_apps
from django.conf import settings as django_settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from tests.browser.conftest import shot, sign_in
from tests.factories.audit import record_events
from tests.factories.inventory import AssetFactory, RoomFactory
from wardkeeper.core import audit
from wardkeeper.core.models.audit import AuditAction


def seed_asset_types() -> None:
    """Live-server tests start from a flushed database; put the built-in asset
    types back the way the first migrate made them."""
    seed = importlib.import_module(
        "wardkeeper.inventory.migrations.0002_builtin_asset_types"
    )
    seed.create_types(django_apps, None)


def sign_in_verified(page, user) -> None:
    """A session for ``user`` whose second factor is already verified."""
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store["otp_device_id"] = device.persistent_id
    store.create()
    page.context.add_cookies(
        [
            {
                "name": django_settings.SESSION_COOKIE_NAME,
                "value": store.session_key,
                "url": page.context._impl_obj._options.get("baseURL"),
            }
        ]
    )


@pytest.mark.django_db(transaction=True)
def test_an_audit_admin_filters_the_trail_by_object(
    page, audit_admin, hardware_engineer
):
    seed_asset_types()
    asset = AssetFactory(name="Ward 3 registration PC")
    record_events(5, message="nightly job ran")
    with audit.audit_context(
        source="ui", actor=hardware_engineer, client_ip="10.12.0.31"
    ):
        asset.name = "Ward 4 registration PC"
        asset.save()
        audit.record(AuditAction.LOCKOUT, message="username=mallory", flagged=True)
    sign_in_verified(page, audit_admin)
    page.goto("/admin/audit/")
    expect(page.get_by_role("heading", name="Audit trail")).to_be_visible()
    page.get_by_label("Object type").select_option(label="Asset")
    page.get_by_label("Object", exact=True).fill(asset.tag)
    page.get_by_role("button", name="Filter").click()
    rows = page.locator("table.wk-audit tbody tr")
    expect(rows.first).to_contain_text("Ward 4 registration PC")
    expect(rows.first).to_contain_text("Ward 3 registration PC")
    expect(rows.first).to_contain_text("10.12.0.31")
    expect(page.get_by_text("nightly job ran")).to_have_count(0)
    shot(page, "audit-trail-filtered")
    rows.first.locator("td").first.get_by_role("link").click()  # the time
    expect(page.get_by_text("The content matches its hash.")).to_be_visible()
    shot(page, "audit-entry")
    page.goto("/admin/audit/?flagged=on")
    expect(page.locator("tr.wk-flagged")).to_contain_text("mallory")
    shot(page, "audit-trail-flagged")


@pytest.mark.django_db(transaction=True)
def test_an_asset_page_shows_its_history_readably(page, hardware_engineer):
    seed_asset_types()
    old_room, new_room = RoomFactory(name="Ward 3"), RoomFactory(name="ICU")
    asset = AssetFactory(name="Bedside monitor", location=old_room)
    with audit.audit_context(source="ui", actor=hardware_engineer):
        asset.location = new_room
        asset.save()
    sign_in(page, hardware_engineer)
    page.goto(f"/inventory/assets/{asset.pk}/")
    history = page.locator("section[aria-labelledby=history-heading]")
    expect(history).to_contain_text(f"{old_room} → {new_room}")
    expect(history).to_contain_text("hana")
    shot(page, "asset-history")
