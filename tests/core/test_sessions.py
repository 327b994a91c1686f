from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone


def session_row(client):
    return Session.objects.get(session_key=client.session.session_key)


@pytest.mark.django_db
def test_the_idle_limit_comes_from_the_setting(settings):
    assert settings.SESSION_COOKIE_AGE == settings.SESSION_IDLE_MINUTES * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST


@pytest.mark.django_db
def test_a_session_idle_longer_than_the_limit_is_signed_out(
    login, client, hardware_engineer
):
    login(hardware_engineer)
    assert client.get(reverse("core:profile")).status_code == 200
    # The session ends at "last activity + limit"; make the last activity
    # one second longer ago than the limit.
    Session.objects.filter(pk=client.session.session_key).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )
    response = client.get(reverse("core:profile"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("core:login"))


@pytest.mark.django_db
def test_activity_pushes_the_end_of_the_session_forward(
    login, client, hardware_engineer, settings
):
    login(hardware_engineer)
    soon = timezone.now() + timedelta(minutes=1)
    Session.objects.filter(pk=client.session.session_key).update(expire_date=soon)
    assert client.get(reverse("core:profile")).status_code == 200
    expected = timezone.now() + timedelta(minutes=settings.SESSION_IDLE_MINUTES)
    assert abs(session_row(client).expire_date - expected) < timedelta(seconds=30)


@pytest.mark.django_db
def test_a_session_still_within_the_limit_stays_signed_in(
    login, client, hardware_engineer
):
    login(hardware_engineer)
    # Idle for all but the last five seconds of the limit.
    Session.objects.filter(pk=client.session.session_key).update(
        expire_date=timezone.now() + timedelta(seconds=5)
    )
    assert client.get(reverse("core:profile")).status_code == 200


@pytest.mark.django_db
def test_signing_out_ends_the_session(login, client, hardware_engineer):
    login(hardware_engineer)
    client.post(reverse("core:logout"))
    assert client.get(reverse("core:profile")).status_code == 302
