"""API tokens end to end: a program calls the API in a person's name."""

import datetime as dt

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from tests.factories.inventory import AssetFactory
from wardkeeper.core.models import ApiToken, AuditEntry

pytestmark = pytest.mark.django_db


def bearer(raw):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    return client


def issue(user, **age):
    expires = timezone.now() + dt.timedelta(**(age or {"days": 30}))
    return ApiToken.issue(user, "inventory sync", expires)


def test_a_token_reads_the_asset_list(hardware_engineer):
    asset = AssetFactory()
    _token, raw = issue(hardware_engineer)
    response = bearer(raw).get("/api/assets/")
    assert response.status_code == 200
    assert [row["tag"] for row in response.json()["results"]] == [asset.tag]


def test_writes_with_a_token_are_audited_as_the_api_and_its_user(hardware_engineer):
    asset = AssetFactory()
    _token, raw = issue(hardware_engineer)
    response = bearer(raw).patch(
        f"/api/assets/{asset.pk}/", {"custodian": "Ward 5 sister"}, format="json"
    )
    assert response.status_code == 200, response.json()
    entry = AuditEntry.objects.for_object(asset).first()
    assert (entry.source, entry.actor, entry.actor_name) == (
        "api",
        hardware_engineer,
        "hana",
    )
    assert entry.changes == {"custodian": ["", "Ward 5 sister"]}


@pytest.mark.parametrize("state", ["expired", "revoked", "unknown"])
def test_an_unusable_token_gets_401(hardware_engineer, state):
    token, raw = issue(hardware_engineer, seconds=-1 if state == "expired" else 60)
    if state == "revoked":
        token.revoked_at = timezone.now()
        token.save()
    response = bearer(raw if state != "unknown" else "wk_nonsense").get("/api/assets/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Bearer"
    assert response.json()["error"]["code"] == "authentication_failed"


def test_a_token_carries_only_its_users_permissions(nurse):
    _token, raw = issue(nurse)
    client = bearer(raw)
    assert client.get("/api/assets/").status_code == 200
    assert client.get("/api/locations/").status_code == 403
