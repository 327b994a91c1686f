"""Acknowledging and silencing alerts from the alert list."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from tests.factories.monitoring import CheckFactory
from tests.factories.monitoring_views import WATCH, person
from wardkeeper.monitoring.choices import AlertState, Severity
from wardkeeper.monitoring.models import Alert

LIST = reverse("monitoring:alert-list")


def open_alert(**fields):
    return Alert.objects.create(
        source=CheckFactory(name="PACS echo"), severity=Severity.CRITICAL, **fields
    )


def test_an_engineer_acknowledges_an_alert(db, client):
    alert = open_alert(message="PACS does not answer")
    nick = person("nick", *WATCH, "change_alert")
    client.force_login(nick)
    page = client.get(LIST, {"state": "open"}).content.decode()
    assert "PACS does not answer" in page
    assert "Acknowledge" in page
    response = client.post(
        reverse("monitoring:alert-acknowledge", args=[alert.pk]),
        {"next": f"{LIST}?state=open"},
    )
    assert response.url == f"{LIST}?state=open"
    alert.refresh_from_db()
    assert (alert.state, alert.acknowledged_by) == (AlertState.ACKNOWLEDGED, nick)


def test_silencing_until_a_time_and_ending_it(db, client):
    alert = open_alert()
    client.force_login(person("nick", *WATCH, "change_alert"))
    until = timezone.localtime() + dt.timedelta(hours=2)
    client.post(
        reverse("monitoring:alert-silence", args=[alert.pk]),
        {"until": until.strftime("%Y-%m-%dT%H:%M")},
    )
    alert.refresh_from_db()
    assert alert.state == AlertState.SILENCED
    assert abs(alert.silenced_until - until) < dt.timedelta(minutes=1)
    client.post(reverse("monitoring:alert-unsilence", args=[alert.pk]))
    alert.refresh_from_db()
    assert alert.state == AlertState.OPEN


def test_a_silence_in_the_past_is_refused_with_a_message(db, client):
    alert = open_alert()
    client.force_login(person("nick", *WATCH, "change_alert"))
    past = timezone.localtime() - dt.timedelta(hours=1)
    response = client.post(
        reverse("monitoring:alert-silence", args=[alert.pk]),
        {"until": past.strftime("%Y-%m-%dT%H:%M")},
        follow=True,
    )
    assert "future" in response.content.decode()
    alert.refresh_from_db()
    assert alert.state == AlertState.OPEN


def test_a_resolved_alert_cannot_be_acknowledged(db, client):
    alert = open_alert(state=AlertState.RESOLVED)
    client.force_login(person("nick", *WATCH, "change_alert"))
    response = client.post(
        reverse("monitoring:alert-acknowledge", args=[alert.pk]), follow=True
    )
    assert "already resolved" in response.content.decode()
    alert.refresh_from_db()
    assert alert.acknowledged_by is None


def test_readers_see_alerts_but_cannot_act(db, client):
    alert = open_alert()
    client.force_login(person("nora", *WATCH))
    assert "Acknowledge" not in client.get(LIST).content.decode()
    url = reverse("monitoring:alert-acknowledge", args=[alert.pk])
    assert client.post(url).status_code == 403


def test_the_state_filter_is_a_row_of_chips(db, client):
    open_alert(message="PACS does not answer")
    open_alert(message="Old fault", state=AlertState.RESOLVED)
    client.force_login(person("nick", *WATCH, "change_alert"))
    response = client.get(LIST, {"state": "resolved"})
    page = response.content.decode()
    assert 'select name="state"' not in page
    assert 'type="checkbox" class="btn-check" name="state" value="resolved"' in page
    assert [a.message for a in response.context["object_list"]] == ["Old fault"]


def test_a_resolved_alert_offers_nothing_to_do(db, client):
    alert = open_alert(state=AlertState.RESOLVED)
    client.force_login(person("nick", *WATCH, "change_alert"))
    page = client.get(LIST).content.decode()
    assert "Actions" in page  # the column, for alerts one may act on
    assert reverse("monitoring:alert-silence", args=[alert.pk]) not in page
    assert reverse("monitoring:alert-acknowledge", args=[alert.pk]) not in page


def test_who_acknowledged_shows_beside_the_state_for_every_reader(db, client):
    open_alert(state=AlertState.ACKNOWLEDGED, acknowledged_by=person("nick"))
    client.force_login(person("nora", *WATCH))
    page = client.get(LIST).content.decode()
    assert "acknowledged by" in page
    assert "Actions" not in page  # a reader has no column of actions


def test_the_alerts_of_one_check_say_so(db, client):
    alert = open_alert()
    open_alert()
    client.force_login(person("nick", *WATCH))
    response = client.get(LIST, {"source": alert.source_id})
    assert list(response.context["object_list"]) == [alert]
    assert "Only the alerts of <strong>PACS echo</strong>." in (
        response.content.decode()
    )
