import pytest
from django.contrib.auth import authenticate
from django.contrib.auth.password_validation import validate_password

from tests.factories.core import PASSWORD, UserFactory
from wardkeeper.core import accounts, roles
from wardkeeper.core.accounts import AccountError
from wardkeeper.core.models import AuditEntry, User
from wardkeeper.core.models.audit import AuditAction


@pytest.mark.django_db
def test_a_generated_password_meets_the_policy_and_is_returned_once(system_admin):
    user, password = accounts.create_account(
        actor=system_admin, username="wang.li", display_name="Wang Li"
    )
    validate_password(password, user)
    assert user.check_password(password)
    assert password not in str(AuditEntry.objects.values_list("changes", flat=True))


@pytest.mark.django_db
def test_creating_an_account_is_audited_with_its_roles(system_admin):
    user, _pw = accounts.create_account(
        actor=system_admin, username="li", roles_held=["network_engineer"]
    )
    about = AuditEntry.objects.filter(object_id=str(user.pk), actor=system_admin)
    created = about.get(action=AuditAction.CREATE)
    assert created.changes["username"] == [None, "li"]
    granted = about.get(action=AuditAction.SECURITY)
    assert granted.changes == {"roles": [[], ["network_engineer"]]}


@pytest.mark.django_db
def test_a_taken_username_is_refused_whatever_its_case(hardware_engineer):
    with pytest.raises(AccountError, match="already exists") as refused:
        accounts.create_account(actor=None, username="HANA")
    assert refused.value.field == "username"


@pytest.mark.django_db
def test_a_weak_chosen_password_is_refused_and_nothing_is_created():
    for weak in ("short1A!", "alllowercaseletters", "123456789012345", "password1234"):
        with pytest.raises(AccountError) as refused:
            accounts.create_account(actor=None, username="zhao", password=weak)
        assert refused.value.field == "password"
    assert not User.objects.filter(username="zhao").exists()


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("system_admin", "security_admin"),
        ("security_admin", "audit_admin"),
        ("system_admin", "audit_admin"),
    ],
)
@pytest.mark.django_db
def test_no_account_holds_two_administrator_duties(security_admin, first, second):
    person = UserFactory(password=None, roles=[first])
    with pytest.raises(AccountError) as refused:
        accounts.set_roles(person, [first, second], actor=security_admin)
    assert roles.label(first) in refused.value.message
    assert roles.label(second) in refused.value.message
    assert refused.value.field == "roles"
    assert person.role_codes() == {first}


@pytest.mark.django_db
def test_the_refusal_names_both_roles(security_admin):
    person = UserFactory(password=None)
    with pytest.raises(AccountError) as refused:
        accounts.set_roles(
            person, ["system_admin", "security_admin"], actor=security_admin
        )
    assert "System administrator" in refused.value.message
    assert "Security administrator" in refused.value.message


@pytest.mark.django_db
def test_the_audit_administrator_holds_no_other_role(security_admin):
    person = UserFactory(password=None)
    with pytest.raises(AccountError, match="Audit administrator"):
        accounts.set_roles(person, ["audit_admin", "analyst"], actor=security_admin)
    assert person.role_codes() == set()


@pytest.mark.django_db
def test_an_administrator_may_also_hold_a_position(security_admin):
    person = UserFactory(password=None)
    accounts.set_roles(
        person, ["system_admin", "network_engineer"], actor=security_admin
    )
    assert person.role_codes() == {"system_admin", "network_engineer"}
    entry = AuditEntry.objects.filter(action=AuditAction.SECURITY).latest("id")
    assert entry.changes == {"roles": [[], ["network_engineer", "system_admin"]]}


@pytest.mark.django_db
def test_nobody_changes_their_own_roles(security_admin):
    with pytest.raises(AccountError, match="your own roles"):
        accounts.set_roles(
            security_admin, ["security_admin", "analyst"], actor=security_admin
        )


@pytest.mark.django_db
def test_a_disabled_account_cannot_sign_in(rf, hardware_engineer, system_admin):
    def signs_in():
        request = rf.post("/accounts/login/")
        return authenticate(request, username="hana", password=PASSWORD) is not None

    accounts.set_active(hardware_engineer, False, actor=system_admin)
    assert not signs_in()
    accounts.set_active(hardware_engineer, True, actor=system_admin)
    assert signs_in()


@pytest.mark.django_db
def test_nobody_disables_their_own_account(system_admin):
    with pytest.raises(AccountError):
        accounts.set_active(system_admin, False, actor=system_admin)
    system_admin.refresh_from_db()
    assert system_admin.is_active


@pytest.mark.django_db
def test_a_reset_password_must_be_changed_at_the_next_sign_in(
    hardware_engineer, system_admin
):
    password = accounts.reset_password(hardware_engineer, actor=system_admin)
    hardware_engineer.refresh_from_db()
    assert hardware_engineer.check_password(password)
    assert hardware_engineer.must_change_password
    accounts.change_password(
        hardware_engineer, "Another-Good-Pass-77", actor=hardware_engineer
    )
    assert not hardware_engineer.must_change_password
