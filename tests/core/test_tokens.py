import hashlib
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from wardkeeper.core import accounts
from wardkeeper.core.errors import DomainError
from wardkeeper.core.models import ApiToken


def bearer(raw):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    return client


def assert_refused(response):
    assert response.status_code == 401
    error = response.json()["error"]
    assert error["message"] == "Invalid, expired or revoked token."
    assert error["fields"] == []


@pytest.mark.django_db
def test_a_new_token_is_shown_once_and_stored_only_as_a_hash(
    login, client, hardware_engineer
):
    login(hardware_engineer)
    response = client.post(
        reverse("core:token-list"), {"name": "stocktake script", "days": 30}
    )
    raw = response.context["new_token"]["raw"]
    assert raw in response.text
    assert "no-store" in response["Cache-Control"]
    token = ApiToken.objects.get(user=hardware_engineer)
    assert token.digest == hashlib.sha256(raw.encode()).hexdigest()
    assert raw not in str(list(ApiToken.objects.values()))
    assert (token.expires_at - timezone.now()).days in (29, 30)
    listing = client.get(reverse("core:token-list")).text
    assert "stocktake script" in listing
    assert raw not in listing


@pytest.mark.django_db
def test_a_token_lasts_the_default_days_unless_told(hardware_engineer, settings):
    token, _raw = accounts.issue_token(
        hardware_engineer, actor=hardware_engineer, name="x"
    )
    expected = timezone.now() + timedelta(days=settings.API_TOKEN_DEFAULT_DAYS)
    assert abs(token.expires_at - expected) < timedelta(minutes=1)


@pytest.mark.django_db
def test_a_token_longer_than_a_year_is_refused(login, client, hardware_engineer):
    login(hardware_engineer)
    response = client.post(reverse("core:token-list"), {"name": "forever", "days": 366})
    assert response.context["form"].errors["days"]
    with pytest.raises(DomainError):
        accounts.issue_token(hardware_engineer, actor=None, name="x", days=400)
    assert not ApiToken.objects.exists()


@pytest.mark.django_db
def test_a_valid_token_reaches_the_api_and_records_its_use(hardware_engineer):
    token, raw = accounts.issue_token(hardware_engineer, actor=None, name="x")
    response = bearer(raw).get("/api/me/")
    assert response.status_code == 200
    assert response.json()["username"] == "hana"
    assert response.json()["roles"] == ["hardware_engineer"]
    token.refresh_from_db()
    assert token.last_used_at is not None


@pytest.mark.django_db
def test_a_revoked_token_gets_401_with_the_standard_error(
    login, client, hardware_engineer
):
    token, raw = accounts.issue_token(hardware_engineer, actor=None, name="x")
    login(hardware_engineer)
    client.post(reverse("core:token-revoke", args=[token.pk]))
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert_refused(bearer(raw).get("/api/me/"))


@pytest.mark.django_db
def test_an_expired_token_gets_401(hardware_engineer):
    token, raw = accounts.issue_token(hardware_engineer, actor=None, name="x")
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now())
    assert_refused(bearer(raw).get("/api/me/"))


@pytest.mark.django_db
def test_the_token_of_a_disabled_account_stops_working(hardware_engineer, system_admin):
    _token, raw = accounts.issue_token(hardware_engineer, actor=None, name="x")
    accounts.set_active(hardware_engineer, False, actor=system_admin)
    assert_refused(bearer(raw).get("/api/me/"))


@pytest.mark.django_db
def test_nobody_revokes_another_persons_token(login, client, hardware_engineer, nurse):
    token, _raw = accounts.issue_token(hardware_engineer, actor=None, name="x")
    login(nurse)
    assert client.post(reverse("core:token-revoke", args=[token.pk])).status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


@pytest.mark.django_db
def test_the_api_without_credentials_asks_for_them():
    response = APIClient().get("/api/me/")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"
