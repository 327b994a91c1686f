"""Notification pages in a browser, at desktop and phone width: a nurse picks
what reaches her; the system administrator adds a chat channel, tests it and
retries a failed delivery."""

import pytest
from django.contrib.auth.models import Permission
from playwright.sync_api import expect

from tests.browser import test_accounts as accounts_pages
from tests.browser.conftest import shot, sign_in
from tests.core import test_notifications_servers as servers
from wardkeeper.core.models import Channel, Delivery, DeliveryState

pytestmark = pytest.mark.urls("tests.core.test_notifications_pages")


@pytest.mark.django_db(transaction=True)
def test_a_nurse_turns_off_an_email_and_adds_her_robot(page, nurse):
    sign_in(page, nurse)
    page.goto("/accounts/notifications/")
    expect(page.get_by_role("heading", name="My notifications")).to_be_visible()
    page.get_by_label("E-mail: ticket assigned").uncheck()
    page.get_by_label("My chat robot").select_option("wecom")
    page.get_by_label("Robot URL").fill("https://qyapi.example/send?key=k")
    page.get_by_label("My robot: ticket resolved").check()
    shot(page, "notification-preferences")
    page.get_by_role("button", name="Save").click()
    expect(
        page.get_by_text("Your notification preferences were saved.")
    ).to_be_visible()
    expect(page.get_by_label("E-mail: ticket assigned")).not_to_be_checked()
    expect(page.get_by_label("My robot: ticket resolved")).to_be_checked()


@pytest.mark.django_db(transaction=True)
def test_the_administrator_tests_a_channel_and_retries_a_failure(page, system_admin):
    system_admin.user_permissions.add(
        Permission.objects.get(codename="manage_notifications")
    )
    accounts_pages.sign_in_verified(page, system_admin)
    with servers.webhook_server() as hooks:
        page.goto("/admin/notifications/channels/new/")
        page.get_by_label("Name").fill("Network team chat")
        page.get_by_label("Kind").select_option("slack")
        page.get_by_label("Address").fill(hooks.url + "/services/x")
        page.get_by_label("SLA breached").check()
        shot(page, "notification-channel-form")
        page.get_by_role("button", name="Save").click()
        page.get_by_role("button", name="Send a test message").click()
        expect(page.get_by_text("Sent: Network team chat")).to_be_visible()
        shot(page, "notification-channel-detail")
        assert hooks.calls[0].body["text"].startswith("*Wardkeeper test message*")

        Delivery.objects.create(
            event="sla_breach",
            channel=Channel.objects.get(),
            kind="slack",
            subject="T000031 has missed its SLA",
            payload={"text": "T000031 has missed its SLA"},
            state=DeliveryState.GAVE_UP,
            attempts=8,
            last_error="HTTP 502 Bad Gateway",
        )
        page.goto("/admin/notifications/deliveries/")
        page.get_by_role("link", name="Given up").click()
        expect(page.get_by_text("HTTP 502 Bad Gateway")).to_be_visible()
        shot(page, "notification-deliveries")
        page.get_by_role("button", name="Retry now").click()
        expect(page.get_by_text("Sent: Network team chat")).to_be_visible()
        assert hooks.calls[-1].body == {"text": "T000031 has missed its SLA"}
