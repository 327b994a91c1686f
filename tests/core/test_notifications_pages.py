"""The notification pages: my preferences; channels and deliveries for whoever
manages notifications (system administrators)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from django.urls import include, path

from tests.core import test_notifications_servers as servers
from tests.factories.core import UserFactory
from wardkeeper import urls as root_urls
from wardkeeper.core import urls as core_urls
from wardkeeper.core.models import (
    AuditEntry,
    Channel,
    Delivery,
    DeliveryState,
    NotificationPreference,
)
from wardkeeper.core.notifications import urls as notification_urls

# Until core/urls.py includes the notification pages, this module serves as
# the URL configuration: the site's, with those pages in the "core" namespace.
urlpatterns = [
    path(
        "",
        include(
            (
                [*core_urls.urlpatterns, *notification_urls.urlpatterns],
                "core",
            )
        ),
    ),
    *(p for p in root_urls.urlpatterns if getattr(p, "namespace", None) != "core"),
]
pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]


@pytest.fixture
def hooks():
    with servers.webhook_server() as state:
        yield state


@pytest.fixture
def manager(db):
    user = UserFactory(username="sam", roles=["system_admin"])
    user.user_permissions.add(Permission.objects.get(codename="manage_notifications"))
    return user


def test_my_preferences_start_with_email_on_and_save(client, login, nurse):
    login(nurse)
    page = client.get("/accounts/notifications/")
    assert page.status_code == 200
    assert 'name="email_resolved" id="id_email_resolved" checked' in page.text

    form = {
        "email_assigned": "on",
        "chat_resolved": "on",
        "webhook_kind": "dingtalk",
        "webhook_url": "https://oapi.dingtalk.example/robot/send?access_token=x",
    }
    response = client.post("/accounts/notifications/", form)

    assert response.status_code == 302
    prefs = {p.event: p for p in NotificationPreference.objects.filter(user=nurse)}
    assert prefs["assigned"].email
    assert not prefs["resolved"].email
    assert prefs["resolved"].webhook_kind == "dingtalk"
    assert prefs["resolved"].webhook_url.endswith("access_token=x")
    assert not prefs["assigned"].webhook_url

    # Saving the same choices again changes nothing (no new audit entries).
    entries = AuditEntry.objects.count()
    client.post("/accounts/notifications/", form)
    assert AuditEntry.objects.count() == entries


def test_a_robot_needs_its_url(client, login, nurse):
    login(nurse)
    response = client.post("/accounts/notifications/", {"webhook_kind": "slack"})
    assert response.status_code == 200
    assert "Give the robot" in response.text
    assert not NotificationPreference.objects.exists()


def test_channels_are_closed_to_people_who_do_not_manage_them(client, login, nurse):
    login(nurse)
    assert client.get("/admin/notifications/channels/").status_code == 403
    assert client.get("/admin/notifications/deliveries/").status_code == 403


def test_a_manager_adds_a_channel_and_sends_a_test(client, login, manager, hooks):
    login(manager)
    response = client.post(
        "/admin/notifications/channels/new/",
        {
            "name": "Desk chat",
            "kind": "webhook",
            "url": hooks.url + "/desk",
            "events": ["assigned", "sla_breach"],
            "is_active": "on",
        },
    )
    channel = Channel.objects.get()
    assert response.status_code == 302
    assert channel.events == ["assigned", "sla_breach"]

    response = client.post(
        f"/admin/notifications/channels/{channel.pk}/test/", follow=True
    )

    assert "Sent: Desk chat" in response.text
    assert hooks.calls[0].body["event"] == "test"
    listing = client.get("/admin/notifications/channels/")
    assert "Desk chat" in listing.text
    detail = client.get(f"/admin/notifications/channels/{channel.pk}/")
    assert "Send a test message" in detail.text
    assert "SLA breached" in detail.text
    assert hooks.url not in detail.text  # the address is shown only when editing


def test_a_channel_address_must_suit_its_kind(client, login, manager):
    login(manager)
    response = client.post(
        "/admin/notifications/channels/new/",
        {
            "name": "Mail",
            "kind": "email",
            "url": "not-a-mailbox",
            "events": ["assigned"],
        },
    )
    assert response.status_code == 200
    assert not Channel.objects.exists()


def test_editing_keeps_the_saved_secret_when_left_empty(client, login, manager):
    channel = Channel.objects.create(
        name="Ding", kind="dingtalk", url="https://d.example/r", secret="SECabc"
    )
    login(manager)
    client.post(
        f"/admin/notifications/channels/{channel.pk}/edit/",
        {
            "name": "Ding",
            "kind": "dingtalk",
            "url": "https://d.example/r2",
            "events": ["resolved"],
        },
    )
    channel.refresh_from_db()
    assert channel.url == "https://d.example/r2"
    assert channel.secret == "SECabc"
    assert (
        "SECabc"
        not in client.get(f"/admin/notifications/channels/{channel.pk}/edit/").text
    )


def failed_delivery(url: str) -> Delivery:
    channel = Channel.objects.create(name="Slack", kind="slack", url=url)
    return Delivery.objects.create(
        event="assigned",
        channel=channel,
        kind="slack",
        subject="T000001 assigned",
        payload={"text": "hi"},
        state=DeliveryState.GAVE_UP,
        attempts=8,
        last_error="HTTP 500 Internal Server Error",
    )


def test_failures_are_listed_and_can_be_retried_now(client, login, manager, hooks):
    delivery = failed_delivery(hooks.url)
    Delivery.objects.create(
        event="assigned", kind="email", subject="fine", state=DeliveryState.SENT
    )
    login(manager)

    listing = client.get("/admin/notifications/deliveries/?state=gave_up")
    assert "HTTP 500 Internal Server Error" in listing.text
    assert "T000001 assigned" in listing.text
    assert "fine" not in listing.text

    response = client.post(
        f"/admin/notifications/deliveries/{delivery.pk}/retry/", follow=True
    )
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.SENT
    assert hooks.calls[0].body == {"text": "hi"}
    assert "Sent: Slack" in response.text


def test_a_retry_that_fails_again_is_rescheduled(client, login, manager):
    delivery = failed_delivery(servers.closed_port_url())
    login(manager)
    response = client.post(
        f"/admin/notifications/deliveries/{delivery.pk}/retry/", follow=True
    )
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.FAILED
    assert delivery.attempts == 1
    assert delivery.next_attempt_at is not None
    assert "Not sent" in response.text


def test_the_delivery_list_stays_within_its_query_budget(
    client, login, manager, django_assert_max_num_queries
):
    for _ in range(5):
        failed_delivery(servers.closed_port_url()).channel.delete()
    for number in range(30):
        Delivery.objects.create(
            event="resolved", user=manager, kind="email", subject=f"m{number}"
        )
    login(manager)
    with django_assert_max_num_queries(15):
        assert client.get("/admin/notifications/deliveries/").status_code == 200
