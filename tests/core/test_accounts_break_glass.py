import pytest
from django.test import Client
from django.urls import reverse

from tests.factories.accounts import code_for
from wardkeeper.core import accounts
from wardkeeper.core.models import AuditEntry, User
from wardkeeper.core.models.audit import AuditAction


@pytest.fixture
def sealed():
    user, password, _secret = accounts.create_break_glass(actor=None, username="glass")
    return user, password


@pytest.mark.django_db
def test_signing_in_with_break_glass_is_flagged_and_warned(sealed):
    user, password = sealed
    client = Client()
    client.post(reverse("core:login"), {"username": "glass", "password": password})
    device = user.totpdevice_set.get()
    response = client.post(reverse("core:mfa"), {"code": code_for(device)}, follow=True)
    assert "break-glass emergency account" in response.text
    login = AuditEntry.objects.get(action=AuditAction.LOGIN, actor=user)
    assert login.flagged


@pytest.mark.django_db
def test_every_action_by_the_break_glass_account_is_flagged(sealed, login, client):
    user, _password = sealed
    login(user)
    client.post(reverse("core:user-add"), {"username": "night.nurse"})
    created = User.objects.get(username="night.nurse")
    entries = AuditEntry.objects.filter(object_id=str(created.pk))
    assert entries.exists()
    assert all(entry.actor == user and entry.flagged for entry in entries)


@pytest.mark.django_db
def test_the_account_page_says_when_break_glass_was_used_since_sealing(
    sealed, login, client, system_admin
):
    user, _password = sealed
    Client().force_login(user)  # a sign-in records last_login
    login(system_admin)
    response = client.get(reverse("core:user-detail", args=[user.pk]))
    assert response.context["used_since_sealed"]
    assert "--reseal" in response.text
