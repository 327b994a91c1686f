import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories.accounts import totp_device
from tests.factories.core import UserFactory
from wardkeeper.core import roles


@pytest.fixture
def security_client(login, security_admin):
    return login(security_admin)


@pytest.mark.django_db
def test_every_role_group_holds_exactly_its_listed_permissions():
    for role in roles.ROLES:
        group = Group.objects.get(name=role.code)
        held = {
            f"{p.content_type.app_label}.{p.codename}"
            for p in group.permissions.select_related("content_type")
        }
        assert held == set(role.permissions), role.code


@pytest.mark.django_db
def test_the_role_list_says_in_words_what_each_role_may_do(security_client):
    UserFactory.create_batch(2, password=None, roles=["analyst"])
    response = security_client.get(reverse("core:role-list"))
    rows = {row["role"].code: row for row in response.context["rows"]}
    assert rows["analyst"]["members"] == 2
    assert "Export inventory files" in rows["analyst"]["can"]
    assert any(
        line.startswith("Read: ") and "assets" in line
        for line in rows["analyst"]["can"]
    )
    assert "Knowledge-mining analyst" in response.text
    assert "Reads and exports the audit trail" in response.text


@pytest.mark.django_db
def test_the_security_administrator_grants_and_removes_roles(security_client):
    person = UserFactory(password=None, roles=["analyst"])
    url = reverse("core:user-roles", args=[person.pk])
    response = security_client.post(url, {"roles": ["network_engineer", "it_director"]})
    assert response.status_code == 302
    assert person.role_codes() == {"network_engineer", "it_director"}


@pytest.mark.django_db
def test_two_administrator_duties_get_a_visible_error_and_change_nothing(
    security_client,
):
    person = UserFactory(password=None, roles=["system_admin"])
    url = reverse("core:user-roles", args=[person.pk])
    response = security_client.post(url, {"roles": ["system_admin", "audit_admin"]})
    assert response.status_code == 200
    assert 'role="alert"' in response.text
    assert (
        "cannot be both System administrator and Audit administrator" in response.text
    )
    assert person.role_codes() == {"system_admin"}


@pytest.mark.django_db
def test_a_security_administrator_cannot_change_their_own_roles(
    security_client, security_admin
):
    url = reverse("core:user-roles", args=[security_admin.pk])
    assert "You cannot change your own roles" in security_client.get(url).text
    security_client.post(url, {"roles": ["security_admin", "analyst"]})
    assert security_admin.role_codes() == {"security_admin"}


@pytest.mark.django_db
def test_the_security_administrator_resets_a_lost_authenticator(security_client):
    person = UserFactory(password=None, roles=["it_director"])
    totp_device(person)
    security_client.post(reverse("core:user-mfa-reset", args=[person.pk]))
    assert not TOTPDevice.objects.filter(user=person).exists()


@pytest.mark.django_db
def test_the_security_administrator_cannot_create_or_disable_accounts(
    security_client, hardware_engineer
):
    assert security_client.get(reverse("core:user-add")).status_code == 403
    disable = reverse("core:user-disable", args=[hardware_engineer.pk])
    assert security_client.post(disable).status_code == 403


@pytest.mark.django_db
def test_the_assignment_list_filters_by_role(security_client):
    UserFactory(username="dba", password=None, roles=["database_engineer"])
    response = security_client.get(
        reverse("core:role-user-list"), {"role": "database_engineer"}
    )
    assert [u.username for u in response.context["users"]] == ["dba"]


def test_administrator_duties_and_second_factor_roles_are_as_the_rules_say():
    assert {"system_admin", "security_admin", "audit_admin"} == roles.ADMIN_DUTIES
    assert roles.ADMIN_DUTIES | {"it_director"} == roles.MFA_ROLES
