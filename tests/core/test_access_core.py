"""Who may open which core page: a matrix of personas and pages.

200: may use it; 403: signed in but not allowed; 302: sent to sign in."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories.core import UserFactory

PERSONAS = [
    "hardware_engineer",
    "network_engineer",
    "nurse",
    "outsider",
    "system_admin",
    "security_admin",
    "audit_admin",
]
EVERYONE = set(PERSONAS)
PAGES = {
    "core:user-list": {"system_admin"},
    "core:user-add": {"system_admin"},
    "core:role-list": {"security_admin"},
    "core:role-user-list": {"security_admin"},
    "core:audit-list": {"audit_admin"},
    "core:profile": EVERYONE,
    "core:token-list": EVERYONE,
}


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.django_db
def test_each_persona_reaches_only_the_core_pages_of_its_duty(
    request, login, persona, page
):
    client = login(request.getfixturevalue(persona))
    expected = 200 if persona in PAGES[page] else 403
    assert client.get(reverse(page)).status_code == expected


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.django_db
def test_a_signed_out_visitor_is_sent_to_sign_in(page):
    response = Client().get(reverse(page))
    assert response.status_code == 302
    assert response.url.startswith(reverse("core:login"))


@pytest.mark.parametrize("persona", sorted(EVERYONE - {"system_admin"}))
@pytest.mark.django_db
def test_only_the_system_administrator_changes_accounts(request, login, persona):
    client = login(request.getfixturevalue(persona))
    target = UserFactory(username="target", password=None)
    assert client.post(reverse("core:user-add"), {"username": "x"}).status_code == 403
    for action in ("user-edit", "user-disable", "user-password-reset"):
        url = reverse(f"core:{action}", args=[target.pk])
        assert client.post(url, {"display_name": "x"}).status_code == 403
    target.refresh_from_db()
    assert target.is_active
    assert target.display_name != "x"


@pytest.mark.parametrize("persona", sorted(EVERYONE - {"security_admin"}))
@pytest.mark.django_db
def test_only_the_security_administrator_grants_roles(request, login, persona):
    client = login(request.getfixturevalue(persona))
    target = UserFactory(username="target", password=None)
    url = reverse("core:user-roles", args=[target.pk])
    assert client.post(url, {"roles": ["analyst"]}).status_code == 403
    mfa_reset = reverse("core:user-mfa-reset", args=[target.pk])
    assert client.post(mfa_reset).status_code == 403
    assert target.role_codes() == set()


@pytest.mark.django_db
def test_the_audit_administrator_changes_nothing_in_accounts_or_roles(
    login, audit_admin, hardware_engineer
):
    client = login(audit_admin)
    assert client.get(reverse("core:audit-list")).status_code == 200
    for name in ("core:user-list", "core:role-list", "core:role-user-list"):
        assert client.get(reverse(name)).status_code == 403
    for name in ("core:user-detail", "core:user-roles", "core:user-edit"):
        url = reverse(name, args=[hardware_engineer.pk])
        assert client.get(url).status_code == 403
