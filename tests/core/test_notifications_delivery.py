"""Sending: real SMTP and HTTP servers on loopback receive each format;
failures are retried with back-off and given up after N tries."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac

import pytest
from django.utils import timezone

from tests.core import test_notifications_servers as servers
from tests.factories.core import UserFactory
from wardkeeper.core.models import AuditEntry, Channel, Delivery, DeliveryState
from wardkeeper.core.notifications import notify
from wardkeeper.core.notifications.delivery import deliver_due

pytestmark = pytest.mark.django_db


@pytest.fixture
def smtp(settings):
    with servers.smtp_server(settings) as box:
        yield box


@pytest.fixture
def hooks():
    with servers.webhook_server() as state:
        yield state


@pytest.fixture
def send(django_capture_on_commit_callbacks):
    """``send(event, people, **message)``: notify, commit, return the rows."""

    def run(event="assigned", people=(), **message):
        message = {
            "subject": "T000042 assigned to you",
            "body": "Kiosk black",
        } | message
        with django_capture_on_commit_callbacks(execute=True):
            notify(event, list(people), link="http://wk.example/desk/42/", **message)
        return list(Delivery.objects.order_by("id"))

    return run


def channel(kind, url, **extra):
    return Channel.objects.create(
        name=f"{kind} room", kind=kind, url=url, events=["assigned"], **extra
    )


def test_it_sends_the_email_to_the_person_over_smtp(smtp, send):
    hana = UserFactory(email="hana@hospital.example")
    send(people=[hana], subject="[P1] T000042 assigned to you")

    summary = deliver_due()

    assert summary["sent"] == 1
    (mail,) = smtp.mails
    assert mail.recipients == ["hana@hospital.example"]
    assert mail.subject == "[P1] T000042 assigned to you"
    assert "Kiosk black" in mail.body
    assert "http://wk.example/desk/42/" in mail.body
    delivery = Delivery.objects.get()
    assert delivery.state == DeliveryState.SENT
    assert delivery.sent_at is not None


def test_it_posts_the_generic_json(hooks, send):
    channel("webhook", hooks.url + "/generic")
    send(context={"ticket": "T000042"})
    deliver_due()
    (call,) = hooks.calls
    assert call.path == "/generic"
    assert call.body == {
        "event": "assigned",
        "subject": "T000042 assigned to you",
        "text": "Kiosk black",
        "link": "http://wk.example/desk/42/",
        "urgent": False,
        "context": {"ticket": "T000042"},
    }


def test_it_posts_wecom_markdown(hooks, send):
    channel("wecom", hooks.url + "/cgi-bin/webhook/send?key=abc")
    send()
    deliver_due()
    (call,) = hooks.calls
    assert call.query == {"key": "abc"}
    assert call.body["msgtype"] == "markdown"
    content = call.body["markdown"]["content"]
    assert content.startswith("**T000042 assigned to you**")
    assert "[Open in Wardkeeper](http://wk.example/desk/42/)" in content


def test_it_signs_dingtalk_messages(hooks, send):
    secret = "SEC0123456789abcdef"
    channel("dingtalk", hooks.url + "/robot/send?access_token=t", secret=secret)
    send()
    deliver_due()
    (call,) = hooks.calls
    assert call.body["msgtype"] == "markdown"
    assert call.body["markdown"]["title"] == "T000042 assigned to you"
    assert "Kiosk black" in call.body["markdown"]["text"]
    timestamp = call.query["timestamp"]
    expected = base64.b64encode(
        hmac.new(
            secret.encode(), f"{timestamp}\n{secret}".encode(), hashlib.sha256
        ).digest()
    ).decode()
    assert call.query["access_token"] == "t"
    assert call.query["sign"] == expected
    assert abs(int(timestamp) / 1000 - timezone.now().timestamp()) < 60


def test_it_posts_slack_mrkdwn_escaped(hooks, send):
    channel("slack", hooks.url + "/services/T/B/X")
    send(body="Printer <ward 3> & scanner")
    deliver_due()
    text = hooks.calls[0].body["text"]
    assert text.startswith("*T000042 assigned to you*\n")
    assert "Printer &lt;ward 3&gt; &amp; scanner" in text
    assert "<http://wk.example/desk/42/|Open in Wardkeeper>" in text


def test_it_posts_a_teams_adaptive_card(hooks, send):
    channel("teams", hooks.url + "/webhookb2/x")
    send(urgent=True)
    deliver_due()
    body = hooks.calls[0].body
    assert body["type"] == "message"
    (attachment,) = body["attachments"]
    assert attachment["contentType"] == "application/vnd.microsoft.card.adaptive"
    card = attachment["content"]
    assert card["type"] == "AdaptiveCard"
    assert card["body"][0]["text"] == "T000042 assigned to you"
    assert card["body"][0]["color"] == "Attention"
    assert card["actions"][0]["url"] == "http://wk.example/desk/42/"


def test_a_500_is_retried_with_back_off_then_sent(hooks, send):
    channel("webhook", hooks.url)
    hooks.answers = [500, 500]
    send()
    start = timezone.now()

    deliver_due(start)
    delivery = Delivery.objects.get()
    assert delivery.state == DeliveryState.FAILED
    assert "HTTP 500" in delivery.last_error
    assert delivery.next_attempt_at == start + dt.timedelta(minutes=1)

    assert deliver_due(start + dt.timedelta(seconds=30))["failed"] == 0  # not due
    deliver_due(start + dt.timedelta(minutes=1))
    delivery.refresh_from_db()
    assert delivery.attempts == 2
    second = start + dt.timedelta(minutes=1)
    assert delivery.next_attempt_at == second + dt.timedelta(minutes=2)

    deliver_due(second + dt.timedelta(minutes=2))
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.SENT
    assert delivery.attempts == 3
    assert delivery.last_error == ""
    assert len(hooks.calls) == 3


def test_it_gives_up_after_the_last_attempt(settings, send):
    settings.NOTIFY_MAX_ATTEMPTS = 3
    channel("slack", servers.closed_port_url())
    send()
    now = timezone.now()
    for _ in range(5):
        deliver_due(now)
        now += dt.timedelta(hours=2)
    delivery = Delivery.objects.get()
    assert delivery.state == DeliveryState.GAVE_UP
    assert delivery.attempts == 3
    assert delivery.next_attempt_at is None
    assert "Connection refused" in delivery.last_error


def test_a_robot_refusal_in_a_200_is_a_failure(hooks, send):
    channel("wecom", hooks.url)
    hooks.reply = b'{"errcode": 93000, "errmsg": "invalid webhook url"}'
    send()
    deliver_due()
    delivery = Delivery.objects.get()
    assert delivery.state == DeliveryState.FAILED
    assert "93000" in delivery.last_error


def test_a_switched_off_channel_is_not_posted_to(hooks, send):
    hook = channel("webhook", hooks.url)
    send()
    hook.is_active = False
    hook.save()
    deliver_due()
    assert hooks.calls == []
    assert Delivery.objects.get().state == DeliveryState.FAILED


def test_each_outcome_is_in_the_audit_trail(hooks, send):
    channel("webhook", hooks.url)
    send()
    deliver_due()
    delivery = Delivery.objects.get()
    entries = AuditEntry.objects.for_object(delivery).order_by("id")
    assert [entry.action for entry in entries] == ["create", "update"]
    assert entries[1].changes["state"] == ["pending", "sent"]
