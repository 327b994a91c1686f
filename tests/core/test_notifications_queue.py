"""notify(): who gets which delivery, queued only once the change commits."""

from __future__ import annotations

import pytest
from django.db import transaction

from tests.factories.core import UserFactory
from wardkeeper.core.models import Channel, Delivery, NotificationPreference
from wardkeeper.core.notifications import notify

pytestmark = pytest.mark.django_db


@pytest.fixture
def tell(django_capture_on_commit_callbacks):
    def run(people, event="assigned", **extra):
        with django_capture_on_commit_callbacks(execute=True):
            notify(event, people, subject="T000001 assigned", body="b", **extra)
        return {(d.kind, str(d.user or d.channel)) for d in Delivery.objects.all()}

    return run


def test_everyone_gets_email_by_default_once(tell):
    hana = UserFactory(username="hana")
    assert tell([hana, hana, None]) == {("email", str(hana))}


def test_email_off_in_the_preferences_is_respected(tell):
    hana = UserFactory(username="hana")
    NotificationPreference.objects.create(user=hana, event="assigned", email=False)
    assert tell([hana]) == set()


def test_urgent_sends_email_whatever_the_preferences(tell):
    hana = UserFactory(username="hana")
    NotificationPreference.objects.create(user=hana, event="assigned", email=False)
    assert tell([hana], urgent=True) == {("email", str(hana))}


def test_a_personal_robot_gets_its_own_delivery(tell):
    hana = UserFactory(username="hana")
    NotificationPreference.objects.create(
        user=hana,
        event="assigned",
        email=False,
        webhook_kind="wecom",
        webhook_url="https://qyapi.example/send?key=k",
    )
    assert tell([hana]) == {("wecom", str(hana))}
    assert Delivery.objects.get().payload["msgtype"] == "markdown"


def test_people_without_address_or_account_are_skipped(tell):
    nomail = UserFactory(email="")
    gone = UserFactory(is_active=False)
    assert tell([nomail, gone]) == set()


def test_only_active_channels_subscribed_to_the_event_get_it(tell):
    Channel.objects.create(
        name="desk", kind="slack", url="https://h.example/1", events=["assigned"]
    )
    Channel.objects.create(
        name="other", kind="slack", url="https://h.example/2", events=["resolved"]
    )
    Channel.objects.create(
        name="off",
        kind="slack",
        url="https://h.example/3",
        events=["assigned"],
        is_active=False,
    )
    assert tell([]) == {("slack", "desk")}
    assert tell([], channels=False) == {("slack", "desk")}  # nothing new


def test_a_rolled_back_change_queues_nothing(django_capture_on_commit_callbacks):
    hana = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                notify("assigned", [hana], subject="s", body="b")
                raise RuntimeError("the ticket change failed")
        except RuntimeError:
            pass
    assert not Delivery.objects.exists()


def test_notify_never_raises_into_the_caller(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notify("assigned", [object()], subject="s", body="b")  # not a user
    assert not Delivery.objects.exists()


def test_a_site_path_becomes_an_absolute_link(settings, tell):
    settings.SITE_URL = "https://wk.hospital.example"
    tell([UserFactory()], link="/desk/tickets/7/")
    assert Delivery.objects.get().link == "https://wk.hospital.example/desk/tickets/7/"
